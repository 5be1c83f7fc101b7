"""Assemble a briefing: the people, the history of ties with each city, and the agenda.

A briefing starts from a delegation, a visit, a city, or hand-picked people and cities. The
result is plain data (`Briefing`) that the Word, PDF, Excel and CSV writers lay out. Reads are
column selects by id (never whole tables); related records are named by name.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.config import today as office_today
from crm.documents.briefings.ties import CitySection, Table, city_ties
from crm.documents.columns import event_model, table_of
from crm.errors import LiaisonError, NotFound
from crm.geo.countries import country_name
from crm.i18n import pick, t
from crm.models.kinds import UPCOMING_STATUSES, get_kind, kind_names
from crm.periods import format_date
from crm.records.links import city_condition
from crm.records.names import Names
from crm.store.cache import cached
from crm.store.writes import unit

SOURCES = ("delegations", "visits", "cities", "selection")
PEOPLE_COLUMNS = ("name_zh", "name_en", "title", "organisation", "city", "form_of_address", "protocol_notes", "role")
AGENDA_COLUMNS = ("date", "end", "what", "place", "detail", "status")
UPCOMING_KINDS = kind_names(scheduled=True)
MAX_PEOPLE = 2000
MAX_PHOTOS = 12  # photos a briefing carries (its record's, then its people's), newest first


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
    photos: list[dict] = field(default_factory=list)  # {"caption", "data" (a JPEG thumbnail, no EXIF)}

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
    cols = (col(p.id), col(p.name_en), col(p.name_zh), col(p.name_native), col(p.title_en), col(p.title_zh),
            col(p.organisation_id), col(p.city_id), col(p.country_code), col(p.form_of_address), col(p.protocol_notes))
    rows = [r._mapping for r in s.execute(select(*cols).where(col(p.id).in_(ids), col(p.deleted_at).is_(None)))]
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
    stmt = (select(col(st.city_id), col(st.arrive_on), col(st.depart_on), col(st.purpose))
            .where(col(st.delegation_id) == delegation_id))
    return [dict(r._mapping) for r in s.execute(stmt.order_by(col(st.seq)))]


def _event(s: Session, kind_name: str, record_id: int | None) -> dict:
    kind = get_kind(kind_name)
    row = None if record_id is None else s.execute(
        select(*[c for c in table_of(kind.model).columns if c.name != "search_text"])
        .where(col(kind.model.id) == record_id)).first()
    if row is None or row._mapping["deleted_at"] is not None:
        raise NotFound("err.not_found", kind=t(f"kind.{kind_name}", "en"), id=record_id)
    return dict(row._mapping)


def _upcoming(s: Session, city_ids: list[int], lang: str, names: Names, today: date) -> list[list]:
    """Planned or confirmed events from today on that involve any of the cities."""
    rows = []
    for kind_name in UPCOMING_KINDS:
        model = event_model(get_kind(kind_name))
        cond = or_(*[city_condition(get_kind(kind_name), cid) for cid in city_ids])
        stmt = (select(col(model.id), col(model.title_en), col(model.title_zh), col(model.start_on), col(model.end_on),
                       col(model.status))
                .where(col(model.deleted_at).is_(None), cond, col(model.status).in_(UPCOMING_STATUSES),
                       func.coalesce(model.end_on, model.start_on) >= today)
                .order_by(col(model.start_on)).limit(200))
        for r in s.execute(stmt):
            rows.append([r.start_on, r.end_on, pick(lang, r.title_en, r.title_zh), "",
                         t(f"kind.{kind_name}", lang), t(f"status.{r.status}", lang)])
    return sorted(rows, key=lambda r: (r[0] or date.max))


def _agenda_for_delegation(s: Session, row: dict, lang: str, names: Names) -> list[list]:
    """The itinerary in its order, each stop followed by the agreements signed there on this trip."""
    stops = _stops(s, row["id"])
    a = m.Agreement
    signed = list(s.execute(select(col(a.title_en), col(a.title_zh), col(a.signed_on), col(a.signed_place_city_id),
                                   col(a.status))
                            .where(col(a.delegation_id) == row["id"], col(a.deleted_at).is_(None))
                            .order_by(col(a.signed_on))))
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
    if source == "delegations":
        dp = m.DelegationPerson
        for person_id, role in s.execute(select(col(dp.person_id), col(dp.role))
                                         .where(col(dp.delegation_id) == row["id"]).order_by(col(dp.seq))):
            roles.setdefault(person_id, t(f"doc.role.{role}", lang))
    else:
        vp = m.VisitPerson
        for (person_id,) in s.execute(select(col(vp.person_id)).where(col(vp.visit_id) == row["id"])
                                      .order_by(col(vp.seq))):
            roles.setdefault(person_id, "")
    return roles


def _photos(s: Session, source: str, record_id: int | None, person_ids: list[int], lang: str) -> list[dict]:
    """The photos on the briefing's record and its people (thumbnails: re-encoded, without location)."""
    from crm.files.attach import files_on, thumbnails

    records = ([(source, record_id)] if source != "selection" and record_id is not None else []) + [
        ("people", pid) for pid in person_ids]
    rows = [r for r in files_on(records, session=s) if r["category"] == "image"][:MAX_PHOTOS]
    thumbs = thumbnails((r["sha256"] for r in rows), session=s)
    return [{"caption": pick(lang, r["caption_en"], r["caption_zh"]) or r["name"], "data": thumbs[r["sha256"]]}
            for r in rows if r["sha256"] in thumbs]


@cached(copy_result=False)  # kept as is (no copy of its tables per rerun): callers and the writers only read it
def build(source: str, *, record_id: int | None = None, person_ids: list[int] | None = None,
          city_ids: list[int] | None = None, lang: str = "zh-TW", today: date | None = None, photos: bool = False,
          session: Session | None = None) -> Briefing:
    """The briefing for a delegation, a visit, a city (`record_id`), or a selection of people and cities; with
    `photos`, the photos on file of its record and its people."""
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
            if record_id is None or (city := s.get(m.City, record_id)) is None or city.deleted_at is not None:
                raise NotFound("err.not_found", kind=t("kind.cities", "en"), id=record_id)
            title = pick(lang, city.name_en, city.name_zh)
            subtitle = country_name(city.country_code, lang)
            city_ids = [record_id]
            p = m.Person
            person_ids += [r[0] for r in s.execute(select(col(p.id)).where(
                col(p.city_id) == record_id, col(p.deleted_at).is_(None)).order_by(col(p.id)).limit(MAX_PEOPLE))]
        else:
            title = _label(lang, "selection_title")
            subtitle = ""
            if person_ids:
                p = m.Person
                city_ids += [r[0] for r in s.execute(select(col(p.city_id)).where(
                    col(p.id).in_(person_ids), col(p.city_id).is_not(None)))]
        city_ids = list(dict.fromkeys(c for c in city_ids if c))
        person_ids = list(dict.fromkeys(person_ids))[:MAX_PEOPLE]
        if source in ("cities", "selection") and city_ids:
            agenda = _upcoming(s, city_ids, lang, names, today)
        people = Table("people", _label(lang, "people"), [t(f"brief.col.{c}", lang) for c in PEOPLE_COLUMNS],
                       _people_rows(s, person_ids, roles, lang, names))
        cities = [city_ties(s, cid, lang, names, today) for cid in city_ids]
        pictures = _photos(s, source, record_id, person_ids, lang) if photos else []
    agenda_table = Table("agenda", _label(lang, "agenda"), [t(f"brief.col.{c}", lang) for c in AGENDA_COLUMNS], agenda)
    summary = [_label(lang, "generated").format(day=format_date(today, lang)),
               t("brief.summary", lang, people=len(people.rows), cities=len(cities), agenda=len(agenda))]
    return Briefing(lang, title, subtitle, summary, people, agenda_table, [c for c in cities if c is not None],
                    source, record_id, person_ids, city_ids, pictures)
