"""The home page's content: the half-year at a glance, what is coming, reminders, two charts.

All figures come from `crm.views.counts` (the report states the same ones). Dates are relative to `today`
so tests can pin it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import plotly.graph_objects as go
from sqlalchemy import func, label, literal, or_, select, union_all
from sqlmodel import Session, col

from crm import models as m
from crm.config import today as office_today
from crm.i18n import capitalise, date_text, pick, t
from crm.models.kinds import UPCOMING_STATUSES, get_kind, kind_colors, kind_names
from crm.periods import Period, half_year_of, parse_period
from crm.store.cache import cached
from crm.store.writes import unit
from crm.views.anniversaries import next_anniversary
from crm.views.charts import PARTNERSHIP_KIND_COLORS, KeptFigure
from crm.views.counts import half_years_with_data, partners_by_region, period_counts, yearly_activity

METRICS = ("visits_groups", "visits_people", "delegations", "delegation_people", "delegation_cities",
           "delegation_countries", "conferences", "new_partnerships", "agreements_signed", "dignitaries_met")


def _scheduled() -> list[tuple[str, type[m.EventRecord]]]:
    """(kind, table) of the activities people attend (crm.models.kinds: `scheduled`), all of them events."""
    out = []
    for name in kind_names(scheduled=True):
        model = get_kind(name).model
        assert issubclass(model, m.EventRecord), name  # every scheduled kind is an event (crm.models.kinds)
        out.append((name, model))
    return out

UPCOMING_LIMIT = 50  # coming-up rows read at most (the page links the timeline for all of them)
CONTINENT_ORDER = ("AS", "OC", "NA", "SA", "EU", "AF", "AN")
CHART_COLORS = {**kind_colors(), **PARTNERSHIP_KIND_COLORS}


@dataclass(frozen=True)
class Metric:
    key: str
    value: int
    previous: int
    year_before: int


def default_period(today: date | None = None) -> Period:
    """The current half-year."""
    return half_year_of(today or office_today())


@cached  # plain data, re-read after any write (crm.store.cache)
def period_choices(today: date | None = None, *, session: Session | None = None) -> list[str]:
    """Half-year codes for the picker: the current one, then every half-year holding data, newest first."""
    current = default_period(today).label_code
    return [current, *(code for code in half_years_with_data(session=session) if code != current)]


def resolve_period(text: str | None, today: date | None = None) -> Period:
    """`?period=2020H1` (or any form `parse_period` reads); the current half-year when absent or unreadable."""
    try:
        return parse_period(text) if text else default_period(today)
    except ValueError:
        return default_period(today)


@cached  # plain data (frozen metrics), re-read after any write (crm.store.cache)
def comparison(period: Period, *, session: Session | None = None) -> list[Metric]:
    """Each headline figure for `period`, the period before it and the same period a year earlier."""
    now, before, last_year = (period_counts(p, session=session).as_dict()
                              for p in (period, period.previous(), period.year_before()))
    return [Metric(k, now[k], before[k], last_year[k]) for k in METRICS]


@cached  # plain data, re-read after any write (crm.store.cache)
def latest_with_figures(*, today: date | None = None, tries: int = 8, session: Session | None = None) -> str | None:
    """The newest half-year (before the current one) whose headline figures are not all zero."""
    current = default_period(today).label_code
    for code in [c for c in half_years_with_data(session=session) if c != current][:tries]:
        if any(m.value for m in comparison(parse_period(code), session=session)):
            return code
    return None


@cached  # plain data, re-read after any write (crm.store.cache)
def upcoming(days: int, *, today: date | None = None, session: Session | None = None) -> list[dict]:
    """Planned or confirmed visits, trips, meetings... starting in the next `days` days, soonest first."""
    today = today or office_today()
    end = today + timedelta(days=days)
    parts = [select(literal(kind).label("kind"), label("id", col(model.id)), col(model.title_en), col(model.title_zh),
                    col(model.start_on), col(model.end_on), col(model.status))
             .where(col(model.deleted_at).is_(None), col(model.status).in_(UPCOMING_STATUSES),
                    col(model.start_on).between(today, end))
             for kind, model in _scheduled()]
    rows = union_all(*parts).subquery()
    with unit(session) as s:
        stmt = select(rows).order_by(rows.c.start_on, rows.c.kind).limit(UPCOMING_LIMIT)
        return [dict(r._mapping) for r in s.execute(stmt)]


def is_round_anniversary(years: int) -> bool:
    """5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80… years."""
    return years in (5, 25, 75) or (years >= 10 and years % 10 == 0)


@cached  # plain data, re-read after any write (crm.store.cache)
def anniversaries(*, today: date | None = None, months: int = 12, session: Session | None = None) -> list[dict]:
    """Partnerships reaching a round anniversary in the next `months` months (from `established_on`, else the
    year alone: those show the year, `on` is None)."""
    today = today or office_today()
    horizon = today + timedelta(days=round(months * 30.44))
    p = m.Partnership
    stmt = (select(col(p.id), col(p.kind), col(p.established_on), col(p.established_year), col(m.City.name_en),
                   col(m.City.name_zh), col(m.City.name_native), label("city_id", col(m.City.id)))
            .join(m.City, col(m.City.id) == p.city_id)
            .where(col(p.deleted_at).is_(None), col(p.status).in_(("active", "dormant")),
                   or_(col(p.established_on).is_not(None), col(p.established_year).is_not(None))))
    out = []
    with unit(session) as s:
        for r in s.execute(stmt):
            if r.established_on is not None:  # the next anniversary only: one a year (crm.views.anniversaries)
                day, years = next_anniversary(r.established_on, today)
                if day <= horizon and is_round_anniversary(years):
                    out.append({**r._mapping, "years": years, "on": day, "year": day.year})
            else:  # the year alone (the day unknown): the first round one of the years in reach
                year = next((y for y in range(max(today.year, r.established_year + 1), horizon.year + 1)
                             if is_round_anniversary(y - r.established_year)), None)
                if year is not None:
                    out.append({**r._mapping, "years": year - r.established_year, "on": None, "year": year})
    return sorted(out, key=lambda a: (a["on"] or date(a["year"], 12, 31), a["name_en"] or ""))


@cached  # plain data, re-read after any write (crm.store.cache)
def expiring_agreements(*, today: date | None = None, months: int = 6, session: Session | None = None) -> list[dict]:
    """Signed agreements whose validity ends in the next `months` months."""
    today = today or office_today()
    horizon = today + timedelta(days=round(months * 30.44))
    a = m.Agreement
    stmt = (select(col(a.id), col(a.title_en), col(a.title_zh), col(a.valid_until), col(a.signed_on))
            .where(col(a.deleted_at).is_(None), col(a.status) == "signed", col(a.valid_until).between(today, horizon))
            .order_by(col(a.valid_until)))
    with unit(session) as s:
        return [dict(r._mapping) for r in s.execute(stmt)]


@cached  # plain data, re-read after any write (crm.store.cache)
def postponed_without_date(*, today: date | None = None, session: Session | None = None) -> list[dict]:
    """Postponed plans with no new date yet: no date, or their date is the original plan or already past."""
    today = today or office_today()
    parts = [select(literal(kind).label("kind"), label("id", col(model.id)), col(model.title_en), col(model.title_zh),
                    col(model.planned_start), col(model.start_on), col(model.status_reason))
             .where(col(model.deleted_at).is_(None), col(model.status) == "postponed",
                    col(model.postponed_to).is_(None),
                    or_(col(model.start_on).is_(None), col(model.start_on) == model.planned_start,
                        col(model.start_on) < today))
             for kind, model in _scheduled()]
    rows = union_all(*parts).subquery()
    with unit(session) as s:
        return [dict(r._mapping) for r in s.execute(
            select(rows).order_by(func.coalesce(rows.c.planned_start, rows.c.start_on), rows.c.kind).limit(50))]


def title(row: dict, lang: str) -> str:
    """A row's title, or its city's name, in `lang`."""
    if row.get("title_en") or row.get("title_zh"):
        return pick(lang, row.get("title_en"), row.get("title_zh"))
    return pick(lang, row.get("name_en"), row.get("name_zh"), row.get("name_native"), f"#{row.get('id')}")


@dataclass(frozen=True)
class Table:
    """A dashboard list ready to draw: text cells by row and, per row, the (page, record id) it opens."""

    cells: tuple[tuple[str, ...], ...]
    targets: tuple[tuple[str, int], ...]


def _table(rows: list[dict], cells: Callable[[dict], tuple[str, ...]], target: Callable[[dict], tuple[str, int]]) -> Table:
    return Table(tuple(cells(r) for r in rows), tuple(target(r) for r in rows))


@cached  # plain text, re-read after any write (crm.store.cache)
def upcoming_table(days: int, lang: str, *, today: date | None = None) -> Table:
    """`upcoming(days)` as when / kind / what / status texts in `lang`."""
    return _table(upcoming(days, today=today),
                  lambda r: (date_text(r["start_on"], lang), t("timeline.kind." + r["kind"], lang), title(r, lang),
                             t("status." + r["status"], lang)),
                  lambda r: (r["kind"], r["id"]))


@cached  # plain text, re-read after any write (crm.store.cache)
def anniversaries_table(lang: str, *, today: date | None = None) -> Table:
    """`anniversaries()` as city / years / when texts in `lang` (the year alone when the day is unknown)."""
    return _table(anniversaries(today=today),
                  lambda r: (title(r, lang), str(r["years"]), date_text(r["on"], lang) if r["on"] else str(r["year"])),
                  lambda r: ("cities", r["city_id"]))


@cached  # plain text, re-read after any write (crm.store.cache)
def expiring_table(lang: str, *, today: date | None = None) -> Table:
    """`expiring_agreements()` as what / valid until texts in `lang`."""
    return _table(expiring_agreements(today=today), lambda r: (title(r, lang), date_text(r["valid_until"], lang)),
                  lambda r: ("agreements", r["id"]))


@cached  # plain text, re-read after any write (crm.store.cache)
def postponed_table(lang: str, *, today: date | None = None) -> Table:
    """`postponed_without_date()` as what / kind / planned texts in `lang`."""
    return _table(postponed_without_date(today=today),
                  lambda r: (title(r, lang), t("timeline.kind." + r["kind"], lang),
                             date_text(r["planned_start"] or r["start_on"], lang)),
                  lambda r: (r["kind"], r["id"]))


def _chart_layout(fig: go.Figure, height: int = 320) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", barmode="stack",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),
                      hoverlabel=dict(bgcolor="white"))
    fig.update_yaxes(gridcolor="#eee", rangemode="tozero")
    return fig


@cached(copy_result=False, max_entries=32)  # a figure: kept as is, callers must not change it
def activity_chart(lang: str, *, session: Session | None = None) -> go.Figure:
    """Stacked bars: held activities, agreements and new partnerships per year, by kind."""
    data = yearly_activity(session=session)
    years = list(data)
    fig = KeptFigure()
    for kind in kind_names(entity=False):
        values = [data[y].get(kind, 0) for y in years]
        if not any(values):
            continue
        fig.add_trace(go.Bar(x=[str(y) for y in years], y=values, name=t(f"dash.chart.{kind}", lang),
                             marker_color=CHART_COLORS[kind], meta={"kind": kind},
                             hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"))
    fig.update_xaxes(type="category")
    fig.update_layout(bargap=0.55 if len(years) < 3 else 0.25)
    return _chart_layout(fig)


@cached(copy_result=False, max_entries=32)  # a figure: kept as is, callers must not change it
def regions_chart(lang: str, *, session: Session | None = None) -> go.Figure:
    """Horizontal stacked bars: partner cities per continent, by kind of tie."""
    data = partners_by_region(session=session)
    continents = [c for c in CONTINENT_ORDER if any(k[0] == c for k in data)]
    continents += sorted({c for c, _ in data} - set(continents))
    labels = [t(f"map.continent.{c}", lang) if c else "—" for c in continents]
    fig = KeptFigure()
    for kind in PARTNERSHIP_KIND_COLORS:
        values = [data.get((c, kind), 0) for c in continents]
        if any(values):
            fig.add_trace(go.Bar(y=labels, x=values, orientation="h", name=capitalise(t(f"partnership_kind.{kind}", lang)),
                                 marker_color=CHART_COLORS[kind], meta={"kind": kind},
                                 hovertemplate="%{y}: %{x}<extra>%{fullData.name}</extra>"))
    fig.update_yaxes(autorange="reversed")
    return _chart_layout(fig, height=max(220, 60 + 40 * len(continents)))


__all__ = ["METRICS", "Metric", "activity_chart", "anniversaries", "comparison", "default_period",
           "expiring_agreements", "is_round_anniversary", "latest_with_figures", "period_choices", "postponed_without_date",
           "regions_chart", "resolve_period", "title", "upcoming", "UPCOMING_LIMIT"]
