"""The table of a list: one page of records with the reader's columns, rows selected by their checkboxes, a
click on a name opening its record in the same tab; the pager ("51–100 of 1,234", first/previous/next/last, page size); the
column chooser. Columns and page size are kept per user (crm.records.saved_views)."""

from typing import Any

import pyarrow as pa
import streamlit as st

from crm.records import list_rows, saved_views
from crm.records.queries import ListResult
from crm.ui import url_params as url
from crm.ui.list_filters import remember
from crm.ui.shell import actor, lang, tr

ROW_HEIGHT = 35
WIDTHS: dict[str, Any] = {"status": 110, "country_code": 150, "_country": 150, "_other": "medium", "_tags": "medium",
                          "updated_at": 140}  # px: a badge or a date is not cut


def count_text(n: int) -> str:
    """"1 record" / "1,234 records" / "共 1,234 筆"."""
    return tr("ui.count_one" if n == 1 else "ui.count", n=f"{n:,}")


def columns_of(kind_name: str) -> list[str]:
    """The reader's columns for `kind_name`, those no longer offered dropped; the name always first."""
    chosen = saved_views.preference(actor().id, kind_name)["columns"] or list_rows.default_columns(kind_name)
    offered = list_rows.available_columns(kind_name)
    kept = [c for c in chosen if c in offered and c != "_name"]
    return ["_name", *kept]


def page_size_of(kind_name: str) -> int:
    return saved_views.preference(actor().id, kind_name)["page_size"]


def current_page() -> int:
    try:
        return url.positive_int("page", 1) or 1
    except url.BadParam:  # not a page number: the first page
        return 1


def table_key(kind_name: str, page: int) -> str:
    return f"{kind_name}_table_{page}"


def select_all(kind_name: str, page: int, n: int) -> None:
    """Select the `n` rows of the page (a button's callback: before the table is drawn)."""
    st.session_state[table_key(kind_name, page)] = {"selection": {"rows": list(range(n)), "columns": []}}


def draw_table(kind_name: str, result: ListResult, columns: list[str]) -> list[tuple[int, int]]:
    """The page as a table; returns the (id, version) of the rows selected."""
    current = lang()
    rows = list_rows.table_rows(kind_name, result.rows, columns, current)
    headers = {c: list_rows.header(kind_name, c, current) for c in columns}
    data: dict[str, list] = {}
    for column in columns:
        data[column] = [r[column] for r in rows]
    config: dict = {c: st.column_config.TextColumn(headers[c], help=headers[c],
                                                   width=WIDTHS.get(c, 105 if c in list_rows.DATE_FIELDS else None))
                    for c in columns if c != "_name"}
    config["_name"] = st.column_config.TextColumn(headers["_name"], help=tr("list.open_help"), width="medium",
                                                  pinned=True)
    table: Any = pa.table({c: pa.array(v, pa.string()) for c, v in data.items()})
    if "status" in columns and rows:  # statuses as coloured badges (a Styler: the one way to colour a cell)
        styles = list_rows.status_style(kind_name, current)
        table = table.to_pandas().style.map(lambda v: styles.get(v, ""), subset=["status"])
    event = st.dataframe(table, hide_index=True,
                         width="stretch", key=table_key(kind_name, result.page),
                         on_select="rerun", selection_mode=["multi-row", "single-cell"], column_config=config,
                         height=ROW_HEIGHT * (len(rows) + 1) + 3, row_height=ROW_HEIGHT)
    selection = getattr(event, "selection", None)
    for row, column in getattr(selection, "cells", None) or []:  # a click on a name opens it, in this tab
        if column == "_name" and 0 <= row < len(result.rows):
            open_record(kind_name, result.page, result.rows[row]["id"])
    chosen = getattr(selection, "rows", None) or []
    return [(result.rows[i]["id"], result.rows[i]["version"]) for i in chosen if 0 <= i < len(result.rows)]


def open_record(kind_name: str, page: int, record_id: int) -> None:
    """Show record `record_id` on this page (the URL says which), the click that chose it forgotten, so that
    coming back to the list does not open it again."""
    st.session_state.pop(table_key(kind_name, page), None)
    st.query_params["id"] = str(record_id)
    st.rerun()


def pager(kind_name: str, result: ListResult) -> None:
    """"51–100 of 1,234" with first/previous/next/last and the page size."""
    first = (result.page - 1) * result.page_size + 1
    last = min(result.total, result.page * result.page_size)
    bar = st.container(horizontal=True, vertical_alignment="center", key=f"{kind_name}_pager")
    moves = (("first", 1, ":material/first_page:"), ("previous", result.page - 1, ":material/chevron_left:"),
             ("next", result.page + 1, ":material/chevron_right:"), ("last", result.pages, ":material/last_page:"))
    for name, target, icon in moves:
        if bar.button(tr(f"list.{name}"), key=f"{kind_name}_{name}", icon=icon, type="tertiary",
                      disabled=not 1 <= target <= result.pages or target == result.page):
            remember("page", str(target) if target > 1 else "")
            st.rerun()
    bar.markdown(tr("list.range", first=f"{first:,}", last=f"{last:,}", total=f"{result.total:,}"))
    sizes = list(saved_views.PAGE_SIZES)
    shown = {n: tr("list.per_page", n=n) for n in sizes}
    size = bar.selectbox(tr("list.page_size"), sizes, index=sizes.index(result.page_size), key=f"{kind_name}_size",
                         label_visibility="collapsed", width=110, format_func=shown.__getitem__)
    if size != result.page_size:
        saved_views.save_preference(actor(), kind_name, page_size=size)
        remember("page", "")
        st.rerun()


def column_chooser(kind_name: str) -> None:
    """Which columns, in which order (the multiselect's order), kept for this user."""
    current = lang()
    offered = [c for c in list_rows.available_columns(kind_name) if c != "_name"]
    shown = [c for c in columns_of(kind_name) if c != "_name"]
    headers = {c: list_rows.header(kind_name, c, current) for c in offered}
    with st.popover(tr("list.columns"), icon=":material/view_column:"):
        chosen = st.multiselect(tr("list.columns_help"), offered, default=shown, key=f"{kind_name}_columns",
                                placeholder=tr("list.choose"),
                                format_func=headers.__getitem__)
        cols = st.columns(2)
        if cols[0].button(tr("list.columns_save"), key=f"{kind_name}_columns_save", type="primary"):
            saved_views.save_preference(actor(), kind_name, columns=chosen)
            st.rerun()
        if cols[1].button(tr("list.columns_reset"), key=f"{kind_name}_columns_reset"):
            saved_views.save_preference(actor(), kind_name, columns=[])
            st.session_state.pop(f"{kind_name}_columns", None)
            st.rerun()
