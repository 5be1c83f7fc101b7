"""Streamlit helpers shared by the leadership views (map, timeline, dashboard)."""

from collections.abc import Sequence

import streamlit as st

from crm.ui import url_params
from crm.ui.shell import lang, tr
from crm.ui.streamlit_internals import main_script_path, registered_with_navigation


def clicked_record(event, default_page: str = "cities") -> tuple[str, int] | None:
    """The (page, record id) of the point clicked in a plotly chart, from its customdata
    ([city id] on maps, [page, id] on the timeline); None when nothing is selected."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        data = point.get("customdata")
        if data is None:
            continue
        if not isinstance(data, list | tuple):
            data = [data]
        if len(data) == 1 and str(data[0]).isdigit():
            return default_page, int(data[0])
        if len(data) >= 2 and str(data[1]).isdigit():
            return str(data[0]), int(data[1])
    return None


def open_clicked(event, default_page: str = "cities") -> None:
    """Open the record behind a clicked point (its page with `?id=`)."""
    target = clicked_record(event, default_page)
    if target is not None:
        page, record_id = target
        st.switch_page(f"pages/{page}.py", query_params={"id": str(record_id), "lang": lang()})


def url_period(default: str | None = None):
    """The `?period=` of the URL as a Period, else `default` parsed (None without one); a `?period=` that is
    not a period says so and gives the default."""
    try:
        found = url_params.period()
    except url_params.BadParam:
        st.warning(tr("list.bad_period"))
        found = None
    if found is None and default:
        return url_params.read_period(default)
    return found


_PAGES: dict[tuple[str, str], st.Page] = {}


def _registered_page(page: str) -> st.Page | str:
    """`pages/<page>.py` as an st.Page built once per process, when st.navigation registered it (else the path).

    st.page_link given a path resolves it on the disk at every call (realpath of the script and the
    page): on a page of 40 links that is a noticeable share of each rerun. A Page object skips it.
    """
    path = f"pages/{page}.py"
    script = main_script_path()
    if script is None:
        return path
    key = (script, page)
    if key not in _PAGES:
        _PAGES[key] = st.Page(path, url_path=page)
    made = _PAGES[key]
    return made if registered_with_navigation(made) else path


def record_link(page: str, record_id: int, label: str, icon: str | None = None, current: str | None = None) -> None:
    """A link to a record's page (`/<page>?id=`), in the current language (`current`, else looked up)."""
    page_link(page, label, icon, {"id": str(record_id)}, current)


def page_link(page: str, label: str, icon: str | None = None, params: dict[str, str] | None = None,
              current: str | None = None) -> None:
    """A link to `pages/<page>.py` with these query parameters, in the current language."""
    st.page_link(_registered_page(page), label=label, icon=icon,
                 query_params={**(params or {}), "lang": current or lang()})


def record_table(key: str, headers: Sequence[str], cells: Sequence[Sequence[str]], targets: Sequence[tuple[str, int]],
                 rows_shown: int = 6) -> None:
    """A short list as one table (one element, however many rows): clicking a row opens its record,
    `targets[i]` = (page, record id) of row i. About `rows_shown` rows are visible; the rest scroll."""
    from crm.ui.frames import text_table

    event = st.dataframe(text_table(headers, cells), hide_index=True, width="stretch", key=key, on_select="rerun",
                         selection_mode="single-row", height=38 + 35 * max(1, min(len(cells), rows_shown)))
    target = chosen_target(event, targets)
    if target is not None:
        st.switch_page(f"pages/{target[0]}.py", query_params={"id": str(target[1]), "lang": lang()})


def chosen_target(event, targets: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The (page, record id) of the row selected in a table event, if any."""
    try:
        rows = event["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    return targets[rows[0]] if rows and 0 <= rows[0] < len(targets) else None
