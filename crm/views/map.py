"""The world map of partner cities and the delegation itinerary map (plotly geo, drawn offline).

Figures only: the rows come from `crm.views.map_data`. Every `st.plotly_chart` of these figures must pass
`config=MAP_CONFIG`, so plotly.js loads the world outlines from the app's `static/topojson/`.
"""

import math
from html import escape

import plotly.graph_objects as go

from crm.geo.countries import country_name
from crm.geo.map_geometry import (
    ITINERARY_PX_PER_DEGREE,
    PX_PER_DEGREE,
    ROTATION,
    arc_path,
    label_box,
    marker_box,
    place_labels,
)
from crm.i18n import capitalise, date_text, pick, t
from crm.models.kinds import kind_colors
from crm.store.cache import cached
from crm.views.charts import PARTNERSHIP_KIND_COLORS, KeptFigure
from crm.views.map_data import (
    LAYERS,
    CityPoint,
    MapFilters,
    activity_by_city,
    conference_cities,
    delegation_legs,
    delegation_routes,
    home_city,
    partner_cities,
    recent_activity,
    visit_origins,
)

MAP_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False, "scrollZoom": False}
KIND_COLORS = PARTNERSHIP_KIND_COLORS
LAYER_COLORS = kind_colors()
STATUS_SYMBOLS = {"active": "circle", "approved": "circle-open", "proposed": "circle-open", "dormant": "circle-dot",
                  "ended": "x"}
HOME_COLOR = "#d4ac0d"
HOME_LABEL = "middle left"
MAX_LEGS = 400  # itinerary legs drawn at most (the most travelled ones)
MAX_LABELS = 40  # the most active cities get a label; the others show theirs on hover

__all__ = ["LAYERS", "MAP_CONFIG", "ROTATION", "MapFilters", "arc_path", "city_choices", "city_label",
           "itinerary_figure", "map_figure"]


def city_label(city: CityPoint, lang: str) -> str:
    return pick(lang, city.name_en, city.name_zh, city.name_native)


def _names(city: CityPoint, lang: str) -> str:
    """All of a city's names, the current language first, then the country."""
    first = city_label(city, lang)
    others = [n for n in (city.name_zh, city.name_en, city.name_native) if n and n != first]
    seen = list(dict.fromkeys(others))
    line = f"<b>{escape(first)}</b>" + (f" · {escape(' · '.join(seen))}" if seen else "")
    return f"{line}<br>{escape(country_name(city.country_code, lang))}"


def _geo_layout(fig: go.Figure, *, rotation: float = ROTATION, height: int = 540, scale: float = 1.0,
                center: tuple[float, float] | None = None) -> go.Figure:
    geo = dict(projection_type="natural earth", projection_rotation_lon=rotation, projection_scale=scale,
               fitbounds=False, showland=True, landcolor="#eef0f2", showcountries=True, countrycolor="#b8bec6",
               showcoastlines=True, coastlinecolor="#9aa3ad", showocean=True, oceancolor="#f7fbff",
               showlakes=False, showframe=False, resolution=110, lataxis_range=[-58, 84], bgcolor="rgba(0,0,0,0)")
    if center is not None:
        geo.update(center_lat=center[0], center_lon=center[1])
    fig.update_layout(geo=geo, height=height, margin=dict(l=0, r=0, t=10, b=0), paper_bgcolor="rgba(0,0,0,0)",
                      legend=dict(orientation="h", yanchor="top", y=-0.01, x=0.5, xanchor="center",
                                  bgcolor="rgba(255,255,255,0.7)"),
                      hoverlabel=dict(bgcolor="white", font_size=13), clickmode="event+select", dragmode=False)
    return fig


def _activity_lines(items: list[dict], lang: str) -> str:
    if not items:
        return ""
    lines = [f"{date_text(i['day'], lang)} · {escape(t('kind.' + i['kind'], lang))}: "
             f"{escape(pick(lang, i['title_en'], i['title_zh'])[:60])}" for i in items]
    return "<br><i>" + escape(t("map.recent", lang)) + "</i><br>" + "<br>".join(lines)


def _size(activity: int) -> float:
    return min(30.0, 8.0 + 5.0 * math.sqrt(activity))


def _home_trace(home: CityPoint, lang: str) -> go.Scattergeo:
    return go.Scattergeo(
        lat=[home.latitude], lon=[home.longitude], mode="markers+text", name=t("map.home", lang),
        text=[escape(city_label(home, lang))], textposition=HOME_LABEL, textfont=dict(size=13, color="#5d4a00"),
        marker=dict(symbol="star", size=20, color=HOME_COLOR, line=dict(color="#5d4a00", width=1)),
        hovertext=[_names(home, lang) + "<br>" + escape(t("map.home", lang))], hoverinfo="text",
        customdata=[[home.id]], meta={"layer": "home"})


def _partner_labels(cities: list[CityPoint], activity: dict, sizes: dict, filters: MapFilters, lang: str,
                    home: CityPoint | None) -> dict[int, tuple[str, str]]:
    """city id → (label, text position) for the cities that get a label: those with activity in the period
    (every city when the period is all time and there are few), placed so labels do not overlap."""
    labelled = [c for c in cities if activity.get(c.id, 0) > 0] if filters.period is not None or len(cities) > 25 \
        else list(cities)
    labelled = sorted(labelled, key=lambda c: (-activity.get(c.id, 0), c.id))[:MAX_LABELS]
    radius = {c.id: sizes[c.id] / 2 / PX_PER_DEGREE for c in cities}
    taken = [marker_box(c.latitude, c.longitude, radius[c.id]) for c in cities]
    if home is not None:
        home_radius = 10 / PX_PER_DEGREE
        taken += [marker_box(home.latitude, home.longitude, home_radius),
                  label_box(home.latitude, home.longitude, city_label(home, lang), HOME_LABEL, home_radius)]
    positions = place_labels([(c.latitude, c.longitude, city_label(c, lang), radius[c.id]) for c in labelled], taken)
    return {c.id: (city_label(c, lang), p) for c, p in zip(labelled, positions, strict=True)}


def _partner_traces(filters: MapFilters, lang: str, home: CityPoint | None, session) -> list:
    cities = partner_cities(filters, session=session)
    if not cities:
        return []
    activity = activity_by_city(filters.period, session=session)
    recent = recent_activity([c.id for c in cities], session=session)
    traces: list = []
    if home is not None:
        for kind, colour in KIND_COLORS.items():
            lats, lons = [], []
            for city in (c for c in cities if c.extra["kind"] == kind):
                a_lat, a_lon = arc_path((home.latitude, home.longitude), (city.latitude, city.longitude))
                lats += [*a_lat, None]
                lons += [*a_lon, None]
            if lats:
                traces.append(go.Scattergeo(lat=lats[:-1], lon=lons[:-1], mode="lines", hoverinfo="skip",
                                            line=dict(width=1, color=colour), opacity=0.35, showlegend=False,
                                            name=f"arcs:{kind}", meta={"layer": "arcs", "kind": kind}))
    sizes = {c.id: _size(activity.get(c.id, 0)) for c in cities}
    labels = _partner_labels(cities, activity, sizes, filters, lang, home)
    activity_key = "map.activity_in_period" if filters.period is not None else "map.activity_all"
    groups: dict[tuple[str, str], list[CityPoint]] = {}
    for city in cities:
        groups.setdefault((city.extra["kind"], city.extra["status"]), []).append(city)
    for (kind, status), members in sorted(groups.items()):
        hover = []
        for city in members:
            relation = t(f"partnership_kind.{kind}", lang)
            since = t("map.since", lang, year=city.extra["year"]) if city.extra["year"] else ""
            period_n = activity.get(city.id, 0)
            state = escape(t("status." + status, lang))
            hover.append(f"{_names(city, lang)}<br>{escape(relation)} {escape(since)} · {state}"
                         f"<br>{escape(t(activity_key, lang, n=period_n))}"
                         f"{_activity_lines(recent.get(city.id, []), lang)}")
        name = capitalise(t(f"partnership_kind.{kind}", lang))
        if status != "active":
            name += f" · {t('status.' + status, lang)}"
        traces.append(go.Scattergeo(
            lat=[c.latitude for c in members], lon=[c.longitude for c in members], mode="markers+text", name=name,
            text=[escape(labels.get(c.id, ("", ""))[0]) for c in members],  # names never as plotly HTML
            textposition=[labels.get(c.id, ("", "top center"))[1] for c in members],
            textfont=dict(size=11, color="#333"),
            marker=dict(size=[sizes[c.id] for c in members], color=KIND_COLORS.get(kind, "#555"),
                        symbol=STATUS_SYMBOLS.get(status, "circle"), line=dict(color="white", width=1),
                        opacity=0.6 if status in ("dormant", "ended") else 0.9),
            hovertext=hover, hoverinfo="text", customdata=[[c.id] for c in members],
            meta={"layer": "partnerships", "kind": kind, "status": status}))
    return traces


def _visit_trace(filters: MapFilters, lang: str, session) -> list:
    points = visit_origins(filters, session=session)
    if not points:
        return []
    hover = [f"{_names(p, lang)}<br>"
             + escape(t("map.visits_hover", lang, groups=p.extra["groups"], people=p.extra["people"])) for p in points]
    return [go.Scattergeo(
        lat=[p.latitude for p in points], lon=[p.longitude for p in points], mode="markers",
        name=t("map.layer.visits", lang), hovertext=hover, hoverinfo="text", customdata=[[p.id] for p in points],
        marker=dict(symbol="diamond", size=[_size(p.extra["groups"]) for p in points], color=LAYER_COLORS["visits"],
                    line=dict(color="white", width=1), opacity=0.85), meta={"layer": "visits"})]


def _conference_trace(filters: MapFilters, lang: str, session) -> list:
    points = conference_cities(filters, session=session)
    if not points:
        return []
    hover = [f"{_names(p, lang)}<br>{escape(t('map.conferences_hover', lang, n=p.extra['conferences']))}"
             for p in points]
    return [go.Scattergeo(
        lat=[p.latitude for p in points], lon=[p.longitude for p in points], mode="markers",
        name=t("map.layer.conferences", lang), hovertext=hover, hoverinfo="text", customdata=[[p.id] for p in points],
        marker=dict(symbol="square", size=[_size(p.extra["conferences"]) for p in points],
                    color=LAYER_COLORS["conferences"], line=dict(color="white", width=1), opacity=0.85),
        meta={"layer": "conferences"})]


def _itinerary_traces(routes: list[dict], home: CityPoint | None, lang: str, ppd: float) -> list:
    """One trip: legs home → stops → home as arcs, and a numbered marker per stop."""
    traces: list = []
    lats, lons, stops = [], [], []
    for route in routes:
        places = [(s.latitude, s.longitude) for s in route["stops"]]
        if home is not None:
            places = [(home.latitude, home.longitude), *places, (home.latitude, home.longitude)]
        for a, b in zip(places, places[1:], strict=False):
            a_lat, a_lon = arc_path(a, b, steps=16)
            lats += [*a_lat, None]
            lons += [*a_lon, None]
        title = pick(lang, route["title_en"], route["title_zh"])
        stops += [(n, stop, title) for n, stop in enumerate(route["stops"], start=1)]
    if lats:
        traces.append(_lines(lats, lons, lats.count(None)))
    if stops:
        hover = [f"{_names(s, lang)}<br>{escape(title)}<br>{escape(t('map.stop', lang, n=n))}"
                 + (f" · {date_text(s.extra['arrive_on'], lang)}" if s.extra.get("arrive_on") else "")
                 for n, s, title in stops]
        text = [f"{n}. {city_label(s, lang)}" for n, s, _ in stops]
        radius = 6 / ppd
        positions = place_labels([(s.latitude, s.longitude, label, radius) for (_, s, _), label in
                                  zip(stops, text, strict=True)],
                                 [marker_box(s.latitude, s.longitude, radius) for _, s, _ in stops], ppd)
        traces.append(go.Scattergeo(
            lat=[s.latitude for _, s, _ in stops], lon=[s.longitude for _, s, _ in stops], mode="markers+text",
            text=[escape(label) for label in text], textposition=positions, textfont=dict(size=12, color="#4a235a"),
            name=t("map.layer.delegations", lang), hovertext=hover, hoverinfo="text",
            customdata=[[s.id] for _, s, _ in stops], meta={"layer": "delegations"},
            marker=dict(symbol="triangle-up", size=12, color=LAYER_COLORS["delegations"],
                        line=dict(color="white", width=1))))
    return traces


def _lines(lats: list, lons: list, legs: int) -> go.Scattergeo:
    return go.Scattergeo(lat=lats[:-1], lon=lons[:-1], mode="lines", hoverinfo="skip", showlegend=False,
                         line=dict(width=2, color=LAYER_COLORS["delegations"]), opacity=0.6, name="legs",
                         meta={"layer": "legs", "legs": legs})


def _legs_traces(filters: MapFilters, home: CityPoint | None, lang: str, session) -> list:
    """All trips in the filters: each distinct leg drawn once, a marker per city visited (sized by trips)."""
    legs, cities = delegation_legs(filters, session=session)
    if not cities:
        return []
    where: dict = {c.id: (c.latitude, c.longitude) for c in cities}
    if home is not None:
        where[None] = (home.latitude, home.longitude)
    pairs: dict[tuple, int] = {}
    for a, b, n in legs:
        if a in where and b in where and a != b:
            key = tuple(sorted((a, b), key=lambda v: (v is not None, v or 0)))
            pairs[key] = pairs.get(key, 0) + n
    lats: list = []
    lons: list = []
    busiest = sorted(pairs, key=lambda k: -pairs[k])[:MAX_LEGS]  # a readable map: the most travelled legs
    for a, b in busiest:
        a_lat, a_lon = arc_path(where[a], where[b], steps=12)
        lats += [*a_lat, None]
        lons += [*a_lon, None]
    traces = [_lines(lats, lons, len(busiest))] if lats else []
    hover = [f"{_names(c, lang)}<br>" + escape(t("map.trips_hover", lang, trips=c.extra["trips"], stops=c.extra["stops"]))
             for c in cities]
    traces.append(go.Scattergeo(
        lat=[c.latitude for c in cities], lon=[c.longitude for c in cities], mode="markers",
        name=t("map.layer.delegations", lang), hovertext=hover, hoverinfo="text", customdata=[[c.id] for c in cities],
        marker=dict(symbol="triangle-up", size=[_size(c.extra["trips"]) for c in cities],
                    color=LAYER_COLORS["delegations"], line=dict(color="white", width=1)),
        meta={"layer": "delegations"}))
    return traces


@cached(copy_result=False, max_entries=32)  # a figure: kept as is, callers must not change it
def map_figure(filters: MapFilters, lang: str, *, session=None) -> go.Figure:
    """The world map: partner cities (by kind and status, sized by activity in the period), arcs from the
    home city, and the chosen activity layers. Each point's customdata is [city id]."""
    home = home_city(session=session)
    fig = KeptFigure()
    traces: list = []
    if "partnerships" in filters.layers:
        traces += _partner_traces(filters, lang, home, session)
    if "delegations" in filters.layers:
        traces += _legs_traces(filters, home, lang, session)
    if "visits" in filters.layers:
        traces += _visit_trace(filters, lang, session)
    if "conferences" in filters.layers:
        traces += _conference_trace(filters, lang, session)
    if home is not None:
        traces.append(_home_trace(home, lang))
    fig.add_traces(traces)
    return _geo_layout(fig)


@cached  # plain data, re-read after any write (crm.store.cache)
def city_choices(filters: MapFilters, lang: str, *, session=None) -> dict[int, str]:
    """The partner cities on the map, id → label, in the order of their labels (the page's city picker)."""
    names = {c.id: city_label(c, lang) for c in partner_cities(filters, session=session)}
    return {city_id: names[city_id] for city_id in sorted(names, key=names.__getitem__)}


def itinerary_figure(delegation_id: int, lang: str, *, session=None) -> go.Figure:
    """A delegation's itinerary: numbered stops joined by arcs from and back to the home city, zoomed on the stops."""
    home = home_city(session=session)
    routes = delegation_routes(delegation_id=delegation_id, session=session)
    stops = [s for r in routes for s in r["stops"]]
    scale, centre = 1.0, None
    if stops:
        lats = [s.latitude for s in stops]
        lons = [s.longitude for s in stops]
        span = max(max(lats) - min(lats), (max(lons) - min(lons)) * 0.6, 8.0)
        scale = max(1.0, min(5.0, 45.0 / span))
        centre = ((max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2)
    fig = go.Figure()
    fig.add_traces(_itinerary_traces(routes, home, lang, ITINERARY_PX_PER_DEGREE * scale))
    if home is not None:
        fig.add_trace(_home_trace(home, lang))
    if centre is None:
        return _geo_layout(fig, height=420)
    fig = _geo_layout(fig, rotation=centre[1], height=420, scale=scale, center=centre)
    fig.update_layout(showlegend=False)
    fig.update_geos(resolution=50, lataxis_range=None)
    return fig
