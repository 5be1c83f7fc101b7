"""The screens every record kind shares: the list (filters in the URL, SQL pages, selection and bulk actions,
saved views, export: crm.ui.list_*, bulk_actions, saved_views_panel) and
`record_page(kind)`, which shows the list, one record (`?id=`) or the create form (`?new=1`)."""

import importlib.util

import streamlit as st

from crm.records import saved_views
from crm.records.queries import list_records
from crm.ui import url_params as url
from crm.ui.bulk_actions import bulk_panel, last_action
from crm.ui.list_filters import list_filters
from crm.ui.list_view import (
    column_chooser,
    columns_of,
    count_text,
    current_page,
    draw_table,
    page_size_of,
    pager,
    select_all,
)
from crm.ui.saved_views_panel import views_panel
from crm.ui.shell import actor, guard, lang, plain, tr


def _exports(kind_name: str, filters: dict) -> None:
    if importlib.util.find_spec("crm.documents.exports") is None:
        return
    from crm.documents import exports

    row = st.container(horizontal=True)  # one block, not a column each
    for fmt in exports.LIST_FORMATS:
        def data(fmt: str = fmt) -> bytes:
            return exports.list_export(kind_name, fmt, lang(), **filters)

        row.download_button(
            tr("rec.export_as", fmt=fmt.upper()), data=data,
            file_name=exports.filename(kind_name, fmt, lang()) if hasattr(exports, "filename") else f"{kind_name}.{fmt}",
            mime=exports.MIME[fmt], key=f"{kind_name}_export_{fmt}", icon=":material/download:", on_click="ignore")


def record_list(kind_name: str) -> None:
    """Title, filters, the count, one page of records with their bulk actions, the pager, saved views."""
    head = st.columns([5, 1])
    head[0].title(tr(f"page.{kind_name}"))
    if actor().can_write and head[1].button(tr("rec.new", kind=tr(f"kind.{kind_name}")), key=f"{kind_name}_new",
                                            type="primary", icon=":material/add:"):
        st.query_params["new"] = "1"
        st.rerun()
    with guard():
        views_panel(kind_name)
    with guard():
        filters = list_filters(kind_name)
        page, size = current_page(), page_size_of(kind_name)
        result = list_records(kind_name, page=page, page_size=size, **filters)
        if page > result.pages:  # the filters changed under a later page: show the last one
            result = list_records(kind_name, page=result.pages, page_size=size, **filters)
        last_action(kind_name)
        bar = st.container(horizontal=True, vertical_alignment="center")
        bar.caption(plain(count_text(result.total)))
        if result.total == 0:
            st.info(tr("ui.empty"))
            return
        if actor().can_write:
            bar.button(tr("list.select_page"), key=f"{kind_name}_select_page", icon=":material/select_all:",
                       type="tertiary", on_click=select_all, args=(kind_name, result.page, len(result.rows)))
        with bar:
            column_chooser(kind_name)
        selection = draw_table(kind_name, result, columns_of(kind_name))
        bulk_panel(kind_name, selection)
        if result.pages > 1 or result.total > saved_views.PAGE_SIZES[0]:
            pager(kind_name, result)
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
