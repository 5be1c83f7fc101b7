"""Timeline of diplomatic activity: period, search, grouping; a click opens the item."""

import streamlit as st

from crm.i18n import date_text, pick
from crm.periods import parse_period, period_label
from crm.ui import url_params
from crm.ui.shell import fragment, guard, lang, tr
from crm.ui.tags_view import tag_picker
from crm.ui.views import open_clicked, record_link, url_period
from crm.views.counts import half_years_with_data
from crm.views.timeline import GROUPINGS, KIND_ORDER, latest_year, timeline_chart, timeline_items

st.title(tr("page.timeline"))
st.caption(tr("timeline.intro"))
current = lang()


@fragment  # choosing an item reruns this picker only, not the chart above it
def open_item(items: list, kind_labels: dict[str, str]) -> None:
    """A picker of the drawn items, with a link to the chosen one's record."""
    choices = {i: f"{date_text(it.start, current)} · {kind_labels[it.kind]} · "
                  f"{pick(current, it.title_en, it.title_zh, f'#{it.record_id}')}" for i, it in enumerate(items)}
    pick_cols = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick_cols[0].selectbox(tr("timeline.open_item"), list(choices), index=None,
                                    format_func=choices.__getitem__, placeholder=tr("timeline.open_item"),
                                    key="tl_item")
    if chosen is not None:
        with pick_cols[1]:
            record_link(items[chosen].page, items[chosen].record_id, tr("map.open"), icon=":material/open_in_new:")


with guard():
    halves = half_years_with_data()
    years = sorted({code[:4] for code in halves} | {str(latest_year())}, reverse=True)
    codes = [*years, *halves, ""]
    preset = url_period(str(latest_year()))
    if preset is not None and preset.label_code not in codes:
        codes.insert(0, preset.label_code)
    labels = {c: period_label(c, current) if c else tr("map.mode.all") for c in codes}
    cols = st.columns([2, 3, 2, 2])
    index = codes.index(preset.label_code) if preset is not None else len(codes) - 1
    code = cols[0].selectbox(tr("list.period"), codes, index=index, format_func=labels.__getitem__, key="tl_period")
    period = parse_period(code) if code else None
    q = cols[1].text_input(tr("ui.search"), value=url_params.text("q"), key="tl_q")
    group_labels = {g: tr(f"timeline.by.{g}") for g in GROUPINGS}
    by = cols[2].segmented_control(tr("timeline.group_by"), GROUPINGS, default="kind", key="tl_by",
                                   format_func=group_labels.__getitem__) or "kind"
    kind_labels = {k: tr(f"timeline.kind.{k}") for k in KIND_ORDER}
    kinds = st.pills(tr("timeline.kinds"), KIND_ORDER, selection_mode="multi", default=list(KIND_ORDER),
                     format_func=kind_labels.__getitem__, key="tl_kinds") or []

    query = dict(period=period, q=q, kinds=tuple(kinds) or ("-",), tag_id=tag_picker("tl_tag", cols[3]))
    items, total = timeline_items(**query)
    if code:
        st.query_params["period"] = code
    if not items:
        st.info(tr("timeline.empty"))
    else:
        st.caption(tr("timeline.count", n=total) + " · " + tr("timeline.legend_hint"))
        if total > len(items):
            st.warning(tr("timeline.truncated", shown=len(items), total=total))
        event = st.plotly_chart(timeline_chart(current, by=by, **query), on_select="rerun", selection_mode="points",
                                key="timeline_chart", config={"displaylogo": False})
        open_clicked(event)
        open_item(items, kind_labels)
