"""audit page: who changed what, when, from what to what; put a record back to an earlier state (admin)."""

import streamlit as st

from crm.records import audit
from crm.ui import url_params
from crm.ui.frames import columns_table
from crm.ui.shell import actor, guard, lang, tr
from crm.ui.shown import shown_before
from crm.ui.timefmt import local_time

st.title(tr("page.audit"))
me = actor()
if not me.is_admin:
    st.warning(tr("err.forbidden"))
    st.stop()

choices = {"users": [], "kinds": [], "actions": []}
with guard():
    choices = audit.filter_choices()
url = st.query_params
everyone = {"": tr("ui.all")}
cols = st.columns(5)
user_labels = {**everyone, **{u: u for u in choices["users"]}}
kind_labels = {**everyone, **{k: tr(f"kind.{k}") if k != "users" and k != "settings" else tr(f"page.{k}")
                              for k in choices["kinds"]}}
action_labels = {**everyone, **{a: tr(f"audit.action.{a}") for a in choices["actions"]}}


def _pick(col, label: str, labels: dict, name: str) -> str:
    options = list(labels)
    current = url_params.choice(name, labels)
    return col.selectbox(label, options, index=options.index(current) if current in options else 0,
                         format_func=labels.__getitem__, key=f"audit_{name}")


user = _pick(cols[0], tr("audit.user"), user_labels, "user")
kind = _pick(cols[1], tr("audit.kind"), kind_labels, "kind")
action = _pick(cols[2], tr("audit.action"), action_labels, "action")
period_text = cols[3].text_input(tr("list.period"), value=url_params.text("period", max_len=40),
                                 placeholder="2020H1 / 2020-01-01..2020-06-30")
record_text = cols[4].text_input(tr("audit.record"), value=url_params.text("record", max_len=12),
                                 max_chars=12)
period = None
if period_text.strip():
    try:
        period = url_params.read_period(period_text)
    except url_params.BadParam:
        st.warning(tr("list.bad_period"))
try:
    record_id = url_params.read_id(record_text.strip(), "record") if record_text.strip() else None
except url_params.BadParam:
    record_id = None
    st.warning(tr("audit.bad_record"))
for name, value in (("user", user), ("kind", kind), ("action", action),
                    ("period", period_text.strip() if period else ""), ("record", str(record_id or ""))):
    if value:
        url[name] = value
    elif name in url:
        del url[name]

page_no = st.number_input(tr("audit.page"), min_value=1, value=1, step=1, key="audit_page")
result = None
with guard():
    result = audit.query(user=user or None, kind=kind or None, action=action or None, period=period,
                         record_id=record_id, page=int(page_no), lang=lang())
if result is None:
    st.stop()
st.caption(tr("audit.count", total=result.total, page=result.page, pages=result.pages))
if not result.rows:
    st.info(tr("audit.empty"))
    st.stop()
rows = result.rows
st.dataframe(columns_table({
    "#": [r["id"] for r in rows], tr("audit.when"): [local_time(r["at"], lang()) for r in rows],
    tr("audit.user"): [r["username"] for r in rows],
    tr("audit.action"): [action_labels.get(r["action"], r["action"]) for r in rows],
    tr("audit.kind"): [kind_labels.get(r["kind"], r["kind"]) for r in rows],
    tr("audit.record"): [r["record_id"] for r in rows], tr("audit.name"): [r["label"] for r in rows],
    tr("audit.changes"): [r["changes"] for r in rows], tr("audit.summary"): [r["summary"] for r in rows]}),
    hide_index=True, width="stretch")

labels = {r["id"]: f"#{r['id']} · {local_time(r['at'], lang())} · {r['username']} · "
          f"{action_labels.get(r['action'], r['action'])} · {r['label'] or r['record_id'] or ''}" for r in result.rows}
# No entry open by default (its before/after table is drawn only on demand); one record's history opens its newest.
chosen = st.selectbox(tr("audit.details"), list(labels), index=0 if record_id else None, format_func=labels.__getitem__,
                      placeholder=tr("audit.pick_entry"), key="audit_entry")
if chosen is None:
    st.stop()
with guard():
    entry = audit.get_entry(chosen)
    changes = audit.diff(entry["before"], entry["after"])
    if changes:
        st.dataframe([{tr("audit.field"): audit.field_label(c["field"], lang()), tr("audit.before"): c["before"],
                       tr("audit.after"): c["after"]} for c in changes], hide_index=True, width="stretch")
    else:
        st.caption(tr("audit.no_changes"))
    shown = shown_before(f"audit:{chosen}", entry["record_version"])  # the record's version the user saw
    if audit.can_undo(entry):
        label = tr("audit.restore_deleted") if entry["action"] == "delete" else (
            tr("audit.undo_create") if entry["before"] is None else tr("audit.restore_before"))
        if st.button(label, icon=":material/undo:", key="audit_undo"):
            audit.undo(me, chosen, shown)
            st.success(tr("audit.restored"))
            st.rerun()
