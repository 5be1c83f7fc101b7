"""The timeline of diplomatic activity: trips as spans; visits, conferences, signings, agreements as points.

`timeline_items` reads one page of items in SQL (a UNION over the kinds); `timeline_figure` draws them,
grouped by kind or by country. Each item's customdata is [page name, record id] so a click opens it.
Postponed and cancelled plans keep their own colour, symbol and legend entry.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

import plotly.graph_objects as go
from sqlalchemy import case, func, label, literal, null, select, union_all
from sqlmodel import Session, col

from crm import models as m
from crm.config import today as office_today
from crm.geo.countries import country_name
from crm.i18n import capitalise, date_text, pick, t
from crm.models.kinds import UPCOMING_STATUSES, Kind, get_kind, kind_colors, kind_names
from crm.periods import Period
from crm.store.cache import cached
from crm.store.writes import unit
from crm.text import fold
from crm.views.charts import KeptFigure

KIND_ORDER = (*kind_names(is_event=True), "signings", "agreements")  # a partnership shows as its signings
KIND_COLORS = kind_colors()
OFF_PLAN = {"postponed": ("hourglass", "#d68910"), "cancelled": ("x", "#7b7d7d")}
PAGE_OF = {"signings": "partnerships"}
MAX_ITEMS = 200  # drawn at most (the page says when more match): a rerun costs per item drawn (bench, issue 8)
GROUPINGS = ("kind", "country")


@dataclass(frozen=True)
class Item:
    kind: str
    record_id: int
    title_en: str
    title_zh: str
    start: date
    end: date | None
    status: str
    country_code: str | None

    @property
    def page(self) -> str:
        return PAGE_OF.get(self.kind, self.kind)

    @property
    def is_span(self) -> bool:
        return self.end is not None and self.end > self.start


def _country_of_city(city_col):
    return select(col(m.City.country_code)).where(col(m.City.id) == city_col).scalar_subquery()


def _parts(words: list[str]) -> list:
    def match(model) -> list:
        return [model.search_text.contains(w, autoescape=True) for w in words]

    def event(model, kind, country):
        return select(literal(kind).label("kind"), model.id.label("record_id"), model.title_en, model.title_zh,
                      model.start_on.label("start"), model.end_on.label("end"), model.status,
                      country.label("country_code")).where(model.deleted_at.is_(None), model.start_on.is_not(None),
                                                           *match(model))

    first_stop = (select(col(m.City.country_code)).join(m.DelegationStop, col(m.DelegationStop.city_id) == m.City.id)
                  .where(col(m.DelegationStop.delegation_id) == m.Delegation.id)
                  .order_by(col(m.DelegationStop.seq), col(m.DelegationStop.id)).limit(1).scalar_subquery())
    p, sg = m.Partnership, m.Signing
    city_names = select(func.coalesce(m.City.name_en, "")).where(col(m.City.id) == p.city_id).scalar_subquery()
    city_zh = select(func.coalesce(m.City.name_zh, "")).where(col(m.City.id) == p.city_id).scalar_subquery()
    signing_status = literal("held")
    def country_of(kind: Kind):
        """The country an event is placed in: a delegation's first stop, else the record's own country or
        its city's (crm.models.kinds: `city_field`)."""
        if kind.model is m.Delegation:
            return first_stop
        city = _country_of_city(getattr(kind.model, kind.city_field)) if kind.city_field else null()
        own = getattr(kind.model, "country_code", None)
        return city if own is None else func.coalesce(own, city)

    return [
        *(event(get_kind(name).model, name, country_of(get_kind(name))) for name in kind_names(is_event=True)),
        select(literal("agreements").label("kind"), label("record_id", col(m.Agreement.id)), col(m.Agreement.title_en),
               col(m.Agreement.title_zh), label("start", col(m.Agreement.signed_on)), null().label("end"),
               col(m.Agreement.status), _country_of_city(m.Agreement.counterpart_city_id).label("country_code"))
        .where(col(m.Agreement.deleted_at).is_(None), col(m.Agreement.signed_on).is_not(None),
               col(m.Agreement.status) != "draft", *match(m.Agreement)),
        select(literal("signings").label("kind"), label("record_id", col(p.id)),
               func.coalesce(func.nullif(p.title_en, ""), city_names).label("title_en"),
               func.coalesce(func.nullif(p.title_zh, ""), city_zh).label("title_zh"), label("start", col(sg.signed_on)),
               null().label("end"), signing_status.label("status"), _country_of_city(p.city_id).label("country_code"))
        .join(sg, col(sg.partnership_id) == p.id)
        .where(col(p.deleted_at).is_(None), col(sg.signed_on).is_not(None), *match(p)),
        select(literal("signings").label("kind"), label("record_id", col(p.id)),
               func.coalesce(func.nullif(p.title_en, ""), city_names).label("title_en"),
               func.coalesce(func.nullif(p.title_zh, ""), city_zh).label("title_zh"),
               label("start", col(p.established_on)),
               null().label("end"), signing_status.label("status"), _country_of_city(p.city_id).label("country_code"))
        .where(col(p.deleted_at).is_(None), col(p.established_on).is_not(None), *match(p),
               ~select(col(sg.id)).where(col(sg.partnership_id) == p.id, col(sg.signed_on).is_not(None)).exists()),
    ]


@cached  # plain data, re-read after any write (crm.store.cache)
def timeline_items(*, period: Period | None = None, q: str = "", kinds: tuple[str, ...] = (),
                   tag_id: int | None = None, limit: int = MAX_ITEMS,
                   session: Session | None = None) -> tuple[tuple[Item, ...], int]:
    """Items of the timeline (oldest first, at most `limit`) and how many there are in all; with `tag_id`, those
    whose record carries that tag (a signing: its partnership's)."""
    rows = union_all(*_parts(fold(q).split())).subquery()
    conditions = []
    if period is not None:
        conditions += [rows.c.start <= period.end, func.coalesce(rows.c.end, rows.c.start) >= period.start]
    if kinds:
        conditions.append(rows.c.kind.in_(kinds))
    if tag_id is not None:
        link = m.TagLink
        record_kind = case((rows.c.kind == "signings", literal("partnerships")), else_=rows.c.kind)
        conditions.append(select(col(link.id)).where(col(link.tag_id) == tag_id, col(link.kind) == record_kind,
                                                     col(link.record_id) == rows.c.record_id).exists())
    with unit(session) as s:
        total = int(s.execute(select(func.count()).select_from(rows).where(*conditions)).scalar() or 0)
        result = s.execute(select(rows).where(*conditions).order_by(rows.c.start, rows.c.kind, rows.c.record_id)
                           .limit(limit))
        items = tuple(Item(r.kind, int(r.record_id), r.title_en or "", r.title_zh or "", r.start, r.end,
                           r.status or "", r.country_code) for r in result)
    return items, total


@cached  # plain data, re-read after any write (crm.store.cache)
def latest_year(*, today: date | None = None, session: Session | None = None) -> int:
    """The year the timeline opens on: this year if it holds activity, else the latest year that does."""
    today = today or office_today()
    items, _ = timeline_items(period=Period(date(today.year, 1, 1), date(today.year, 12, 31), str(today.year)),
                              limit=1, session=session)
    if items:
        return today.year
    rows = union_all(*_parts([])).subquery()
    with unit(session) as s:
        latest = s.execute(select(func.max(rows.c.start)).where(rows.c.start <= today)).scalar()
    if isinstance(latest, str):
        latest = date.fromisoformat(latest[:10])
    return latest.year if latest else today.year


def _group(item: Item, by: str, lang: str) -> str:
    if by == "country":
        return country_name(item.country_code, lang) if item.country_code else t("timeline.home_country", lang)
    return t(f"timeline.kind.{item.kind}", lang)


def _hover(item: Item, lang: str) -> str:
    when = date_text(item.start, lang)
    if item.is_span:
        when += " – " + date_text(item.end, lang)
    title = escape(pick(lang, item.title_en, item.title_zh, f"#{item.record_id}"))
    place = f"<br>{escape(country_name(item.country_code, lang))}" if item.country_code else ""
    return (f"<b>{title}</b><br>{escape(t('timeline.kind.' + item.kind, lang))} · "
            f"{escape(t('status.' + item.status, lang))}<br>{when}{place}")


def _style(item: Item) -> tuple[str, str]:
    """Legend bucket and colour: the kind for plans kept, the status for postponed/cancelled ones."""
    if item.status in OFF_PLAN:
        return item.status, OFF_PLAN[item.status][1]
    return item.kind, KIND_COLORS.get(item.kind, "#555")


def _length_ms(item: Item) -> int:
    """A span's bar length in milliseconds, both ends included."""
    assert item.end is not None  # only spans are drawn as bars (Item.is_span)
    return ((item.end - item.start) + timedelta(days=1)).days * 86_400_000


@cached(copy_result=False, max_entries=32)  # a figure: kept as is, callers must not change it
def timeline_chart(lang: str, *, by: str = "kind", period: Period | None = None, q: str = "",
                   kinds: tuple[str, ...] = (), tag_id: int | None = None) -> go.Figure:
    """The figure of `timeline_items(period=, q=, kinds=, tag_id=)`, built once per data version and drawn as kept."""
    items, _ = timeline_items(period=period, q=q, kinds=kinds, tag_id=tag_id)
    return timeline_figure(items, lang, by=by, period=period, figure=KeptFigure())


def timeline_figure(items: Sequence[Item], lang: str, *, by: str = "kind", period: Period | None = None,
                    figure: go.Figure | None = None) -> go.Figure:
    """Spans as horizontal bars, points as markers; postponed and cancelled items in their own legend entries."""
    fig = figure if figure is not None else go.Figure()
    kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
    if by == "country":
        groups = sorted({_group(i, by, lang) for i in items})
    else:
        groups = [_group(Item(k, 0, "", "", date.min, None, "", None), by, lang)
                  for k in sorted({i.kind for i in items}, key=kind_rank.__getitem__)]
    buckets: dict[tuple[str, bool], list[Item]] = {}
    for item in items:
        buckets.setdefault((_style(item)[0], item.is_span), []).append(item)
    order = [*KIND_ORDER, *OFF_PLAN]
    shown: set[str] = set()
    for (bucket, span), members in sorted(buckets.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        colour = OFF_PLAN[bucket][1] if bucket in OFF_PLAN else KIND_COLORS.get(bucket, "#555")
        name = t(f"status.{bucket}", lang) if bucket in OFF_PLAN else t(f"timeline.kind.{bucket}", lang)
        name = capitalise(name)
        common = dict(name=name, legendgroup=bucket, showlegend=bucket not in shown, hoverinfo="text",
                      hovertext=[_hover(i, lang) for i in members], y=[_group(i, by, lang) for i in members],
                      customdata=[[i.page, i.record_id] for i in members], meta={"bucket": bucket, "span": span})
        shown.add(bucket)
        planned = list(UPCOMING_STATUSES)
        if span:
            fig.add_trace(go.Bar(
                orientation="h", base=[i.start.isoformat() for i in members],
                x=[_length_ms(i) for i in members],
                marker=dict(color=colour, opacity=0.9, line=dict(color=colour, width=1.5),
                            pattern=dict(shape=["/" if i.status in (*planned, *OFF_PLAN) else "" for i in members],
                                         fgcolor=colour, bgcolor="rgba(255,255,255,0.6)", solidity=0.45)),
                width=0.5, **common))
        else:
            symbols = [OFF_PLAN[bucket][0] if bucket in OFF_PLAN else
                       ("circle-open" if i.status in planned else "circle") for i in members]
            fig.add_trace(go.Scatter(
                x=[i.start.isoformat() for i in members], mode="markers",
                marker=dict(color=colour, size=13, symbol=symbols, line=dict(color=colour, width=2), opacity=0.9),
                **common))
    height = max(260, 110 + 52 * len(groups))
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=10, b=10), barmode="overlay", clickmode="event+select",
        dragmode=False, plot_bgcolor="white", hoverlabel=dict(bgcolor="white", font_size=13),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, xanchor="left"),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(reversed(groups)), gridcolor="#eee",
                   title=None, automargin=True),
        xaxis=dict(type="date", gridcolor="#eee", title=None, tickformat="%Y-%m" if lang == "en" else "%Y/%m"))
    if period is not None:
        fig.update_xaxes(range=[(period.start - timedelta(days=3)).isoformat(),
                                (period.end + timedelta(days=3)).isoformat()])
    return fig


__all__ = ["GROUPINGS", "Item", "KIND_ORDER", "latest_year", "timeline_chart", "timeline_figure", "timeline_items"]
