"""The list screen every record kind shares: search, period and status filters, SQL pagination."""

import pandas as pd
import streamlit as st

from crm.countries import country_name
from crm.kinds import get_kind
from crm.periods import parse_period
from crm.records import display_name, list_records
from crm.ui.shell import guard, lang, tr

DATE_COLUMNS = ("start_on", "end_on", "signed_on", "valid_until", "established_on", "council_approved_on")


def _url_value(name: str, default: str = "") -> str:
    return st.query_params.get(name, default)


def _remember(name: str, value: str) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def list_filters(kind_name: str) -> dict:
    """Search box and filters, kept in the URL so a filtered list can be shared."""
    kind = get_kind(kind_name)
    cols = st.columns([3, 2, 2] if kind.statuses else [3, 2])
    q = cols[0].text_input(tr("ui.search"), value=_url_value("q"), key=f"{kind_name}_q")
    period_text = cols[1].text_input(tr("list.period"), value=_url_value("period"), key=f"{kind_name}_period",
                                     placeholder="2020H1 / 2020 / 2020-01-01..2020-06-30",
                                     disabled=kind.date_field is None)
    status = ""
    if kind.statuses:
        labels = {"": tr("ui.all"), **{s: tr(f"status.{s}") for s in kind.statuses}}
        choices = list(labels)
        current = _url_value("status")
        index = choices.index(current) if current in choices else 0
        status = cols[2].selectbox(tr("list.status"), choices, index=index, format_func=labels.__getitem__,
                                   key=f"{kind_name}_status")
    period = None
    if period_text.strip():
        try:
            period = parse_period(period_text)
        except ValueError:
            st.warning(tr("list.bad_period"))
    _remember("q", q.strip())
    _remember("period", period_text.strip() if period else "")
    _remember("status", status)
    return {"q": q, "period": period, "status": status or None}


def _frame(kind_name: str, rows: list[dict]) -> pd.DataFrame:
    current = lang()
    data = []
    for row in rows:
        item = {tr("list.name"): display_name(kind_name, row, current)}
        if "country_code" in row and row["country_code"]:
            item[tr("list.country")] = country_name(row["country_code"], current)
        for column in DATE_COLUMNS:
            if column in row:
                item[tr(f"field.{column}")] = row[column]
        if "status" in row:
            item[tr("list.status")] = tr(f"status.{row['status']}")
        if "headcount" in row:
            item[tr("field.headcount")] = row["headcount"]
        data.append(item)
    return pd.DataFrame(data)


def record_list(kind_name: str) -> None:
    """Title, filters, the count and one page of records."""
    st.title(tr(f"page.{kind_name}"))
    with guard():
        filters = list_filters(kind_name)
        page = int(_url_value("page", "1") or 1) if _url_value("page", "1").isdigit() else 1
        result = list_records(kind_name, page=page, **filters)
        st.caption(tr("ui.count", n=result.total))
        if result.total == 0:
            st.info(tr("ui.empty"))
            return
        st.dataframe(_frame(kind_name, result.rows), hide_index=True, width="stretch")
        if result.pages > 1:
            chosen = st.number_input(tr("list.page", pages=result.pages), min_value=1, max_value=result.pages,
                                     value=min(page, result.pages), key=f"{kind_name}_page")
            _remember("page", str(chosen) if chosen > 1 else "")
