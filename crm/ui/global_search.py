"""The global search box in the sidebar of every page: records of every kind by any name, grouped by kind, best
matches first; choosing one opens its page in the same tab (crm.records.global_search)."""

import streamlit as st

from crm.records.global_search import search_all
from crm.ui.keyboard import SEARCH_BOX_KEY, search_shortcut
from crm.ui.shell import guard, lang, plain, tr


def global_search() -> None:
    """Draw the box and, under it, what it finds (in the sidebar)."""
    with st.sidebar:
        q = st.text_input(tr("search.label"), key=SEARCH_BOX_KEY, max_chars=100, placeholder=tr("search.placeholder"),
                          icon=":material/search:")
        search_shortcut()
        if not q.strip():
            return
        with guard():
            found = search_all(q, lang())
            if not found:
                st.caption(tr("search.none"))
                return
            for kind, hits in found.items():
                st.caption(plain(tr(f"page.{kind}")))
                for hit in hits:
                    st.page_link(f"pages/{kind}.py", label=plain(hit.label), query_params={"id": str(hit.record_id)},
                                 icon=":material/arrow_forward:")
