"""Home page: the half-year at a glance, coming up, reminders, and two charts."""

from datetime import timedelta

import streamlit as st

from crm.i18n import capitalise, t
from crm.periods import parse_period, period_label
from crm.records.queries import today as office_today
from crm.ui import url_params
from crm.ui.cards import Card, cards_html
from crm.ui.shell import fragment, guard, lang
from crm.ui.views import page_link, record_table
from crm.views import dashboard as dash
from crm.views.counts import period_counts

current = lang()


def tr(key: str, **params) -> str:
    """The catalog text in this run's language (looked up once per run, not at each of ~90 strings)."""
    return t(key, current, **params)


st.title(tr("page.dashboard"))
ROWS = (("visits_groups", "visits_people", "conferences", "new_partnerships", "agreements_signed"),
        ("delegations", "delegation_people", "delegation_cities", "delegation_countries", "dignitaries_met"))


def pick_period():
    """Half-years that hold data (and the current one); `?period=2020H1` in the URL preselects one."""
    choices = dash.period_choices()
    try:
        wanted = url_params.period()
    except url_params.BadParam:  # not a period: say so, show the current half-year
        st.warning(tr("list.bad_period"))
        wanted = None
    period = dash.resolve_period(wanted.label_code if wanted else None)
    if period.label_code not in choices:
        choices.insert(0, period.label_code)
    labels = {c: capitalise(period_label(c, current)) for c in choices}
    labels[choices[0]] = tr("dash.current", label=labels[choices[0]]) if choices[0] == dash.default_period().label_code \
        else labels[choices[0]]
    cols = st.columns([2, 5], vertical_alignment="bottom")
    code = cols[0].selectbox(tr("dash.period"), choices, index=choices.index(period.label_code),
                             format_func=labels.__getitem__, key="dash_period")
    cols[1].caption(tr("dash.intro"))
    if code != dash.default_period().label_code or "period" in st.query_params:
        st.query_params["period"] = code
    return parse_period(code)


def metrics(period, figures: dict) -> None:
    """Ten figure cards (one HTML block): the figure, its change on the previous half, both comparisons."""
    cards = [Card(tr(f"dash.metric.{m.key}"), m.value, m.value - m.previous,
                  tr("dash.compare", previous=f"{m.previous:,}", last_year=f"{m.year_before:,}"))
             for m in (figures[key] for keys in ROWS for key in keys)]
    st.html(cards_html(cards, delta_label=tr("dash.vs_previous")))
    counts = period_counts(period)
    if counts.postponed or counts.cancelled:
        st.caption(tr("dash.off_plan", postponed=counts.postponed, cancelled=counts.cancelled))


def _choose(code: str) -> None:
    st.session_state["dash_period"] = code
    st.query_params["period"] = code


def empty_hint(period) -> None:
    latest = dash.latest_with_figures()
    if latest is None or latest == period.label_code:
        st.info(tr("ui.empty"))
        return
    st.info(tr("dash.empty_period", period=period.label(current), latest=parse_period(latest).label(current)))
    st.button(tr("dash.show_period", period=parse_period(latest).label(current)), type="primary",
              on_click=_choose, args=(latest,), key="dash_show_latest")


@fragment  # 30 / 90 days reruns this list only, not the figures and the charts
def coming_up() -> None:
    st.subheader(tr("dash.coming_up"), divider="gray", help=tr("dash.click_row"))
    day_labels = {30: tr("dash.days", n=30), 90: tr("dash.days", n=90)}
    days = st.segmented_control(tr("dash.coming_up"), (30, 90), default=30, format_func=day_labels.__getitem__,
                                key="dash_days", label_visibility="collapsed") or 30
    table = dash.upcoming_table(days, current)
    if not table.cells:
        st.caption(tr("dash.nothing_coming", n=days))
        return
    record_table("dash_upcoming", [tr("dash.col.when"), tr("dash.col.kind"), tr("dash.col.what"), tr("dash.col.status")],
                 table.cells, table.targets)
    if len(table.cells) >= dash.UPCOMING_LIMIT:  # the list stops there: all of them on the timeline, over the same days
        today = office_today()
        page_link("timeline", tr("dash.all_on_timeline"), ":material/view_timeline:",
                  {"period": f"{today.isoformat()}..{(today + timedelta(days=days)).isoformat()}"}, current)


def _reminder_list(key: str, headers: list[str], table: dash.Table) -> None:
    if not table.cells:
        st.caption(tr("dash.none"))
        return
    record_table(key, headers, table.cells, table.targets)


def _anniversaries() -> None:
    _reminder_list("dash_anniversaries", [tr("dash.col.city"), tr("dash.col.years"), tr("dash.col.when")],
                   dash.anniversaries_table(current))


def _expiring() -> None:
    _reminder_list("dash_expiring", [tr("dash.col.what"), tr("dash.col.valid_until")], dash.expiring_table(current))


def _postponed() -> None:
    _reminder_list("dash_postponed", [tr("dash.col.what"), tr("dash.col.kind"), tr("dash.col.planned")],
                   dash.postponed_table(current))


@fragment  # a tab change reruns the reminders only
def reminders() -> None:
    """Three lists in tabs; only the open tab's list is drawn."""
    st.subheader(tr("dash.reminders"), divider="gray", help=tr("dash.click_row"))
    tabs = st.tabs([tr("dash.anniversaries"), tr("dash.expiring"), tr("dash.postponed")], key="dash_reminders",
                   on_change="rerun")
    for tab, draw in zip(tabs, (_anniversaries, _expiring, _postponed), strict=True):
        if tab.open:
            with tab:
                draw()


with guard():
    period = pick_period()
    figures = {m.key: m for m in dash.comparison(period)}
    if any(m.value for m in figures.values()):
        metrics(period, figures)
    else:
        empty_hint(period)
    left, right = st.columns(2, gap="large")
    with left:
        coming_up()
    with right:
        reminders()
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(tr("dash.chart.activity"), divider="gray")
        st.plotly_chart(dash.activity_chart(current), config={"displaylogo": False}, key="dash_activity")
    with right:
        st.subheader(tr("dash.chart.regions"), divider="gray")
        st.plotly_chart(dash.regions_chart(current), config={"displaylogo": False}, key="dash_regions")
