"""Tags managed where they are used: a new tag from a list's bulk action (staff), and every tag's labels, colour and
removal on the settings page (administrators)."""

import streamlit as st

from crm.store import labels
from crm.ui.shell import actor, guard, lang, plain, tr


def _colours() -> dict[str, str]:
    return {c: tr(f"tags.colour.{c}") for c in labels.COLOURS}


def tag_badges(tags: list[dict]) -> str:
    """The tags as coloured Markdown badges (labels made plain)."""
    return " ".join(f":{t['colour']}-badge[{plain(labels.tag_label(t, lang()))}]" for t in tags)


def tag_form(key: str, tag: dict | None = None) -> None:
    """Labels in both languages and a colour; saves a new tag, or `tag`."""
    colours = _colours()
    with st.form(key, border=False, enter_to_submit=False):
        cols = st.columns([3, 3, 2])
        en = cols[0].text_input(tr("tags.label_en"), value=(tag or {}).get("label_en", ""), max_chars=labels.MAX_LABEL)
        zh = cols[1].text_input(tr("tags.label_zh"), value=(tag or {}).get("label_zh", ""), max_chars=labels.MAX_LABEL)
        current = (tag or {}).get("colour", labels.COLOURS[0])
        colour = cols[2].selectbox(tr("tags.colour"), list(colours), format_func=colours.__getitem__,
                                   index=list(colours).index(current) if current in colours else 0)
        if st.form_submit_button(tr("tags.save"), type="primary"):
            with guard():
                labels.save_tag(actor(), en, zh, colour, tag_id=(tag or {}).get("id"))
                st.toast(tr("tags.saved"))
                st.rerun()


def tags_manager() -> None:
    """Every tag (as badges), one chosen to change or delete, or a new one."""
    st.subheader(tr("tags.title"))
    tags = labels.all_tags()
    if tags:
        st.markdown(tag_badges(tags))
    names = {0: tr("tags.add"), **{t["id"]: labels.tag_label(t, lang()) for t in tags}}
    chosen = st.selectbox(tr("tags.title"), list(names), format_func=names.__getitem__, key="tags_chosen",
                          label_visibility="collapsed")
    tag = next((t for t in tags if t["id"] == chosen), None)
    tag_form(f"tag_form_{chosen}", tag)
    if tag is not None and st.button(tr("tags.delete"), key=f"tag_delete_{chosen}", icon=":material/delete:"):
        with guard():
            labels.delete_tag(actor(), tag["id"])
            st.session_state.pop("tags_chosen", None)
            st.toast(tr("tags.deleted"))
            st.rerun()


def tag_picker(key: str, container=None) -> int | None:
    """A "tag" filter (only when there are tags): the id chosen, None for all."""
    tags = labels.all_tags()
    if not tags:
        return None
    names = {0: tr("ui.all"), **{t["id"]: labels.tag_label(t, lang()) for t in tags}}
    chosen = (container or st).selectbox(tr("list.tags"), list(names), format_func=names.__getitem__, key=key)
    return chosen or None
