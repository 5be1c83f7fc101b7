"""The half-year report: pick a period, read and edit the generated text, download it as Word, PDF or text."""

import streamlit as st

from crm.documents.exports import MIME
from crm.documents.fonts import NoCjkFont, find_cjk_font
from crm.documents.report.data import report_file, report_text, report_title
from crm.periods import half_year_of
from crm.records.queries import today
from crm.ui import url_params
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
    generated = report_text(period, current)
    key = f"report_text_{period.label_code}_{current}"
    if cols[1].button(tr("report.regenerate"), key="report_regen") or st.session_state.get(f"{key}_base") != generated:
        st.session_state[key] = generated
        st.session_state[f"{key}_base"] = generated
    text = st.text_area(tr("report.text"), key=key, height=520)
    if text != generated:
        st.info(tr("report.edited"))
    title = report_title(period, current)
    stem = f"report-{period.label_code.replace('..', '_')}-{current}"
    dl = st.container(horizontal=True)  # one block for the three buttons
    dl.download_button(tr("report.download_docx"), data=lambda: report_file(title, text, current, "docx"),
                       file_name=f"{stem}.docx", mime=MIME["docx"], key="report_dl_docx", on_click="ignore",
                       width="stretch")
    try:
        find_cjk_font()
        dl.download_button(tr("report.download_pdf"), data=lambda: report_file(title, text, current, "pdf"),
                           file_name=f"{stem}.pdf", mime=MIME["pdf"], key="report_dl_pdf", on_click="ignore",
                           width="stretch")
    except NoCjkFont as exc:
        dl.warning(exc.message(current))
    dl.download_button(tr("report.download_txt"), data=lambda: text.encode("utf-8"), file_name=f"{stem}.txt",
                       mime="text/plain", key="report_dl_txt", on_click="ignore", width="stretch")  # made when clicked
