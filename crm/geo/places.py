"""Coordinates of a city: the offline gazetteer, or a manual override kept on the City row.

`coord_source` says which: "gazetteer" (looked up, with its geonames id) or "manual" (typed in
by staff, shown as such and never overwritten by a lookup). A city the gazetteer does not know
asks for coordinates instead of failing.
"""

from dataclasses import dataclass

from crm.geo import gazetteer
from crm.geo.gazetteer import Place
from crm.text import fold

ASK_COORDINATES = "places.ask_coordinates"


@dataclass(frozen=True)
class Suggestion:
    """A gazetteer place offered for a city being recorded, with the names it suggests."""

    place: Place
    name_en: str
    cjk_names: tuple[str, ...]

    @property
    def label(self) -> str:
        cjk = f" {self.cjk_names[0]}" if self.cjk_names else ""
        return (f"{self.name_en}{cjk} ({self.place.country_code}) — {self.place.latitude:.3f}, "
                f"{self.place.longitude:.3f} · {self.place.population:,}")


def _traditional_first(names: tuple[str, ...]) -> tuple[str, ...]:
    """CJK names with the likely Traditional forms first (臺/臺北 over 台; no simplified-only letters)."""
    simplified = set(
        "与东丝两严丰临为丽举义乌乐乔书买亚产亲们体侣剑华协单卢历厅县叶吨听园圆图场块坚坛尔岛岭帅师广庆库应开"
        "张录忆总恶戏战户护报挥换术机权杰极构枪欧汉沟泽济浅涛湾满滨热爱环现电画畅监盘种积称简约纪纳线组经维罗"
        "聂肃胜脑兰莱获萨见讯设诗语说贝贵费达迈运还进远连选邮钦铁银长门间阳陆韩页顿预领马鲁齐龙"
    )
    def score(name: str) -> tuple[int, int]:
        kana = sum("\u3040" <= ch <= "\u30ff" or "\uac00" <= ch <= "\ud7af" for ch in name)  # Japanese, Korean
        return (kana * 10 + sum(ch in simplified for ch in name), 0 if "臺" in name else 1)
    return tuple(sorted(names, key=score))


def suggestions(name: str, country_code: str | None = None, limit: int = 8) -> list[Suggestion]:
    """Gazetteer places called `name` (any language) in `country_code`, most populous first."""
    if not fold(name):
        return []
    places = gazetteer.candidates(name, country_code or None, limit=limit)
    return [Suggestion(p, p.name, _traditional_first(p.cjk_names)) for p in places]


def lookup_any(data: dict) -> Place | None:
    """The place for a city being recorded, trying each of its names (English, Chinese, native)."""
    country = data.get("country_code") or None
    for field in ("name_en", "name_native", "name_zh"):
        name = data.get(field)
        if name:
            place = gazetteer.lookup(name, country)
            if place is not None:
                return place
    return None


def complete(data: dict) -> tuple[dict, dict]:
    """Fill a city's coordinates before saving: `(data, errors)`.

    Manual coordinates (both given) win and are marked "manual"; otherwise the gazetteer is asked
    (geonames id, coordinates, population marked "gazetteer"); when it does not know the city,
    errors ask for the coordinates by hand (catalog key `places.ask_coordinates`).
    """
    data = dict(data)
    lat, lon = data.get("latitude"), data.get("longitude")
    if data.get("coord_source") == "manual" or (lat is not None and lon is not None and not data.get("geonames_id")):
        if lat is None or lon is None:
            return data, {"latitude": (ASK_COORDINATES, {})}
        data["coord_source"] = "manual"
        return data, {}
    if data.get("geonames_id") and lat is not None and lon is not None:
        data["coord_source"] = "gazetteer"
        return data, {}
    place = lookup_any(data)
    if place is None:
        return data, {"latitude": (ASK_COORDINATES, {})}
    data.update(latitude=place.latitude, longitude=place.longitude, geonames_id=place.geonames_id,
                coord_source="gazetteer")
    if not data.get("population"):
        data["population"] = place.population or None
    return data, {}


def from_place(place: Place) -> dict:
    """City fields a chosen gazetteer place fills in."""
    return {"latitude": place.latitude, "longitude": place.longitude, "geonames_id": place.geonames_id,
            "coord_source": "gazetteer", "population": place.population or None}


def manual(latitude: float, longitude: float) -> dict:
    """City fields for coordinates typed in by hand (the override the map uses)."""
    return {"latitude": latitude, "longitude": longitude, "geonames_id": None, "coord_source": "manual"}


def coordinates(city: dict) -> tuple[float, float, str] | None:
    """(lat, lon, source) of a stored city: the stored values (manual override included) first."""
    if city.get("latitude") is not None and city.get("longitude") is not None:
        return city["latitude"], city["longitude"], city.get("coord_source") or "manual"
    place = lookup_any(city)
    if place is None:
        return None
    return place.latitude, place.longitude, "gazetteer"
