"""A list's search box and filters as controls, kept in the URL (so a filtered list can be shared, and a saved view
is its URL parameters): period, status, tag, "my records"; in "more filters" country, city, kind, owner, sort."""

import streamlit as st

from crm.geo.countries import country_choices, is_country
from crm.i18n import date_input_format
from crm.models.kinds import get_kind
from crm.periods import Period, parse_period, period_label
from crm.records import list_rows
from crm.records.formspec import F, spec_for
from crm.store import labels
from crm.ui import url_params as url
from crm.ui.pickers import ref_choices
from crm.ui.shell import actor, lang, tr
from crm.views.counts import half_years_with_data

RANGE = "range"
MORE = ("country", "city", "kind", "owner", "sort", "asc")


def _url_id(name: str) -> int | None:
    """A record id from the URL, None when absent or not an id (a filter that cannot apply is ignored)."""
    try:
        return url.record_id(name)
    except url.BadParam:
        return None


def remember(name: str, value: str) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _select(container, label: str, labels: dict, url_name: str, key: str) -> str:
    choices = list(labels)
    current = url.text(url_name)
    index = choices.index(current) if current in choices else 0
    return container.selectbox(label, choices, index=index, format_func=labels.__getitem__, key=key)


def sort_choices(kind_name: str) -> dict[str, str]:
    """Sortable column key → heading: every list column backed by a stored column, and when it was added."""
    current = lang()
    found = {"": tr("rec.sort_default")}
    for column in list_rows.available_columns(kind_name):
        if list_rows.sort_key(kind_name, column, current):
            found[column] = list_rows.header(kind_name, column, current)
    found["id"] = tr("rec.sort_added")
    return found


def _more_filters(kind_name: str, spec) -> tuple:
    """Country, city, kind, owner, sort and order widgets (in the "more filters" expander), kept in the URL."""
    more = st.columns(5)
    countries = {"": tr("ui.all"), **country_choices(lang())}
    country = _select(more[0], tr("list.country"), countries, "country", f"{kind_name}_country")
    city_id = None
    if kind_name != "cities":
        current = _url_id("city")
        cities = {"": tr("ui.all"), **{str(k): v for k, v in ref_choices("cities", current).items()}}
        city = _select(more[1], tr("rec.filter_city"), cities, "city", f"{kind_name}_city")
        city_id = int(city) if city else None
        remember("city", city)
    extra = {}
    if spec.kind_filter is not None:
        f: F = spec.kind_filter
        choices = {"": tr("ui.all"), **{c: tr(f"{f.prefix}.{c}") for c in f.choices}}
        chosen = _select(more[2], tr(f.label_key), choices, "kind", f"{kind_name}_kind")
        extra = {f.name: chosen} if chosen else {}
        remember("kind", chosen)
    people = {"": tr("ui.all"), **{str(k): v for k, v in labels.colleagues().items()}}
    owner = _select(more[3], tr("list.owner"), people, "owner", f"{kind_name}_owner")
    sort = _select(more[4], tr("rec.sort"), sort_choices(kind_name), "sort", f"{kind_name}_sort")
    ascending = st.toggle(tr("rec.ascending"), value=url.flag("asc"), key=f"{kind_name}_asc")
    remember("country", country)
    remember("owner", owner)
    remember("sort", sort)
    remember("asc", "1" if ascending else "")
    return country, city_id, extra, int(owner) if owner else None, sort, ascending


def _url_filters(kind_name: str, spec) -> tuple:
    """The same filters read from the URL alone (the expander is closed), unknown values ignored."""
    country = url.choice("country", is_country)
    city_id = _url_id("city") if kind_name != "cities" else None
    f = spec.kind_filter
    chosen = url.choice("kind", f.choices) if f is not None else ""
    extra = {f.name: chosen} if f is not None and chosen else {}
    sort = url.choice("sort", sort_choices(kind_name))
    return country, city_id, extra, _url_id("owner"), sort, url.flag("asc")


def _tag_filter(container, kind_name: str) -> int | None:
    tags = labels.all_tags()
    choices = {"": tr("ui.all"), **{str(tag["id"]): labels.tag_label(tag, lang()) for tag in tags}}
    chosen = _select(container, tr("list.tags"), choices, "tag", f"{kind_name}_tag")
    remember("tag", chosen)
    return int(chosen) if chosen else None


def _url_period() -> Period | None:
    try:
        return url.period()
    except url.BadParam:  # not a period: said, and ignored
        st.warning(tr("list.bad_period"))
        return None


def _period_picker(container, kind_name: str) -> Period | None:
    """All time, a year or a half-year with records (labelled with the ROC year in Chinese), or a date range;
    the URL's `?period=` (2020, 2020H1, 109H1, 2020-01-01..2020-06-30) preselects it."""
    preset = _url_period()
    codes = ["", *sorted({c[:4] for c in half_years_with_data()}, reverse=True), *half_years_with_data(), RANGE]
    if preset is not None and ".." not in preset.label_code and preset.label_code not in codes:
        codes.insert(1, preset.label_code)
    names = {c: tr("ui.all") if not c else tr("list.period_range") if c == RANGE else period_label(c, lang())
             for c in codes}
    chosen = RANGE if preset is not None and ".." in preset.label_code else (preset.label_code if preset else "")
    code = container.selectbox(tr("list.period"), codes, index=codes.index(chosen), format_func=names.__getitem__,
                               key=f"{kind_name}_period", help=tr("list.period_help"))
    if code != RANGE:
        return parse_period(code) if code else None
    start, end = (preset.start, preset.end) if preset is not None and ".." in preset.label_code else (None, None)
    days = container.date_input(tr("list.period_range"), value=(start, end) if start else (), key=f"{kind_name}_range",
                                label_visibility="collapsed", format=date_input_format(lang()))
    if isinstance(days, tuple) and len(days) == 2:
        return Period(days[0], days[1], f"{days[0].isoformat()}..{days[1].isoformat()}")
    return None


def list_filters(kind_name: str) -> dict:
    """Search box and filters, kept in the URL; returns `list_records`' keyword arguments."""
    kind = get_kind(kind_name)
    spec = spec_for(kind_name)
    widths = [3, *([2] if kind.date_field else []), *([2] if kind.statuses else []), 2]
    cols = st.columns(widths)
    q = cols[0].text_input(tr("ui.search"), value=url.text("q"), key=f"{kind_name}_q",
                           placeholder=tr("rec.search_hint"))
    period = _period_picker(cols[1], kind_name) if kind.date_field else _url_period()  # a bad one still said
    status = ""
    if kind.statuses:
        choices = {"": tr("ui.all"), **{s: tr(f"status.{s}") for s in kind.statuses}}
        status = _select(cols[-2], tr("list.status"), choices, "status", f"{kind_name}_status")
    tag_id = _tag_filter(cols[-1], kind_name)
    box = st.expander(tr("perf.more_filters"), expanded=any(url.text(n) for n in MORE),
                      key=f"{kind_name}_more", on_change="rerun", icon=":material/filter_list:")
    if box.open is False:  # not drawn (its 250 countries and 200 cities are not sent at each rerun): the URL's apply
        country, city_id, extra, owner_id, sort, ascending = _url_filters(kind_name, spec)
    else:
        with box:
            country, city_id, extra, owner_id, sort, ascending = _more_filters(kind_name, spec)
    me = actor()
    if me.can_write and me.id is not None:
        mine = st.toggle(tr("list.mine"), value=owner_id == me.id, key=f"{kind_name}_mine")
        if mine != (owner_id == me.id):
            owner_id = me.id if mine else None
            st.session_state.pop(f"{kind_name}_owner", None)  # the expander's picker follows the URL
            remember("owner", str(owner_id) if owner_id else "")
    remember("q", q.strip())
    remember("period", period.label_code if period else "")
    remember("status", status)
    stored_sort = list_rows.sort_key(kind_name, sort, lang()) if sort and sort != "id" else sort
    return {"q": q, "period": period, "status": status or None, "country": country or None, "city_id": city_id,
            "extra": extra, "sort": stored_sort or None, "descending": not ascending, "tag_id": tag_id,
            "owner_id": owner_id}
