"""calendar page: month, week and agenda views of every dated activity (crm.calendar.sources), coloured by kind,
filters in the URL, a click opens the record; and the user's private feed for calendar programs."""

import streamlit as st

from crm.calendar import grid
from crm.calendar.sources import SOURCES, Filters, events, source_names, status_choices
from crm.geo.countries import country_choices, is_country
from crm.i18n import capitalise, t
from crm.records.queries import today as office_today
from crm.ui import url_params as url
from crm.ui.calendar_feed import feed_section
from crm.ui.shell import guard, lang, plain
from crm.ui.views import record_table

current = lang()


def tr(key: str, **params) -> str:
    return t(key, current, **params)


def remember(name: str, value: str) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def anchor_day():
    """The day the view is about: `?day=`, else today (a date that is not one says so)."""
    try:
        return url.day() or office_today()
    except url.BadParam as exc:
        st.warning(tr("cal.bad_day", value=plain(exc.shown)))
        return office_today()


def move(view: str, forward: bool | None) -> None:
    day = office_today() if forward is None else grid.step(view, anchor_day(), forward)
    st.query_params["day"] = day.isoformat()
    if "period" in st.query_params:  # a period from a link gives way to the month moved to
        del st.query_params["period"]


st.title(tr("page.calendar"))
with guard():
    cols = st.columns([3, 2, 2, 1.5], vertical_alignment="bottom")
    view_labels = {v: tr(f"cal.view.{v}") for v in grid.VIEWS}
    view = cols[0].segmented_control(tr("cal.view"), grid.VIEWS, default=url.choice("view", grid.VIEWS, "month"),
                                     format_func=view_labels.__getitem__, key="cal_view") or "month"
    every = source_names()
    chosen = st.multiselect(tr("cal.kinds"), every, default=list(url.choices("kinds", every) or every),
                                 format_func=lambda s: SOURCES[s].label(current), key="cal_kinds")
    kinds = tuple(chosen) or every
    statuses = {"": tr("cal.all"), **{s: grid.status_label(s, current) for s in status_choices(kinds)}}
    wanted_status = url.choice("status", statuses)
    status = cols[1].selectbox(tr("cal.status"), list(statuses), index=list(statuses).index(wanted_status),
                               format_func=statuses.__getitem__, key="cal_status")
    countries = {"": tr("cal.all"), **country_choices(current)}
    wanted_country = url.choice("country", is_country)
    country = cols[2].selectbox(tr("cal.country"), list(countries),
                                index=list(countries).index(wanted_country) if wanted_country in countries else 0,
                                format_func=countries.__getitem__, key="cal_country")
    roc = cols[3].toggle(tr("cal.roc"), value=url.flag("roc"), key="cal_roc")
    remember("view", view if view != "month" else "")
    remember("kinds", ",".join(kinds) if set(kinds) != set(every) else "")
    remember("status", status)
    remember("country", country)
    remember("roc", "1" if roc else "")

    anchor = anchor_day()
    period = grid.view_period(view, anchor)
    if view == "agenda" and url.given("period"):
        try:
            period = url.period() or period
        except url.BadParam as exc:
            st.warning(tr("cal.bad_period", value=plain(exc.shown)))
    nav = st.columns([1.4, 1.4, 1.4, 6], vertical_alignment="center")
    nav[0].button(tr("cal.prev"), icon=":material/chevron_left:", key="cal_prev", on_click=move, args=(view, False),
                  width="stretch")
    nav[1].button(tr("cal.today"), key="cal_today", on_click=move, args=(view, None), width="stretch")
    nav[2].button(tr("cal.next"), icon=":material/chevron_right:", key="cal_next", on_click=move, args=(view, True),
                  width="stretch")
    heading = (grid.title(view, anchor, current, roc) if not (view == "agenda" and url.given("period"))
               else capitalise(period.label(current)))
    nav[3].subheader(plain(heading), anchor=False)

    found = events(period, kinds, Filters((status,) if status else (), country), current)
    st.html(grid.legend_html(kinds, current))
    if not found:
        st.info(tr("cal.empty"))
    if view == "agenda":
        if found:
            cells, targets = grid.agenda_rows(found, current, roc)
            record_table("cal_agenda", [tr("cal.col.when"), tr("cal.col.what"), tr("cal.col.kind"), tr("cal.col.status")],
                         cells, targets, rows_shown=15)
    else:
        st.html(grid.grid_html(view, anchor, found, current, office_today()))
    st.caption(tr("cal.click"))

with guard():
    feed_section(kinds)
