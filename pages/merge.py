"""Merge: two records of the same city, person or organisation become one; links move; undoable."""

import pandas as pd
import streamlit as st

from crm.geo.countries import country_name
from crm.i18n import capitalise
from crm.records import merge
from crm.ui.duplicates_view import worklist
from crm.ui.pickers import ref_picker
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.ui.shown import shown_before
from crm.ui.timefmt import local_time

st.title(tr("page.merge"))
who = actor()
if not who.can_write:
    st.info(tr("import.read_only"))
    st.stop()
st.caption(tr("merge.intro"))


def shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "country_code":
        return f"{country_name(value, lang())} ({value})"
    return str(value)


def field_choices(kind: str, rows: list[dict]) -> dict[str, str]:
    """A choice per differing field (A or B); equal fields shown in a table."""
    choices = merge.default_choices(rows)
    differing = [r for r in rows if r["differs"]]
    same = [r for r in rows if not r["differs"] and r["keep"] not in (None, "")]
    for r in differing:
        options = {"keep": f"A: {plain(shown(r['field'], r['keep']))}",  # a radio's options are Markdown
                   "remove": f"B: {plain(shown(r['field'], r['remove']))}"}
        key = f"merge_{kind}_field_{r['field']}"
        if st.session_state.get(key) not in options:
            st.session_state[key] = choices[r["field"]]
        choices[r["field"]] = st.radio(tr(f"import.field.{r['field']}"), list(options), key=key, horizontal=True,
                                       format_func=options.__getitem__)
    if same:
        st.dataframe(pd.DataFrame([{tr("merge.field"): tr(f"import.field.{r['field']}"),
                                    "A = B": shown(r["field"], r["keep"])} for r in same]),
                     hide_index=True, width="stretch")
    return choices


if st.session_state.get("merge_reset"):  # clear the merged-away pick before its widget is drawn
    st.session_state[st.session_state.pop("merge_reset")] = None
with guard():
    kinds = {k: tr(f"kind.{k}") for k in merge.MERGE_KINDS}
    kind = st.radio(tr("merge.pick_kind"), list(kinds), format_func=kinds.__getitem__, horizontal=True,
                    key="merge_kind")
    worklist(kind)
    st.subheader(tr("merge.pair"))
    left, right = st.columns(2)
    with left:
        keep = ref_picker(kind, f"merge_{kind}_a", tr("merge.keep") + " (A)", add=False)
    with right:
        remove = ref_picker(kind, f"merge_{kind}_b", tr("merge.remove") + " (B)", add=False)
    if keep and remove and keep == remove:
        st.warning(tr("merge.same"))
    elif keep and remove:
        compared = merge.comparison(kind, keep, remove)
        rows = compared.rows
        versions = shown_before(f"merge:{kind}:{keep}:{remove}", (compared.keep_version, compared.remove_version))
        choices = field_choices(kind, rows)
        st.info(tr("merge.links", n=merge.link_count(kind, remove)))
        if st.button(tr("merge.do"), type="primary", icon=":material/merge:", key="merge_do"):
            result = merge.merge(who, kind, keep, remove, choices, versions=versions)
            st.session_state["merge_reset"] = f"merge_{kind}_b"
            st.session_state["merge_message"] = tr("merge.done", n=result.moved)
            st.rerun()
    if st.session_state.get("merge_message"):
        st.success(st.session_state.pop("merge_message"))

    recent = merge.recent_merges()
    if recent:
        st.subheader(tr("merge.history"))
        st.dataframe(pd.DataFrame([{tr("import.kind"): capitalise(tr(f"kind.{b['kind']}")),
                                    tr("import.col.at"): local_time(b["at"], lang()),
                                    tr("import.col.user"): b["username"], "A": (b["counts"] or {}).get("kept"),
                                    "B": (b["counts"] or {}).get("removed"),
                                    capitalise(tr("import.undone_at")): local_time(b["undone_at"], lang())}
                                   for b in recent]),
                     hide_index=True, width="stretch")
        undoable = {b["id"]: f"{tr('kind.' + b['kind'])} #{(b['counts'] or {}).get('removed')} → "
                             f"#{(b['counts'] or {}).get('kept')} · {local_time(b['at'], lang())}"
                    for b in recent if b["undone_at"] is None}
        if undoable:
            pick = st.selectbox(tr("merge.undo"), list(undoable), format_func=undoable.__getitem__, key="merge_undo_pick")
            if st.button(tr("merge.undo"), icon=":material/undo:", key="merge_undo"):
                merge.undo_merge(who, pick)
                st.success(tr("merge.undone"))
