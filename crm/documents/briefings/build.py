"""Assemble a briefing: the people, the history of ties with each city, and the agenda.

A briefing starts from a delegation, a visit, a city, or hand-picked people and cities. The
result is plain data (`Briefing`) that the Word, PDF, Excel and CSV writers lay out. Reads are
column selects by id (never whole tables); related records are named by name.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import Session

from crm import models as m
from crm.config import today as office_today
from crm.documents.briefings.ties import CitySection, Table, city_ties
from crm.documents.exports import Names
from crm.errors import LiaisonError, NotFound
from crm.geo.countries import country_name
from crm.i18n import pick, t
from crm.models.kinds import get_kind, kind_names
from crm.periods import format_date
from crm.records.links import city_condition
from crm.store.cache import cached
from crm.store.writes import unit

SOURCES = ("delegations", "visits", "cities", "selection")
PEOPLE_COLUMNS = ("name_zh", "name_en", "title", "organisation", "city", "form_of_address", "protocol_notes", "role")
AGENDA_COLUMNS = ("date", "end", "what", "place", "detail", "status")
UPCOMING_KINDS = kind_names(scheduled=True)
MAX_PEOPLE = 2000


@dataclass
class Briefing:
    lang: str
    title: str
    subtitle: str
    summary: list[str]
    people: Table
    agenda: Table
    cities: list[CitySection] = field(default_factory=list)
    source: str = ""
    record_id: int | None = None
    person_ids: list[int] = field(default_factory=list)
    city_ids: list[int] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len(self.people.rows) + len(self.agenda.rows) + sum(len(t.rows) for c in self.cities for t in c.tables)

    def sheets(self) -> list[Table]:
        """The sections as flat tables (Excel sheets, CSV blocks): agenda, people, ties, history."""
        out = [self.agenda, self.people]
        merged: dict[str, Table] = {}
        for city in self.cities:
            for table in city.tables:
                into = merged.setdefault(table.key, Table(table.key, table.title,
                                                          [t("doc.col.city_id", self.lang), *table.headers], []))
                into.rows += [[city.name, *row] for row in table.rows]
        return out + list(merged.values())


def _label(lang: str, key: str) -> str:
    return t(f"brief.{key}", lang)


def _people_rows(s: Session, ids: list[int], roles: dict[int, str], lang: str, names: Names) -> list[list]:
    if not ids:
        return []
    p = m.Person
    cols = (p.id, p.name_en, p.name_zh, p.name_native, p.title_en, p.title_zh, p.organisation_id, p.city_id,
            p.country_code, p.form_of_address, p.protocol_notes)
    rows = [r._mapping for r in s.execute(select(*cols).where(p.id.in_(ids), p.deleted_at.is_(None)))]
    names.load({"organisations": {r["organisation_id"] for r in rows}, "cities": {r["city_id"] for r in rows}})
    order = {pid: i for i, pid in enumerate(ids)}
    out = []
    for r in sorted(rows, key=lambda r: order[r["id"]]):
        city = names.name("cities", r["city_id"])
        country = country_name(r["country_code"], lang)
        out.append([r["name_zh"] or r["name_native"], r["name_en"] or r["name_native"],
                    pick(lang, r["title_en"], r["title_zh"]), names.name("organisations", r["organisation_id"]),
                    ", ".join(x for x in (city, country) if x), r["form_of_address"], r["protocol_notes"],
                    roles.get(r["id"], "")])
    return out


def _stops(s: Session, delegation_id: int) -> list[dict]:
    st = m.DelegationStop
    stmt = select(st.city_id, st.arrive_on, st.depart_on, st.purpose).where(st.delegation_id == delegation_id)
    return [dict(r._mapping) for r in s.execute(stmt.order_by(st.seq))]


def _event(s: Session, kind_name: str, record_id: int) -> dict:
    kind = get_kind(kind_name)
    row = s.execute(select(*[c for c in kind.model.__table__.columns if c.name != "search_text"])
                    .where(kind.model.id == record_id)).first()
    if row is None or row._mapping["deleted_at"] is not None:
        raise NotFound("err.not_found", kind=t(f"kind.{kind_name}", "en"), id=record_id)
    return dict(row._mapping)


def _upcoming(s: Session, city_ids: list[int], lang: str, names: Names, today: date) -> list[list]:
    """Planned or confirmed events from today on that involve any of the cities."""
    rows = []
    for kind_name in UPCOMING_KINDS:
        model = get_kind(kind_name).model
        cond = or_(*[city_condition(get_kind(kind_name), cid) for cid in city_ids])
        stmt = (select(model.id, model.title_en, model.title_zh, model.start_on, model.end_on, model.status)
                .where(model.deleted_at.is_(None), cond, model.status.in_(("planned", "confirmed")),
                       func.coalesce(model.end_on, model.start_on) >= today)
                .order_by(model.start_on).limit(200))
        for r in s.execute(stmt):
            rows.append([r.start_on, r.end_on, pick(lang, r.title_en, r.title_zh), "",
                         t(f"kind.{kind_name}", lang), t(f"status.{r.status}", lang)])
    return sorted(rows, key=lambda r: (r[0] or date.max))


def _agenda_for_delegation(s: Session, row: dict, lang: str, names: Names) -> list[list]:
    """The itinerary in its order, each stop followed by the agreements signed there on this trip."""
    stops = _stops(s, row["id"])
    a = m.Agreement
    signed = list(s.execute(select(a.title_en, a.title_zh, a.signed_on, a.signed_place_city_id, a.status)
                            .where(a.delegation_id == row["id"], a.deleted_at.is_(None)).order_by(a.signed_on)))
    names.load({"cities": {x["city_id"] for x in stops} | {r.signed_place_city_id for r in signed}})
    out = []
    for stop in stops:
        city = names.name("cities", stop["city_id"])
        out.append([stop["arrive_on"], stop["depart_on"], stop["purpose"] or city, city, "", ""])
        for r in signed:
            if r.signed_place_city_id == stop["city_id"]:
                out.append([r.signed_on, None, pick(lang, r.title_en, r.title_zh), city,
                            t("kind.agreements", lang), t(f"status.{r.status}", lang)])
    stop_cities = {x["city_id"] for x in stops}
    for r in signed:
        if r.signed_place_city_id not in stop_cities:
            out.append([r.signed_on, None, pick(lang, r.title_en, r.title_zh), names.name("cities", r.signed_place_city_id),
                        t("kind.agreements", lang), t(f"status.{r.status}", lang)])
    return out


def _event_roles(s: Session, source: str, row: dict, lang: str) -> dict[int, str]:
    """The people of a delegation or visit, leader first, each with the role the briefing prints."""
    roles: dict[int, str] = {}
    if row.get("leader_person_id"):
        roles[row["leader_person_id"]] = _label(lang, "role_leader")
    link = m.DelegationPerson if source == "delegations" else m.VisitPerson
    fk = link.delegation_id if source == "delegations" else link.visit_id
    role_col = link.role if source == "delegations" else None
    for r in s.execute(select(link.person_id, *([role_col] if role_col is not None else []))
                       .where(fk == row["id"]).order_by(link.seq)):
        roles.setdefault(r[0], t(f"doc.role.{r[1]}", lang) if role_col is not None else "")
    return roles


@cached(copy_result=False)  # kept as is (no copy of its tables per rerun): callers and the writers only read it
def build(source: str, *, record_id: int | None = None, person_ids: list[int] | None = None,
          city_ids: list[int] | None = None, lang: str = "zh-TW", today: date | None = None,
          session: Session | None = None) -> Briefing:
    """The briefing for a delegation, a visit, a city (`record_id`), or a selection of people and cities."""
    if source not in SOURCES:
        raise LiaisonError("brief.bad_source", source=source)
    today = today or office_today()
    names = Names(lang, session)
    roles: dict[int, str] = {}
    person_ids = list(person_ids or [])
    city_ids = list(city_ids or [])
    agenda: list[list] = []
    with unit(session) as s:
        names.session = s
        if source in ("delegations", "visits"):
            row = _event(s, source, record_id)
            title = pick(lang, row["title_en"], row["title_zh"])
            dates = "–".join(x for x in (format_date(row["start_on"], lang), format_date(row["end_on"], lang)
                                         if row["end_on"] != row["start_on"] else "") if x)
            subtitle = f"{t(f'kind.{source}', lang)} · {dates}"
            roles = _event_roles(s, source, row, lang)
            person_ids = [*roles] + person_ids
            if source == "delegations":
                city_ids += [x["city_id"] for x in _stops(s, row["id"])]
                agenda = _agenda_for_delegation(s, row, lang, names)
            else:
                if row["origin_city_id"]:
                    city_ids.append(row["origin_city_id"])
                agenda = [[row["start_on"], row["end_on"], title, row["host"], row["purpose"],
                           t(f"status.{row['status']}", lang)]]
        elif source == "cities":
            city = s.get(m.City, record_id)
            if city is None or city.deleted_at is not None:
                raise NotFound("err.not_found", kind=t("kind.cities", "en"), id=record_id)
            title = pick(lang, city.name_en, city.name_zh)
            subtitle = country_name(city.country_code, lang)
            city_ids = [record_id]
            person_ids += [r[0] for r in s.execute(select(m.Person.id).where(
                m.Person.city_id == record_id, m.Person.deleted_at.is_(None)).order_by(m.Person.id).limit(MAX_PEOPLE))]
        else:
            title = _label(lang, "selection_title")
            subtitle = ""
            if person_ids:
                city_ids += [r[0] for r in s.execute(select(m.Person.city_id).where(
                    m.Person.id.in_(person_ids), m.Person.city_id.is_not(None)))]
        city_ids = list(dict.fromkeys(c for c in city_ids if c))
        person_ids = list(dict.fromkeys(person_ids))[:MAX_PEOPLE]
        if source in ("cities", "selection") and city_ids:
            agenda = _upcoming(s, city_ids, lang, names, today)
        people = Table("people", _label(lang, "people"), [t(f"brief.col.{c}", lang) for c in PEOPLE_COLUMNS],
                       _people_rows(s, person_ids, roles, lang, names))
        cities = [city_ties(s, cid, lang, names, today) for cid in city_ids]
    agenda_table = Table("agenda", _label(lang, "agenda"), [t(f"brief.col.{c}", lang) for c in AGENDA_COLUMNS], agenda)
    summary = [_label(lang, "generated").format(day=format_date(today, lang)),
               t("brief.summary", lang, people=len(people.rows), cities=len(cities), agenda=len(agenda))]
    return Briefing(lang, title, subtitle, summary, people, agenda_table, [c for c in cities if c is not None],
                    source, record_id, person_ids, city_ids)
