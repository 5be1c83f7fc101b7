"""A record's tags and owner on its page: shown to everyone under the title, changed by a writer in a popover
(crm.store.labels.set_labels: one transaction against the version shown, each change audited)."""

import streamlit as st

from crm.errors import StaleRecord
from crm.store import labels
from crm.ui.quick_edit import answer_save
from crm.ui.shell import actor, guard, lang, plain, show_error, tr
from crm.ui.tags_view import tag_badges


def labels_line(kind: str, record: dict) -> None:
    """The record's tags as badges and its owner, when it has either."""
    record_id = record["id"]
    tag_ids = labels.tags_of(kind, [record_id]).get(record_id, [])
    owner = labels.owners_of(kind, [record_id]).get(record_id)
    tags = [t for t in labels.all_tags() if t["id"] in tag_ids]
    parts = [tag_badges(tags)] if tags else []
    if owner is not None:
        parts.append(tr("labels.owner_is", name=plain(labels.colleagues().get(owner, "?"))))
    if parts:
        st.markdown(" · ".join(parts))


def labels_panel(kind: str, record: dict, shown: int, on_saved) -> None:
    """The writer's popover: tags (multi-choice) and owner (a colleague or nobody), saved together."""
    record_id = record["id"]
    key = f"lb-{kind}-{record_id}"
    tags = {t["id"]: t for t in labels.all_tags()}
    people = labels.colleagues()
    now_tags = labels.tags_of(kind, [record_id]).get(record_id, [])
    now_owner = labels.owners_of(kind, [record_id]).get(record_id)
    if st.session_state.get(f"{key}-seeded") != record["version"] and not st.session_state.get(f"{key}-save"):
        st.session_state[f"{key}-tags"] = [t for t in now_tags if t in tags]
        st.session_state[f"{key}-owner"] = now_owner if now_owner in people else None
        st.session_state[f"{key}-seeded"] = record["version"]
    with st.popover(tr("labels.title"), icon=":material/sell:"):
        names = {t: labels.tag_label(tag, lang()) for t, tag in tags.items()}  # a lookup, not a call at format time
        chosen = st.multiselect(tr("tags.title"), list(tags), key=f"{key}-tags", format_func=names.__getitem__,
                                placeholder=tr("labels.no_tags"))
        owners = {None: tr("labels.nobody"), **people}
        owner = st.selectbox(tr("list.owner"), list(owners), key=f"{key}-owner", format_func=owners.__getitem__)
        if st.button(tr("labels.save"), key=f"{key}-save", icon=":material/save:"):
            with guard():
                try:
                    version = labels.set_labels(actor(), kind, record_id, chosen, owner,
                                                st.session_state.get(f"{key}-seeded", shown))
                except StaleRecord as exc:
                    show_error(exc)
                    return
                answer_save(version, on_saved)

