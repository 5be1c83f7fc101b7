"""What the world map shows, read in SQL: partner cities, activity per city, visits, trips, conferences.

Everything is aggregated in the database (GROUP BY city, a window for each city's latest activity);
the figures in `crm.views.map` only draw these plain rows.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Integer, cast, distinct, func, label, literal, select, union_all
from sqlmodel import Session, col

from crm import models as m
from crm.periods import Period
from crm.store.cache import cached
from crm.store.writes import unit

ACTIVE_STATUSES = ("held", "confirmed", "planned")  # what the map shows as activity (not postponed/cancelled)
LAYERS = ("partnerships", "visits", "delegations", "conferences")
HOME_SETTING = "home_city_id"


@dataclass(frozen=True)
class MapFilters:
    """The map's choices: layers drawn, period (None: all time), partnership kinds (empty: all), region."""

    layers: tuple[str, ...] = ("partnerships",)
    period: Period | None = None
    kinds: tuple[str, ...] = ()
    region: str | None = None  # continent code (AF, AS, EU, NA, OC, SA, AN)
    tag_id: int | None = None  # partnerships carrying this tag (crm.store.labels)


@dataclass
class CityPoint:
    id: int
    name_en: str
    name_zh: str
    name_native: str
    country_code: str
    latitude: float
    longitude: float
    extra: dict = field(default_factory=dict)


CITY_COLUMNS = (col(m.City.id), col(m.City.name_en), col(m.City.name_zh), col(m.City.name_native),
                col(m.City.country_code), col(m.City.latitude), col(m.City.longitude))


def _city(row, **extra) -> CityPoint:
    return CityPoint(row.id, row.name_en or "", row.name_zh or "", row.name_native or "", row.country_code or "",
                     float(row.latitude), float(row.longitude), extra)


def _placed():
    return [col(m.City.deleted_at).is_(None), col(m.City.latitude).is_not(None), col(m.City.longitude).is_not(None)]


def _region(region: str | None) -> list:
    if not region:
        return []
    return [col(m.City.country_code).in_(select(col(m.Country.code)).where(col(m.Country.continent) == region))]


def _in_period(column, period: Period | None) -> list:
    return [] if period is None else [column.between(period.start, period.end)]


@cached  # plain data, re-read after any write (crm.store.cache)
def home_city(*, session: Session | None = None) -> CityPoint | None:
    """The home city: the `home_city_id` setting when it names a placed city, else Taipei (TW)."""
    with unit(session) as s:
        setting = s.get(m.Setting, HOME_SETTING)
        row = None
        if setting is not None and str(setting.value).strip().isdigit():
            row = s.execute(select(*CITY_COLUMNS).where(col(m.City.id) == int(setting.value), *_placed())).first()
        if row is None:
            row = s.execute(select(*CITY_COLUMNS).where(
                *_placed(), col(m.City.country_code) == "TW",
                func.lower(m.City.name_en).in_(("taipei", "taipei city"))).order_by(col(m.City.id)).limit(1)).first()
        return _city(row) if row is not None else None


@cached  # plain data, re-read after any write (crm.store.cache)
def partner_cities(filters: MapFilters, *, session: Session | None = None) -> list[CityPoint]:
    """One point per partner city (its partnership's kind, status and year), placed, alive."""
    p = m.Partnership
    conditions = [col(p.deleted_at).is_(None), *_placed(), *_region(filters.region)]
    if filters.kinds:
        conditions.append(col(p.kind).in_(filters.kinds))
    if filters.tag_id is not None:
        from crm.store.labels import tag_condition

        conditions.append(tag_condition("partnerships", filters.tag_id))
    stmt = (select(*CITY_COLUMNS, label("partnership_id", col(p.id)), col(p.kind), col(p.status), col(p.established_on),
                   col(p.established_year)).join(m.City, col(m.City.id) == p.city_id).where(*conditions)
            .order_by(col(m.City.id), col(p.id)))
    points: dict[int, CityPoint] = {}
    with unit(session) as s:
        for row in s.execute(stmt):
            if row.id in points and points[row.id].extra["status"] == "active":
                continue  # one marker per city: an active tie wins over an older one
            year = row.established_on.year if row.established_on else row.established_year
            points[row.id] = _city(row, partnership_id=row.partnership_id, kind=row.kind, status=row.status,
                                   year=year)
    return list(points.values())


@cached  # plain data, re-read after any write (crm.store.cache)
def map_summary(filters: MapFilters, *, session: Session | None = None) -> tuple[int, int]:
    """The map's caption: (partner cities shown, how many of them have activity in the filters' period)."""
    cities = partner_cities(filters, session=session)
    activity = activity_by_city(filters.period, session=session)
    return len(cities), sum(1 for c in cities if activity.get(c.id))


def _activity_rows(period: Period | None):
    """(city_id, kind, record id, day, title_en, title_zh) for every activity involving a city."""
    def part(model, city_col, kind, day_col, *joins, extra=()):
        stmt = select(city_col.label("city_id"), literal(kind).label("kind"), model.id.label("record_id"),
                      day_col.label("day"), model.title_en.label("title_en"), model.title_zh.label("title_zh"))
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(model.deleted_at.is_(None), city_col.is_not(None), *extra, *_in_period(day_col, period))

    def active(model) -> list:
        return [model.status.in_(ACTIVE_STATUSES)]

    d = m.Delegation
    return union_all(
        part(m.Visit, m.Visit.origin_city_id, "visits", m.Visit.start_on, extra=active(m.Visit)),
        part(d, m.DelegationStop.city_id, "delegations", func.coalesce(m.DelegationStop.arrive_on, d.start_on),
             (m.DelegationStop, m.DelegationStop.delegation_id == d.id), extra=active(d)),
        part(m.Conference, m.Conference.organiser_city_id, "conferences", m.Conference.start_on,
             extra=active(m.Conference)),
        part(m.Forum, m.Forum.counterpart_city_id, "forums", m.Forum.start_on, extra=active(m.Forum)),
        part(m.ExchangeProgramme, m.ExchangeProgramme.counterpart_city_id, "exchanges",
             m.ExchangeProgramme.start_on, extra=active(m.ExchangeProgramme)),
        part(m.Agreement, m.Agreement.counterpart_city_id, "agreements", m.Agreement.signed_on,
             extra=[col(m.Agreement.status) != "draft"]),
    ).subquery()


@cached  # plain data, re-read after any write (crm.store.cache)
def activity_by_city(period: Period | None, *, session: Session | None = None) -> dict[int, int]:
    """city id → number of activities involving it in `period` (one GROUP BY)."""
    rows = _activity_rows(period)
    with unit(session) as s:
        result = s.execute(select(rows.c.city_id, func.count()).group_by(rows.c.city_id))
        return {int(city): int(n) for city, n in result}


@cached  # plain data, re-read after any write (crm.store.cache)
def recent_activity(city_ids: list[int], *, per_city: int = 3, until: date | None = None,
                    session: Session | None = None) -> dict[int, list[dict]]:
    """The latest `per_city` activities of each city (a window per city), newest first."""
    if not city_ids:
        return {}
    rows = _activity_rows(None)
    rank = func.row_number().over(partition_by=rows.c.city_id, order_by=(rows.c.day.desc(), rows.c.record_id.desc()))
    conditions = [rows.c.city_id.in_(city_ids), rows.c.day.is_not(None)]
    if until is not None:
        conditions.append(rows.c.day <= until)
    ranked = select(rows, rank.label("rank")).where(*conditions).subquery()
    out: dict[int, list[dict]] = {}
    with unit(session) as s:
        for row in s.execute(select(ranked).where(ranked.c.rank <= per_city).order_by(ranked.c.city_id, ranked.c.rank)):
            out.setdefault(int(row.city_id), []).append(dict(row._mapping))
    return out


@cached  # plain data, re-read after any write (crm.store.cache)
def visit_origins(filters: MapFilters, *, session: Session | None = None) -> list[CityPoint]:
    """Visits received, grouped by origin city: groups and people."""
    v = m.Visit
    stmt = (select(*CITY_COLUMNS, func.count(col(v.id)).label("groups"),
                   func.coalesce(func.sum(v.headcount), 0).label("people"))
            .join(m.City, col(m.City.id) == v.origin_city_id)
            .where(col(v.deleted_at).is_(None), col(v.status).in_(ACTIVE_STATUSES), *_placed(),
                   *_region(filters.region), *_in_period(v.start_on, filters.period))
            .group_by(*CITY_COLUMNS).order_by(col(m.City.id)))
    with unit(session) as s:
        return [_city(r, groups=int(r.groups), people=int(r.people)) for r in s.execute(stmt)]


@cached  # plain data, re-read after any write (crm.store.cache)
def conference_cities(filters: MapFilters, *, session: Session | None = None) -> list[CityPoint]:
    """Video conferences and meetings attended, grouped by the organiser's city."""
    c = m.Conference
    stmt = (select(*CITY_COLUMNS, func.count(col(c.id)).label("conferences"))
            .join(m.City, col(m.City.id) == c.organiser_city_id)
            .where(col(c.deleted_at).is_(None), col(c.status).in_(ACTIVE_STATUSES), *_placed(),
                   *_region(filters.region), *_in_period(c.start_on, filters.period))
            .group_by(*CITY_COLUMNS).order_by(col(m.City.id)))
    with unit(session) as s:
        return [_city(r, conferences=int(r.conferences)) for r in s.execute(stmt)]


@cached  # plain data, re-read after any write (crm.store.cache)
def delegation_routes(filters: MapFilters | None = None, *, delegation_id: int | None = None,
                      session: Session | None = None) -> list[dict]:
    """Delegations with their ordered, placed stops: [{id, title_en, title_zh, start_on, end_on, stops: [...]}]."""
    d, stop = m.Delegation, m.DelegationStop
    conditions = [col(d.deleted_at).is_(None), *_placed()]
    if delegation_id is not None:
        conditions.append(col(d.id) == delegation_id)
    else:
        conditions += _delegation_conditions(filters or MapFilters())
    stmt = (select(label("delegation_id", col(d.id)), col(d.title_en), col(d.title_zh), col(d.start_on),
                   col(d.end_on), col(d.status), col(stop.seq), col(stop.arrive_on), col(stop.depart_on),
                   *CITY_COLUMNS)
            .join(stop, col(stop.delegation_id) == d.id).join(m.City, col(m.City.id) == stop.city_id)
            .where(*conditions).order_by(col(d.start_on), col(d.id), col(stop.seq), col(stop.id)))
    routes: dict[int, dict] = {}
    with unit(session) as s:
        for row in s.execute(stmt):
            route = routes.setdefault(row.delegation_id, {
                "id": row.delegation_id, "title_en": row.title_en, "title_zh": row.title_zh, "start_on": row.start_on,
                "end_on": row.end_on, "status": row.status, "stops": []})
            route["stops"].append(_city(row, arrive_on=row.arrive_on, depart_on=row.depart_on))
    return list(routes.values())


def _delegation_conditions(filters: MapFilters) -> list:
    d, stop = m.Delegation, m.DelegationStop
    conditions = [col(d.deleted_at).is_(None), col(d.status).in_(ACTIVE_STATUSES),
                  *_in_period(d.start_on, filters.period)]
    if filters.region:
        conditions.append(col(d.id).in_(select(col(stop.delegation_id)).join(m.City, col(m.City.id) == stop.city_id)
                                   .where(*_region(filters.region))))
    return conditions


@cached  # plain data, re-read after any write (crm.store.cache)
def delegation_legs(filters: MapFilters, *, session: Session | None = None) -> tuple[list[tuple], list[CityPoint]]:
    """Itinerary legs of the delegations in the filters, aggregated in SQL.

    Returns ([(from city id or None for home, to city id or None for home, trips)], [stop cities with
    `extra["stops"]` and `extra["trips"]`]). Consecutive stops come from LAG/LEAD over each trip's order.
    """
    d, stop = m.Delegation, m.DelegationStop
    trip, order = col(stop.delegation_id), (col(stop.seq), col(stop.id))
    ordered = (select(trip, col(stop.city_id),
                      func.lag(stop.city_id).over(partition_by=trip, order_by=order).label("prev"),
                      func.lead(stop.city_id).over(partition_by=trip, order_by=order).label("next"))
               .join(d, col(d.id) == stop.delegation_id).join(m.City, col(m.City.id) == stop.city_id)
               .where(*_delegation_conditions(filters), *_placed()).subquery())
    legs_in = select(ordered.c.prev, ordered.c.city_id, func.count()).group_by(ordered.c.prev, ordered.c.city_id)
    legs_home = (select(ordered.c.city_id, literal(None), func.count()).where(ordered.c.next.is_(None))
                 .group_by(ordered.c.city_id))
    per_city = (select(ordered.c.city_id, func.count().label("stops"),
                       func.count(distinct(ordered.c.delegation_id)).label("trips")).group_by(ordered.c.city_id)
                .subquery())
    with unit(session) as s:
        legs = [(a, b, int(n)) for a, b, n in s.execute(legs_in)] + [(a, None, int(n)) for a, _, n in s.execute(legs_home)]
        cities = [_city(r, stops=int(r.stops), trips=int(r.trips)) for r in s.execute(
            select(*CITY_COLUMNS, per_city.c.stops, per_city.c.trips).join(per_city, per_city.c.city_id == m.City.id)
            .order_by(col(m.City.id)))]
    return legs, cities


@cached  # plain data, re-read after any write (crm.store.cache)
def activity_years(*, session: Session | None = None) -> list[int]:
    """Years that hold any activity, oldest first (for the map's year slider)."""
    rows = _activity_rows(None)
    year = cast(func.extract("year", rows.c.day), Integer)
    with unit(session) as s:
        return [int(y) for (y,) in s.execute(select(year).where(rows.c.day.is_not(None)).distinct().order_by(year))
                if y is not None]


__all__ = ["ACTIVE_STATUSES", "LAYERS", "CityPoint", "MapFilters", "activity_by_city", "activity_years",
           "conference_cities", "delegation_legs", "delegation_routes", "home_city", "map_summary", "partner_cities",
           "recent_activity", "visit_origins"]
