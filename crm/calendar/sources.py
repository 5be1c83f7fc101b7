"""What the calendar shows, source by source: each scheduled record kind, pact anniversaries, agreement expiries.

A source is one entry in `SOURCES` (name, colour, reader); `register` adds one, so a new dated kind (tasks,
programme items) adds itself to the page, the feed and their filters without touching them. Every scheduled
kind of crm.models.kinds is a source of its own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from crm import models as m
from crm.i18n import pick, t
from crm.models.kinds import get_kind, kind_colors, kind_names
from crm.periods import Period
from crm.records.queries import list_records
from crm.store.cache import cached
from crm.store.writes import unit
from crm.views.anniversaries import anniversaries_between, anniversary_title

CHUNK = 1000


@dataclass(frozen=True)
class Filters:
    """The calendar's filters, as on the lists: statuses (empty = all) and a country (ISO-2, "" = all)."""

    statuses: tuple[str, ...] = ()
    country: str = ""


@dataclass(frozen=True)
class CalEvent:
    """One dated thing on the calendar, with the record it opens (`page`, `record_id`)."""

    source: str
    page: str
    record_id: int
    title: str
    start: date
    end: date
    status: str
    color: str

    @property
    def uid(self) -> str:
        return f"{self.source}-{self.record_id}-{self.start.isoformat()}@liaison"

    def days(self) -> int:
        return (self.end - self.start).days + 1


Reader = Callable[[Period, Filters, str], list[CalEvent]]


@dataclass(frozen=True)
class Source:
    name: str
    color: str
    read: Reader
    statuses: tuple[str, ...] = ()  # the statuses its events can have (for the filter)

    def label(self, lang: str) -> str:
        return t(f"cal.source.{self.name}", lang)


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source (a new dated kind): the calendar page, the feed and their filters pick it up."""
    SOURCES[source.name] = source
    return source


def _kind_reader(kind_name: str) -> Reader:
    def read(period: Period, filters: Filters, lang: str) -> list[CalEvent]:
        kind = get_kind(kind_name)
        out = []
        for status in filters.statuses or (None,):
            page = 1
            while True:
                result = list_records(kind_name, period=period, status=status, country=filters.country or None,
                                      sort=kind.date_field, descending=False, page=page, page_size=CHUNK)
                for row in result.rows:
                    start = _day(row.get("start_on") or row.get("planned_start"))
                    if start is None:
                        continue
                    end = _day(row.get("end_on") or row.get("planned_end")) or start
                    out.append(CalEvent(kind_name, kind_name, row["id"],
                                        pick(lang, row.get("title_en"), row.get("title_zh"), f"#{row['id']}"),
                                        start, max(start, end), row.get("status") or "", kind.color))
                if page * CHUNK >= result.total or not result.rows:
                    break
                page += 1
        return out

    return read


def _day(value) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _anniversaries(period: Period, filters: Filters, lang: str) -> list[CalEvent]:
    """Each year's anniversary of every active or dormant pact with a known day."""
    if filters.statuses and "anniversary" not in filters.statuses:
        return []
    p, c = m.Partnership, m.City
    stmt = (select(col(p.id), col(p.kind), col(p.established_on), col(c.name_en), col(c.name_zh), col(c.name_native))
            .join(c, col(c.id) == p.city_id)
            .where(col(p.deleted_at).is_(None), col(p.status).in_(("active", "dormant")),
                   col(p.established_on).is_not(None), col(p.established_on) <= period.end))
    if filters.country:
        stmt = stmt.where(col(c.country_code) == filters.country)
    color = get_kind("partnerships").color
    out = []
    with unit(None) as s:
        for r in s.execute(stmt):
            city = pick(lang, r.name_en, r.name_zh, r.name_native)
            for day, years in anniversaries_between(_day(r.established_on) or period.start, period.start, period.end):
                out.append(CalEvent("anniversaries", "partnerships", r.id, anniversary_title(city, r.kind, years, lang),
                                    day, day, "anniversary", color))
    return out


def _expiries(period: Period, filters: Filters, lang: str) -> list[CalEvent]:
    """The day each signed agreement's validity ends."""
    if filters.statuses and "expiry" not in filters.statuses:
        return []
    a = m.Agreement
    stmt = select(col(a.id), col(a.title_en), col(a.title_zh), col(a.valid_until)).where(
        col(a.deleted_at).is_(None), col(a.status) == "signed", col(a.valid_until).between(period.start, period.end))
    if filters.country:
        stmt = stmt.where(col(a.counterpart_city_id).in_(select(col(m.City.id))
                                                          .where(col(m.City.country_code) == filters.country)))
    color = get_kind("agreements").color
    with unit(None) as s:
        return [CalEvent("expiries", "agreements", r.id,
                         t("cal.expires", lang, title=pick(lang, r.title_en, r.title_zh, f"#{r.id}")),
                         _day(r.valid_until) or period.start, _day(r.valid_until) or period.start, "expiry", color)
                for r in s.execute(stmt)]


for _name in kind_names(scheduled=True):
    register(Source(_name, kind_colors()[_name], _kind_reader(_name), get_kind(_name).statuses))
register(Source("anniversaries", "#e74c3c", _anniversaries, ("anniversary",)))
register(Source("expiries", "#9a7d0a", _expiries, ("expiry",)))


def source_names() -> tuple[str, ...]:
    return tuple(SOURCES)


@cached  # plain data, re-read after any write (crm.store.cache)
def events(period: Period, sources: tuple[str, ...] = (), filters: Filters = Filters(), lang: str = "zh-TW"
           ) -> list[CalEvent]:
    """Every event of `sources` (all when empty) overlapping `period`, soonest first."""
    out: list[CalEvent] = []
    for name in sources or source_names():
        source = SOURCES.get(name)
        if source is not None:
            out += source.read(period, filters, lang)
    return sorted(out, key=lambda e: (e.start, e.source, e.title))


def status_choices(sources: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The statuses the chosen sources' events can have, in a stable order (the status filter)."""
    seen: dict[str, None] = {}
    for name in sources or source_names():
        for status in SOURCES[name].statuses if name in SOURCES else ():
            seen.setdefault(status, None)
    return tuple(seen)


__all__ = ["CalEvent", "Filters", "SOURCES", "Source", "events", "register", "source_names", "status_choices"]
