"""Records already on file, loaded once per import into dictionaries, to mark rows as duplicates.

Cities match by gazetteer place or by any name (folded, qualifiers ignored) in the same country;
people and organisations by any name; partnerships by city; dated records by title and date.
Where nothing matches exactly, `crm.records.matching.find_matches` looks for near spellings (once per
distinct name, and only when the table holds records).
"""

from functools import lru_cache

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.geo import gazetteer
from crm.imports.columns import import_columns
from crm.models.kinds import get_kind
from crm.records.matching import find_matches
from crm.text import fold

NAMES = ("name_en", "name_zh", "name_native")
Found = tuple[int, tuple[str, dict]] | None


@lru_cache(maxsize=65536)
def _pkey(name: str | None) -> str:
    return gazetteer.place_key(name) if name else ""


def _names_key(tag: str, data: dict) -> tuple | None:
    """A person's or organisation's key within the file: its English and Chinese names together (whichever
    are given; the native name when neither is), so that two people who share one name are not merged."""
    en, zh = fold(data.get("name_en")), fold(data.get("name_zh"))
    if en or zh:
        return tag, en, zh
    native = fold(data.get("name_native"))
    return (tag, "", "", native) if native else None


class OnFile:
    """What the database holds for one import (columns only, read once)."""

    def __init__(self, session: Session, kind_name: str) -> None:
        self.s = session
        self.kind_name = kind_name
        self.cities_by_place: dict[int, int] = {}
        self.cities_by_name: dict[tuple[str, str | None], tuple[int, str]] = {}  # looked up with no country too
        self.orgs_by_name: dict[str, tuple[int, str]] = {}
        self.people_by_name: dict[str, tuple[int, str]] = {}
        self.by_key: dict[tuple, int] = {}
        self.counts: dict[str, int] = {}
        self._near: dict[tuple, Found] = {}
        self._load_cities()
        if kind_name == "organisations" or any(c.type == "org" for c in import_columns(kind_name)):
            self._load_names(m.Organisation, self.orgs_by_name, ("name_en", "name_zh", "acronym"))
        if kind_name == "people":
            self._load_names(m.Person, self.people_by_name, NAMES)
        if not get_kind(kind_name).entity:
            self._load_keys()

    def _count(self, model) -> int:
        return self.s.execute(select(func.count()).select_from(model).where(model.deleted_at.is_(None))).scalar() or 0

    def _load_cities(self) -> None:
        rows = self.s.execute(select(col(m.City.id), col(m.City.geonames_id), col(m.City.country_code),
                                     col(m.City.name_en), col(m.City.name_zh), col(m.City.name_native))
                              .where(col(m.City.deleted_at).is_(None)))
        n = 0
        for cid, gid, cc, *names in rows:
            n += 1
            if gid:
                self.cities_by_place.setdefault(gid, cid)
            for field, name in zip(NAMES, names, strict=True):
                if name:
                    self.cities_by_name.setdefault((_pkey(name), cc), (cid, field))
        self.counts["cities"] = n

    def _load_names(self, model, index: dict, fields: tuple[str, ...]) -> None:
        columns = [model.id] + [getattr(model, f) for f in fields]
        n = 0
        for rid, *names in self.s.execute(select(*columns).where(model.deleted_at.is_(None))):
            n += 1
            for field, name in zip(fields, names, strict=True):
                if fold(name):
                    index.setdefault(fold(name), (rid, field))
        self.counts[model.__tablename__] = n

    def _load_keys(self) -> None:
        kind = get_kind(self.kind_name)
        model = kind.model
        if self.kind_name == "partnerships":
            p = m.Partnership  # kind.model here, under its own type
            for rid, city_id in self.s.execute(select(col(p.id), col(p.city_id)).where(col(p.deleted_at).is_(None))):
                self.by_key.setdefault(("city", city_id), rid)
            return
        assert kind.date_field is not None  # every kind but the entities (which have no keys) is dated
        columns = [getattr(model, f) for f in ("id", "title_en", "title_zh", kind.date_field)]
        for rid, en, zh, day in self.s.execute(select(*columns).where(col(model.deleted_at).is_(None))):
            for title in (en, zh):
                if fold(title):
                    self.by_key.setdefault(("title", fold(title), str(day) if day else None), rid)

    # -- look-ups -------------------------------------------------------------------------------
    def city(self, data: dict, place: gazetteer.Place | None) -> Found:
        if not self.counts.get("cities"):  # no city on file: nothing to match
            return None
        if place is not None and place.geonames_id in self.cities_by_place:
            return self.cities_by_place[place.geonames_id], ("match.same_place", {})
        cc = data.get("country_code") or (place.country_code if place else None)
        names = [data.get(f) for f in NAMES if data.get(f)] + ([place.name] if place else [])
        for name in names:
            hit = self.cities_by_name.get((_pkey(name), cc))
            if hit:
                return hit[0], ("match.same_name", {"field": hit[1]})
        if self.counts.get("cities") and names and cc:
            return self._near_match("cities", {"name_en": names[0], "country_code": cc})
        return None

    def _by_names(self, kind_name: str, index: dict, data: dict) -> Found:
        for field in ("name_en", "name_zh", "name_native", "acronym"):
            hit = index.get(fold(data.get(field)))
            if hit:
                return hit[0], ("match.same_name", {"field": hit[1]})
        table = "organisation" if kind_name == "organisations" else "person"
        if self.counts.get(table):
            return self._near_match(kind_name, {f: data.get(f) for f in NAMES if data.get(f)})
        return None

    def organisation(self, data: dict) -> Found:
        return self._by_names("organisations", self.orgs_by_name, data)

    def _near_match(self, kind_name: str, data: dict) -> Found:
        key = (kind_name, tuple(sorted((k, fold(v)) for k, v in data.items() if v)))
        if key not in self._near:
            found = find_matches(kind_name, data, session=self.s, limit=1)
            self._near[key] = (found[0].record_id, (found[0].reason, {"field": found[0].field,
                                                                       "score": found[0].score})) if found else None
        return self._near[key]

    def natural_key(self, kind_name: str, data: dict, needs: list) -> tuple[tuple | None, Found]:
        """The row's key for duplicates within the file, and the record on file it duplicates."""
        if kind_name == "organisations":
            return _names_key("org", data), self.organisation(data)
        if kind_name == "people":
            return _names_key("person", data), self._by_names("people", self.people_by_name, data)
        if kind_name == "partnerships":
            pending = dict(needs).get("city_id")
            if pending is not None:
                return ("city-new", pending), None
            rid = self.by_key.get(("city", data.get("city_id")))
            return ("city", data.get("city_id")), ((rid, ("import.same_city", {})) if rid else None)
        kind = get_kind(kind_name)
        day = data.get(kind.date_field)
        day = str(day) if day else None
        titles = [fold(data.get(f)) for f in ("title_en", "title_zh") if data.get(f)]
        for title in titles:
            rid = self.by_key.get(("title", title, day))
            if rid:
                return ("title", titles[0], day), (rid, ("import.same_title_date", {}))
        return (("title", titles[0], day) if titles else None), None
