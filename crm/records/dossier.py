"""Dossiers: everything on file involving one city, person or organisation, and reverse links.

All reads are SQL selects of a few columns per kind (never whole tables); each item carries the
kind and id so a screen can link to it (`/<kind>?id=<id>`).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.models.base import table_of
from crm.models.kinds import KINDS, get_kind, kind_names
from crm.records.kinds.partnerships import signers_text
from crm.records.links import city_condition
from crm.records.names import Rows, display_name, name_columns, record_name
from crm.store.writes import unit

CITY_KINDS = kind_names(entity=False)  # every record kind names a city somewhere (crm.records.links)
MAX_ITEMS = 500


@dataclass
class Item:
    kind: str
    id: int
    label: str
    day: date | None = None
    end: date | None = None
    status: str = ""
    role: str = ""  # how the subject takes part: "leader", "member", "met", "signatory"...
    extra: dict = field(default_factory=dict)


@dataclass
class Dossier:
    kind: str
    record: dict
    sections: dict[str, list[Item]]

    def timeline(self) -> list[Item]:
        """Dated items of every section, oldest first (the small timeline of a dossier)."""
        seen, items = set(), []
        for section in self.sections.values():
            for item in section:
                if item.day is not None and (item.kind, item.id) not in seen:
                    seen.add((item.kind, item.id))
                    items.append(item)
        return sorted(items, key=lambda i: (i.day, i.kind, i.id))

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.sections.values())


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _items(s: Session, kind_name: str, *conditions, lang: str, role: str = "") -> list[Item]:
    kind = get_kind(kind_name)
    model = kind.model
    wanted = [c for c in table_of(model).columns if c.name in (
        *name_columns(kind_name), "status", "city_id", kind.date_field or "", kind.end_field or "", "valid_until",
        "council_approved_on", "kind", "topic")]
    order = getattr(model, kind.date_field) if kind.date_field else col(model.id)
    stmt = (select(*wanted).where(col(model.deleted_at).is_(None), *conditions).order_by(order, col(model.id))
            .limit(MAX_ITEMS))
    rows = [dict(row._mapping) for row in s.execute(stmt)]
    cities = Rows(s)  # a partnership is called by its city
    if kind_name == "partnerships":
        cities.load({"cities": {data["city_id"] for data in rows}})
    out = []
    for data in rows:
        city = cities.row("cities", data["city_id"]) if kind_name == "partnerships" else None
        out.append(Item(kind_name, data["id"], record_name(kind_name, data, lang, city),
                        _as_date(data.get(kind.date_field or "")),
                        _as_date(data.get(kind.end_field or "")), data.get("status") or "", role,
                        {k: data[k] for k in ("valid_until", "council_approved_on", "kind", "topic") if k in data}))
    return out


def city_dossier(city_id: int, lang: str, *, session: Session | None = None) -> Dossier | None:
    """The city and everything involving it: ties, events, letters, people and organisations there."""
    with unit(session) as s:
        city = s.get(m.City, city_id)
        if city is None:
            return None
        sections: dict[str, list[Item]] = {}
        for kind_name in kind_names(entity=False):  # read now: a kind registered after import shows too
            sections[kind_name] = _items(s, kind_name, city_condition(KINDS[kind_name], city_id), lang=lang)
        for item in sections["partnerships"]:
            item.extra["signings"] = signings(s, item.id, lang)
        sections["people"] = _items(s, "people", m.Person.city_id == city_id, lang=lang)
        sections["organisations"] = _items(s, "organisations", m.Organisation.city_id == city_id, lang=lang)
        return Dossier("cities", city.model_dump(), sections)


def signings(s: Session, partnership_id: int, lang: str) -> list[dict]:
    """A partnership's signings with the place named (a remote signing has one row per party)."""
    rows = s.scalars(select(m.Signing).where(col(m.Signing.partnership_id) == partnership_id)
                     .order_by(col(m.Signing.seq))).all()

    def person_name(person_id: int) -> str:
        person = s.get(m.Person, person_id)
        assert person is not None  # a signer's person id is a foreign key, and people are only soft-deleted
        return display_name("people", person.model_dump(), lang)

    out = []
    for r in rows:
        place = s.get(m.City, r.place_city_id) if r.place_city_id else None
        who = signers_text(r.model_dump(), lang, person_name)
        out.append({"signed_on": r.signed_on, "party": r.party, "mode": r.mode, "signatory": who,
                    "place": display_name("cities", place.model_dump(), lang) if place else "",
                    "place_city_id": r.place_city_id, "delegation_id": r.delegation_id})
    return out


def person_dossier(person_id: int, lang: str, *, session: Session | None = None) -> Dossier | None:
    """The person and every encounter: delegations led, joined or met on, visits, conferences, signings."""
    with unit(session) as s:
        person = s.get(m.Person, person_id)
        if person is None:
            return None
        d, v = m.Delegation, m.Visit
        dp, vp = m.DelegationPerson, m.VisitPerson
        led = _items(s, "delegations", col(d.leader_person_id) == person_id, lang=lang, role="leader")
        for role in ("member", "met"):
            led += _items(s, "delegations", col(d.leader_person_id).is_distinct_from(person_id), exists().where(
                col(dp.delegation_id) == d.id, col(dp.person_id) == person_id, col(dp.role) == role),
                lang=lang, role=role)
        visits = _items(s, "visits", col(v.leader_person_id) == person_id, lang=lang, role="leader")
        visits += _items(s, "visits", col(v.leader_person_id).is_distinct_from(person_id), exists().where(
            col(vp.visit_id) == v.id, col(vp.person_id) == person_id), lang=lang, role="member")
        sections = {
            "delegations": led,
            "visits": visits,
            "conferences": _items(s, "conferences", exists().where(
                col(m.ConferencePerson.conference_id) == m.Conference.id,
                col(m.ConferencePerson.person_id) == person_id),
                lang=lang),
            "partnerships": _items(s, "partnerships", exists().where(
                col(m.Signing.partnership_id) == m.Partnership.id,
                or_(col(m.Signing.signatory_person_id) == person_id,
                    col(m.Signing.partner_signatory_person_id) == person_id)),
                lang=lang, role="signatory"),
            "letters": _items(s, "letters", exists().where(
                col(m.LetterRecipient.letter_id) == m.OutreachLetter.id, col(m.LetterRecipient.person_id) == person_id),
                lang=lang),
        }
        return Dossier("people", person.model_dump(), sections)


def organisation_dossier(org_id: int, lang: str, *, session: Session | None = None) -> Dossier | None:
    """The organisation, its people, visits, conferences it organised, agreements, letters."""
    with unit(session) as s:
        org = s.get(m.Organisation, org_id)
        if org is None:
            return None
        sections = {
            "people": _items(s, "people", m.Person.organisation_id == org_id, lang=lang),
            "visits": _items(s, "visits", m.Visit.organisation_id == org_id, lang=lang),
            "conferences": _items(s, "conferences", m.Conference.organiser_org_id == org_id, lang=lang),
            "agreements": _items(s, "agreements", m.Agreement.counterpart_org_id == org_id, lang=lang),
            "letters": _items(s, "letters", exists().where(
                col(m.LetterRecipient.letter_id) == m.OutreachLetter.id,
                col(m.LetterRecipient.organisation_id) == org_id),
                lang=lang),
        }
        return Dossier("organisations", org.model_dump(), sections)


def dossier(kind_name: str, record_id: int, lang: str, *, session: Session | None = None) -> Dossier | None:
    """The dossier of a city, person or organisation (None for other kinds or an unknown id)."""
    fn = {"cities": city_dossier, "people": person_dossier, "organisations": organisation_dossier}.get(kind_name)
    return fn(record_id, lang, session=session) if fn else None


def related(kind_name: str, record_id: int, lang: str, *, session: Session | None = None) -> dict[str, list[Item]]:
    """Records pointing at this one (the other way of a link): a delegation's MOUs and signings..."""
    with unit(session) as s:
        if kind_name == "delegations":
            return {
                "agreements": _items(s, "agreements", m.Agreement.delegation_id == record_id, lang=lang),
                "partnerships": _items(s, "partnerships", exists().where(
                    col(m.Signing.partnership_id) == m.Partnership.id, col(m.Signing.delegation_id) == record_id),
                    lang=lang),
            }
        if kind_name == "partnerships":
            return {"agreements": _items(s, "agreements", m.Agreement.partnership_id == record_id, lang=lang)}
        if kind_name == "agreements":
            return {"exchanges": _items(s, "exchanges", m.ExchangeProgramme.agreement_id == record_id, lang=lang)}
        if kind_name == "visits":
            return {"agreements": _items(s, "agreements", m.Agreement.visit_id == record_id, lang=lang)}
        return {}


def search_cities(q: str, lang: str, *, limit: int = 20, session: Session | None = None) -> list[Item]:
    """Cities matching `q` (any language), for a dossier's own search box."""
    from crm.text import fold

    words = fold(q).split()
    if not words:
        return []
    with unit(session) as s:
        return _items(s, "cities", *[col(m.City.search_text).contains(w, autoescape=True) for w in words],
                      lang=lang)[:limit]


__all__ = ["Dossier", "Item", "city_dossier", "dossier", "or_", "organisation_dossier", "person_dossier", "related"]
