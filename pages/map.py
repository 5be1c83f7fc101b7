"""World map of partner cities: layers, period, kind and region filters; a click opens the city's dossier."""

from datetime import date

import streamlit as st

from crm.i18n import capitalise
from crm.periods import Period, half_year_of, parse_period, period_label, year_period
from crm.records.kinds.partnerships import PARTNERSHIP_KINDS
from crm.records.queries import today as office_today
from crm.ui.shell import fragment, guard, lang, tr
from crm.ui.tags_view import tag_picker
from crm.ui.views import open_clicked, record_link, url_period
from crm.views.counts import half_years_with_data
from crm.views.map import LAYERS, MAP_CONFIG, MapFilters, city_choices, map_figure
from crm.views.map_data import activity_years, home_city, map_summary

REGIONS = ("", "AS", "OC", "NA", "SA", "EU", "AF")
MODES = ("all", "year", "half", "range")

st.title(tr("page.map"))
st.caption(tr("map.intro"))
current = lang()


def period_picker() -> Period | None:
    """All years, a year (slider), a half-year or a date range; `?period=` in the URL preselects it."""
    preset = url_period()
    mode_labels = {m: tr(f"map.mode.{m}") for m in MODES}
    preset_mode = "all" if preset is None else ("half" if preset.label_code.endswith(("H1", "H2")) else
                                                "year" if preset.label_code.isdigit() else "range")
    cols = st.columns([2, 3])
    mode = cols[0].segmented_control(tr("map.period_mode"), MODES, default=preset_mode, key="map_mode",
                                     format_func=mode_labels.__getitem__) or "all"
    if mode == "year":
        years = activity_years() or [office_today().year]
        start = int(preset.label_code) if preset and preset.label_code.isdigit() else years[-1]
        start = start if start in years else years[-1]
        if len(years) > 1:
            year = cols[1].select_slider(tr("map.year"), years, value=start, key="map_year")
        else:
            year = cols[1].selectbox(tr("map.year"), years, key="map_year_one")
        return year_period(int(year))
    if mode == "half":
        codes = list(dict.fromkeys([*half_years_with_data(), half_year_of(office_today()).label_code]))
        labels = {c: capitalise(period_label(c, current)) for c in codes}
        index = codes.index(preset.label_code) if preset and preset.label_code in codes else 0
        code = cols[1].selectbox(tr("map.half"), codes, index=index, format_func=labels.__getitem__, key="map_half")
        return parse_period(code)
    if mode == "range":
        default = (preset.start, preset.end) if preset else (date(office_today().year, 1, 1), office_today())
        chosen = cols[1].date_input(tr("map.range"), value=default, key="map_range")
        if isinstance(chosen, tuple | list) and len(chosen) == 2:
            return Period(chosen[0], chosen[1], f"{chosen[0].isoformat()}..{chosen[1].isoformat()}")
        day = chosen[0] if isinstance(chosen, tuple | list) and chosen else office_today()
        return Period(day, day, f"{day.isoformat()}..{day.isoformat()}")
    return None


@fragment  # choosing a city reruns this picker only, not the map above it
def open_city(filters: MapFilters) -> None:
    """A picker of the cities on the map, with a link to the chosen one's dossier."""
    names = city_choices(filters, current)
    if names:
        pick_cols = st.columns([3, 1], vertical_alignment="bottom")
        chosen = pick_cols[0].selectbox(tr("map.open_city"), list(names), format_func=names.__getitem__, index=None,
                                        placeholder=tr("map.pick_city"), key="map_city")
        if chosen is not None:
            with pick_cols[1]:
                record_link("cities", chosen, tr("map.open"), icon=":material/open_in_new:")
    elif "partnerships" in filters.layers:
        st.info(tr("map.empty"))


with guard():
    layer_labels = {name: tr(f"map.layer.{name}") for name in LAYERS}
    layers = st.pills(tr("map.layers"), LAYERS, selection_mode="multi", default=list(LAYERS[:1]),
                      format_func=layer_labels.__getitem__, key="map_layers") or []
    period = period_picker()
    cols = st.columns([3, 2, 2])
    kind_labels = {k: capitalise(tr(f"partnership_kind.{k}")) for k in PARTNERSHIP_KINDS}
    kinds = cols[0].pills(tr("map.kind"), PARTNERSHIP_KINDS, selection_mode="multi", default=list(PARTNERSHIP_KINDS),
                          format_func=kind_labels.__getitem__, key="map_kinds") or []
    region_labels = {"": tr("ui.all"), **{r: tr(f"map.continent.{r}") for r in REGIONS if r}}
    region = cols[1].selectbox(tr("map.region"), REGIONS, format_func=region_labels.__getitem__, key="map_region")

    filters = MapFilters(layers=tuple(layers), period=period, kinds=tuple(kinds) or ("-",), region=region or None,
                         tag_id=tag_picker("map_tag", cols[2]))
    if home_city() is None:
        st.info(tr("map.no_home"))
    shown, active = map_summary(filters)
    period_text = period.label(current) if period else tr("map.all_time")
    st.caption(tr("map.summary", cities=shown, active=active, period=period_text))
    event = st.plotly_chart(map_figure(filters, current), config=MAP_CONFIG, on_select="rerun",
                            selection_mode="points", key="world_map")
    open_clicked(event)
    open_city(filters)
