"""The screens every record kind shares: the list (search, filters in the URL, SQL pages, export) and
`record_page(kind)`, which shows the list, one record (`?id=`) or the create form (`?new=1`)."""

import importlib.util

import pandas as pd
import pyarrow as pa
import streamlit as st

from crm.config import PAGE_SIZE
from crm.geo.countries import country_choices, country_name, is_country
from crm.i18n import t
from crm.models.kinds import get_kind
from crm.records.formspec import F, spec_for
from crm.records.names import display_name
from crm.records.queries import list_records
from crm.ui import url_params as url
from crm.ui.pickers import labels_for, ref_choices
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.ui.values import day_text

DATE_COLUMNS = ("start_on", "end_on", "signed_on", "valid_until", "established_on", "council_approved_on")


def _url_value(name: str, default: str = "") -> str:
    """A filter's text from the URL, cleaned and cut (crm.ui.url_params)."""
    return url.text(name, default)


def _url_id(name: str) -> int | None:
    """A record id from the URL, None when absent or not an id (a filter that cannot apply is ignored)."""
    try:
        return url.record_id(name)
    except url.BadParam:
        return None


def _remember(name: str, value: str) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _select(container, label: str, labels: dict, url_name: str, key: str) -> str:
    choices = list(labels)
    current = _url_value(url_name)
    index = choices.index(current) if current in choices else 0
    return container.selectbox(label, choices, index=index, format_func=labels.__getitem__, key=key)


def _more_filters(kind_name: str, spec) -> tuple:
    """Country, city, kind, sort and order widgets (in the "more filters" expander), kept in the URL."""
    more = st.columns(4)
    countries = {"": tr("ui.all"), **country_choices(lang())}
    country = _select(more[0], tr("list.country"), countries, "country", f"{kind_name}_country")
    city_id = None
    if kind_name != "cities":
        current = _url_id("city")
        cities = {"": tr("ui.all"), **{str(k): v for k, v in ref_choices("cities", current).items()}}
        city = _select(more[1], tr("rec.filter_city"), cities, "city", f"{kind_name}_city")
        city_id = int(city) if city else None
        _remember("city", city)
    extra = {}
    if spec.kind_filter is not None:
        f: F = spec.kind_filter
        labels = {"": tr("ui.all"), **{c: tr(f"{f.prefix}.{c}") for c in f.choices}}
        chosen = _select(more[2], tr(f.label_key), labels, "kind", f"{kind_name}_kind")
        extra = {f.name: chosen} if chosen else {}
        _remember("kind", chosen)
    sorts = {"": tr("rec.sort_default"), **{s: tr(f"rec.f.{s}") if s != "id" else tr("rec.sort_added")
                                           for s in spec.sort_fields}}
    sort = _select(more[3], tr("rec.sort"), sorts, "sort", f"{kind_name}_sort")
    ascending = st.toggle(tr("rec.ascending"), value=url.flag("asc"), key=f"{kind_name}_asc")
    _remember("country", country)
    _remember("sort", sort)
    _remember("asc", "1" if ascending else "")
    return country, city_id, extra, sort, ascending


def _url_filters(kind_name: str, spec) -> tuple:
    """The same filters read from the URL alone (the expander is closed), unknown values ignored."""
    country = url.choice("country", is_country)
    city_id = _url_id("city") if kind_name != "cities" else None
    f = spec.kind_filter
    chosen = url.choice("kind", f.choices) if f is not None else ""
    extra = {f.name: chosen} if f is not None and chosen else {}
    sort = url.choice("sort", spec.sort_fields)
    return country, city_id, extra, sort, url.flag("asc")


def list_filters(kind_name: str) -> dict:
    """Search box and filters, kept in the URL so a filtered list can be shared."""
    kind = get_kind(kind_name)
    spec = spec_for(kind_name)
    cols = st.columns([3, 2, 2] if kind.statuses else [3, 2])
    q = cols[0].text_input(tr("ui.search"), value=_url_value("q"), key=f"{kind_name}_q",
                           placeholder=tr("rec.search_hint"))
    period_text = cols[1].text_input(tr("list.period"), value=url.text("period", max_len=40), key=f"{kind_name}_period",
                                     placeholder="2020H1 / 2020 / 109H1 / 2020-01-01..2020-06-30",
                                     disabled=kind.date_field is None)
    status = ""
    if kind.statuses:
        labels = {"": tr("ui.all"), **{s: tr(f"status.{s}") for s in kind.statuses}}
        status = _select(cols[2], tr("list.status"), labels, "status", f"{kind_name}_status")
    more_names = ("country", "city", "kind", "sort", "asc")
    box = st.expander(tr("perf.more_filters"), expanded=any(_url_value(n) for n in more_names),
                      key=f"{kind_name}_more", on_change="rerun", icon=":material/filter_list:")
    if box.open is False:  # not drawn (its 250 countries and 200 cities are not sent at each rerun): the URL's apply
        country, city_id, extra, sort, ascending = _url_filters(kind_name, spec)
    else:
        with box:
            country, city_id, extra, sort, ascending = _more_filters(kind_name, spec)
    period = None
    if period_text.strip():
        try:
            period = url.read_period(period_text)
        except url.BadParam:
            st.warning(tr("list.bad_period"))
    _remember("q", q.strip())
    _remember("period", period_text.strip() if period else "")
    _remember("status", status)
    return {"q": q, "period": period, "status": status or None, "country": country or None, "city_id": city_id,
            "extra": extra, "sort": sort or None, "descending": not ascending}


def _frame(kind_name: str, rows: list[dict]) -> pa.Table | pd.DataFrame:
    """The page of rows with readable, localized columns: names, not ids."""
    current = lang()
    spec = spec_for(kind_name)
    columns = [spec.field(c) or F(c) for c in spec.list_columns]
    refs: dict[str, set] = {}
    for f in columns:
        if f.widget == "ref":
            assert f.ref is not None  # a ref field names its kind
            refs.setdefault(f.ref, set()).update(r.get(f.name) for r in rows if r.get(f.name))
    names = {kind: labels_for(kind, ids) for kind, ids in refs.items()}
    if kind_name == "partnerships":  # a partnership is called by its city
        names["_self"] = labels_for("partnerships", [r["id"] for r in rows])
    name_header = t("list.name", current)  # translated once per page, not once per cell
    headers = {f.name: t("list.status", current) if f.name == "status" else t(f.label_key, current) for f in columns}
    data = []
    for row in rows:
        name = display_name(kind_name, row, current)
        if kind_name == "partnerships" and not (row.get("title_en") or row.get("title_zh")):
            name = names["_self"].get(row["id"], name)
        item = {"_link": f"/{kind_name}?id={row['id']}&lang={current}", name_header: name}
        for f in columns:
            value = row.get(f.name)
            header = headers[f.name]
            if value in (None, ""):
                item[header] = ""
            elif f.widget == "ref":
                assert f.ref is not None  # a ref field names its kind
                item[header] = names.get(f.ref, {}).get(value, f"#{value}")
            elif f.widget == "choice" or f.name == "status":
                item[header] = t(f"{f.prefix or 'status'}.{value}", current)
            elif f.widget == "country" or f.name == "country_code":
                item[header] = country_name(value, current)
            elif f.name in DATE_COLUMNS or f.widget in ("date", "datetime"):
                item[header] = day_text(value)  # the one date format of the language
            elif f.name == "coord_source":
                item[header] = t(f"places.source_short.{value}", current)
            else:
                item[header] = value
        data.append(item)
    try:  # an Arrow table goes to the browser without a pandas round trip (a few ms per rerun)
        return pa.Table.from_pylist(data)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing kinds of values (numbers and blanks)
        return pd.DataFrame(data)


def _columns(frame: pa.Table | pd.DataFrame) -> list[str]:
    return frame.column_names if isinstance(frame, pa.Table) else list(frame.columns)


def _exports(kind_name: str, filters: dict) -> None:
    if importlib.util.find_spec("crm.documents.exports") is None:
        return
    from crm.documents import exports

    row = st.container(horizontal=True)  # one block, not a column each
    for fmt in ("csv", "xlsx"):
        def data(fmt: str = fmt) -> bytes:
            return exports.list_export(kind_name, fmt, lang(), **filters)

        row.download_button(
            tr("rec.export_as", fmt=fmt.upper()), data=data,
            file_name=exports.filename(kind_name, fmt, lang()) if hasattr(exports, "filename") else f"{kind_name}.{fmt}",
            mime=exports.MIME[fmt], key=f"{kind_name}_export_{fmt}", icon=":material/download:", on_click="ignore")


def record_list(kind_name: str) -> None:
    """Title, filters, the count, one page of records and the export buttons."""
    head = st.columns([5, 1])
    head[0].title(tr(f"page.{kind_name}"))
    if actor().can_write and head[1].button(tr("rec.new", kind=tr(f"kind.{kind_name}")), key=f"{kind_name}_new",
                                            type="primary", icon=":material/add:"):
        st.query_params["new"] = "1"
        st.rerun()
    with guard():
        filters = list_filters(kind_name)
        try:
            page = url.positive_int("page", 1) or 1
        except url.BadParam:  # not a page number: the first page
            page = 1
        result = list_records(kind_name, page=page, page_size=PAGE_SIZE, **filters)
        if page > result.pages:  # the filters changed under a later page: show the last one
            page = result.pages
            result = list_records(kind_name, page=page, page_size=PAGE_SIZE, **filters)
        st.caption(tr("ui.count", n=result.total))
        if result.total == 0:
            st.info(tr("ui.empty"))
            return
        frame = _frame(kind_name, result.rows)
        event = st.dataframe(
            frame, hide_index=True, width="stretch", key=f"{kind_name}_table", on_select="rerun",
            selection_mode="single-row", column_order=[c for c in _columns(frame) if c != "_link"] + ["_link"],
            column_config={"_link": st.column_config.LinkColumn(tr("rec.open"), display_text=tr("rec.open"))})
        selected = getattr(getattr(event, "selection", None), "rows", None) or []
        if selected:
            st.query_params["id"] = str(result.rows[selected[0]]["id"])
            st.rerun()
        if result.pages > 1:
            chosen = st.number_input(tr("list.page", pages=result.pages), min_value=1, max_value=result.pages,
                                     value=min(page, result.pages), key=f"{kind_name}_page")
            _remember("page", str(chosen) if chosen > 1 else "")
        _exports(kind_name, filters)


def record_page(kind_name: str) -> None:
    """The whole screen of a kind: a record (`?id=`), the create form (`?new=1`), or the list."""
    from crm.ui.detail import record_detail
    from crm.ui.forms import record_form

    if url.given("id"):
        if st.button(tr("rec.back_to_list", kind=tr(f"page.{kind_name}")), key="back", icon=":material/arrow_back:",
                     type="tertiary"):
            del st.query_params["id"]
            st.rerun()
        try:
            record_id = url.record_id()
        except url.BadParam as bad:  # "²", "-1", 20 digits, "<script>": no record has such an id
            st.title(tr(f"page.{kind_name}"))
            st.error(tr("err.not_found", kind=tr(f"kind.{kind_name}"), id=plain(bad.shown)))
            return
        assert record_id is not None  # given: an id, or BadParam
        record_detail(kind_name, record_id)
        return
    if url.given("new") and actor().can_write:
        if st.button(tr("rec.back_to_list", kind=tr(f"page.{kind_name}")), key="back", icon=":material/arrow_back:",
                     type="tertiary"):
            del st.query_params["new"]
            st.rerun()
        st.title(tr("rec.new", kind=tr(f"kind.{kind_name}")))
        with guard():
            record_form(kind_name, None)
        return
    record_list(kind_name)
