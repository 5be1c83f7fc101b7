"""The merge page's worklist of likely duplicates (crm.records.duplicates): each pair with why it looks like one,
and a button that puts the pair in the merge pickers (A the older record, kept; B the other)."""

import streamlit as st

from crm.i18n import t
from crm.records.duplicates import Suggestion, suggestions
from crm.ui.pickers import link
from crm.ui.shell import guard, lang, plain, tr

SHOWN = 10


def _pick(kind: str, keep: int, remove: int) -> None:
    st.session_state[f"merge_{kind}_a"] = keep
    st.session_state[f"merge_{kind}_b"] = remove


def worklist(kind: str) -> None:
    """The kind's likely duplicates, best first (the first few; the rest behind "more")."""
    with guard():
        found = suggestions(kind, lang())
        st.subheader(tr("dup.title"))
        if not found:
            st.caption(tr("dup.none"))
            return
        st.caption(tr("dup.intro", kind=tr(f"kind.{kind}")))
        for item in found[:SHOWN]:
            _pair(kind, item)
        if len(found) > SHOWN:
            with st.expander(tr("dup.more", n=len(found) - SHOWN)):
                for item in found[SHOWN:]:
                    _pair(kind, item)


def _pair(kind: str, item: Suggestion) -> None:
    with st.container(border=True):
        left, right, go = st.columns([4, 4, 2], vertical_alignment="center")
        with left:
            link(kind, item.keep, f"A · {item.labels[0]}")
        with right:
            link(kind, item.remove, f"B · {item.labels[1]}")
        go.button(tr("dup.merge_these"), key=f"dup-{kind}-{item.keep}-{item.remove}", icon=":material/merge:",
                  on_click=_pick, args=(kind, item.keep, item.remove))
        reasons = " · ".join(t(key, lang(), **params) for key, params in item.reasons)
        st.caption(plain(f"{tr('dup.score', score=item.score)} · {reasons}"))
