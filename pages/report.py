"""The half-year report: pick a period; the text from the records, edited, kept as named drafts, re-opened, one
version marked as issued, downloaded as Word, PDF or text (crm.ui.report_drafts draws it)."""

import streamlit as st

from crm.periods import half_year_of
from crm.records.queries import today
from crm.ui import url_params
from crm.ui.report_drafts import report_editor
from crm.ui.shell import guard, lang, tr
from crm.views.counts import half_years_with_data

current = lang()
st.title(tr("page.report"))
st.caption(tr("report.intro"))


def _default_period() -> str:
    """`?period=` from the URL, else the latest complete half-year holding records, else the last complete one."""
    wanted = url_params.text("period", max_len=40)
    if wanted:
        return wanted
    last_complete = half_year_of(today()).previous().label_code
    return next((c for c in half_years_with_data() if c <= last_complete), last_complete)


with guard():
    cols = st.columns([2, 3], vertical_alignment="bottom")
    period_text = cols[0].text_input(tr("report.period"), value=_default_period(), help=tr("report.period_help"),
                                     key="report_period")
    try:
        period = url_params.read_period(period_text)
    except ValueError:
        st.warning(tr("list.bad_period"))
        st.stop()
    st.query_params["period"] = period.label_code
    cols[1].markdown(f"**{period.label(current)}**")
    report_editor(period, current)
