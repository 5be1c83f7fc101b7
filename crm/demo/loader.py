"""Load the demo data set (idempotent): Taipei's partner cities and the 2020 H1 report's facts."""

import csv
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from crm import config
from crm import models as m
from crm.demo.data import EVENT_CITIES, ORGANISATIONS, PEOPLE
from crm.geo import gazetteer
from crm.store import writes
from crm.store.writes import Actor

PARTNER_CSV = config.PROJECT_ROOT / "data" / "partner-cities.csv"
MANUAL_COORDS = {("Guam", "GU"): (13.4443, 144.7937)}
ILLUSTRATIVE = "Demo: the report names this visit without a date; the date is illustrative."


class _Loader:
    def __init__(self, session: Session, actor: Actor) -> None:
        self.s, self.actor = session, actor
        self.cities: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.created = 0

    def _find(self, model, **where) -> int | None:
        stmt = select(model.id).where(model.deleted_at.is_(None), *(getattr(model, k) == v for k, v in where.items()))
        return self.s.execute(stmt.limit(1)).scalar()

    def _ensure(self, kind: str, key: dict, data: dict) -> int:
        found = self._find(writes.get_kind(kind).model, **key)
        if found is not None:
            return found
        self.created += 1
        return writes.create(self.actor, kind, {**key, **data}, session=self.s, is_demo=True)

    def city(self, name_en: str, name_zh: str, native: str, cc: str) -> int:
        place = gazetteer.lookup(name_en, cc)
        lat, lon, source, gid, pop = None, None, "", None, None
        if (name_en, cc) in MANUAL_COORDS:
            (lat, lon), source = MANUAL_COORDS[(name_en, cc)], "manual"
        elif place is not None:
            lat, lon, source, gid, pop = place.latitude, place.longitude, "gazetteer", place.geonames_id, place.population
        cid = self._ensure("cities", {"name_en": name_en, "country_code": cc}, {
            "name_zh": name_zh, "name_native": native, "latitude": lat, "longitude": lon, "coord_source": source,
            "geonames_id": gid, "population": pop})
        self.cities[name_en] = cid
        return cid

    def load_places(self) -> None:
        for name_en, name_zh, native, cc in EVENT_CITIES:
            self.city(name_en, name_zh, native, cc)
        with open(PARTNER_CSV, encoding="utf-8") as f:
            self.partner_rows = list(csv.DictReader(f))
        for row in self.partner_rows:
            self.city(row["city"], row["name_zh"], row["name_native"], row["iso2"])
        for key, name_en, name_zh, acronym, kind, city in ORGANISATIONS:
            cc = self.s.get_one(m.City, self.cities[city]).country_code
            self.orgs[key] = self._ensure("organisations", {"name_en": name_en}, {
                "name_zh": name_zh, "acronym": acronym, "kind": kind, "city_id": self.cities[city],
                "country_code": cc})
        for key, name_en, name_zh, native, title_en, title_zh, org, address in PEOPLE:
            org_row = self.s.get_one(m.Organisation, self.orgs[org])
            self.people[key] = self._ensure("people", {"name_en": name_en}, {
                "name_zh": name_zh, "name_native": native, "title_en": title_en, "title_zh": title_zh,
                "organisation_id": org_row.id, "city_id": org_row.city_id, "country_code": org_row.country_code,
                "form_of_address": address, "is_dignitary": key not in ("ko", "kao")})

    def load_partnerships(self) -> None:
        for row in self.partner_rows:
            year = int(row["year_established"]) if row["year_established"] else None
            data = {"kind": row["kind"], "status": "active", "established_year": year, "notes": row["note"]}
            if row["city"] == "Prague":
                data |= {"council_approved_on": date(2019, 12, 24), "established_on": date(2020, 1, 13),
                         "signings": [{"signed_on": date(2020, 1, 13), "place_city_id": self.cities["Prague"],
                                       "signatory": "柯文哲 Ko Wen-je", "signatory_person_id": self.people["ko"],
                                       "partner_signatory": "賀吉普 Zdeněk Hřib",
                                       "partner_signatory_person_id": self.people["hrib"], "party": "both",
                                       "mode": "in_person"}]}
            elif row["city"] == "Lima":
                data |= {"council_approved_on": date(2020, 1, 2), "established_on": date(2020, 2, 25), "signings": [
                    {"signed_on": date(2020, 2, 10), "place_city_id": self.cities["Taipei"], "party": "home",
                     "signatory": "柯文哲 Ko Wen-je", "signatory_person_id": self.people["ko"], "mode": "remote"},
                    {"signed_on": date(2020, 2, 25), "place_city_id": self.cities["Lima"], "party": "partner",
                     "partner_signatory": "Mayor of Lima", "partner_signatory_person_id": self.people["munoz"],
                     "mode": "remote"}]}
            elif row["city"] == "Riga":
                data["notes"] = "Ties reaffirmed during the mayor's visit in January 2020 (重申兩市姊妹市情誼)."
            self._ensure("partnerships", {"city_id": self.cities[row["city"]]}, data)

    def load_events(self) -> None:
        from crm.demo.events import load_events

        load_events(self)


def load_demo(actor: Actor, *, session: Session | None = None) -> int:
    """Load the demo data set; returns how many records were created (0 when already loaded)."""
    with writes.unit(session) as s:
        loader = _Loader(s, actor)
        loader.load_places()
        loader.load_partnerships()
        loader.load_events()
        return loader.created
