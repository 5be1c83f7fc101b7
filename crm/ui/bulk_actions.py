"""What staff can do with the rows selected in a list, each action one audited unit they can undo at once
(crm.store.bulk): change the status (with a reason), add or remove tags, assign to a colleague, export, delete
(after a confirmation). Leadership sees none of it."""

import importlib.util

import streamlit as st

from crm.models.kinds import get_kind
from crm.store import bulk, labels
from crm.ui.shell import actor, guard, lang, tr
from crm.ui.tags_view import tag_form

LAST = "liaison_last_bulk"  # session state: {kind: (batch id, message)} of the last bulk action, for its undo
ACTIONS = ("status", "tags", "owner", "export", "delete")


def _done(kind_name: str, batch_id: str, n: int, action: str) -> None:
    st.session_state[LAST] = {**st.session_state.get(LAST, {}), kind_name: (batch_id, action, n)}
    st.rerun()


def _status(kind_name: str, selection: list) -> None:
    kind = get_kind(kind_name)
    cols = st.columns([2, 3, 2])
    names = {s: tr(f"status.{s}") for s in kind.statuses}
    status = cols[0].selectbox(tr("list.status"), kind.statuses, key=f"{kind_name}_bulk_status",
                               format_func=names.__getitem__)
    reason = cols[1].text_input(tr("rec.reason"), key=f"{kind_name}_bulk_reason", max_chars=2000)
    new_start = cols[2].date_input(tr("bulk.new_date"), value=None, key=f"{kind_name}_bulk_date",
                                   disabled=status != "postponed")
    if st.button(tr("bulk.apply", n=len(selection)), key=f"{kind_name}_bulk_status_go", type="primary"):
        with guard():
            batch = bulk.change_status(actor(), kind_name, selection, status, reason=reason,
                                       new_start=new_start if status == "postponed" else None)
            _done(kind_name, batch, len(selection), "status")


def _tags(kind_name: str, selection: list) -> None:
    tags = {tag["id"]: labels.tag_label(tag, lang()) for tag in labels.all_tags()}
    with st.popover(tr("tags.add"), icon=":material/new_label:"):
        tag_form(f"{kind_name}_new_tag")
    if not tags:
        return
    cols = st.columns(2)
    add = cols[0].multiselect(tr("bulk.tags_add"), list(tags), format_func=tags.__getitem__, key=f"{kind_name}_bulk_add",
                                 placeholder=tr("list.choose"))
    remove = cols[1].multiselect(tr("bulk.tags_remove"), list(tags), format_func=tags.__getitem__,
                                 key=f"{kind_name}_bulk_remove", placeholder=tr("list.choose"))
    if st.button(tr("bulk.apply", n=len(selection)), key=f"{kind_name}_bulk_tags_go", type="primary"):
        with guard():
            _done(kind_name, bulk.change_tags(actor(), kind_name, selection, add=add, remove=remove),
                  len(selection), "tags")


def _owner(kind_name: str, selection: list) -> None:
    people = {0: tr("list.nobody"), **labels.colleagues()}
    chosen = st.selectbox(tr("list.owner"), list(people), format_func=people.__getitem__, key=f"{kind_name}_bulk_owner",
                          index=list(people).index(actor().id) if actor().id in people else 0)
    if st.button(tr("bulk.apply", n=len(selection)), key=f"{kind_name}_bulk_owner_go", type="primary"):
        with guard():
            _done(kind_name, bulk.assign(actor(), kind_name, selection, chosen or None), len(selection), "owner")


def _export(kind_name: str, selection: list) -> None:
    if importlib.util.find_spec("crm.documents.exports") is None:
        return
    from crm.documents import exports

    ids = tuple(sorted(i for i, _ in selection))
    row = st.container(horizontal=True)
    for fmt in exports.LIST_FORMATS:
        def data(fmt: str = fmt) -> bytes:
            return exports.list_export(kind_name, fmt, lang(), ids=ids)

        row.download_button(tr("rec.export_as", fmt=fmt.upper()), data=data, mime=exports.MIME[fmt],
                            file_name=exports.filename(kind_name, fmt, lang(), f"selection-{len(ids)}"),
                            key=f"{kind_name}_bulk_export_{fmt}", icon=":material/download:", on_click="ignore")


def _delete(kind_name: str, selection: list) -> None:
    sure = st.checkbox(tr("bulk.delete_confirm", n=len(selection)), key=f"{kind_name}_bulk_sure")
    if st.button(tr("bulk.delete", n=len(selection)), key=f"{kind_name}_bulk_delete_go", disabled=not sure,
                 icon=":material/delete:"):
        with guard():
            _done(kind_name, bulk.delete(actor(), kind_name, selection), len(selection), "delete")


def last_action(kind_name: str) -> None:
    """What the last bulk action did, with its undo."""
    found = st.session_state.get(LAST, {}).get(kind_name)
    if not found:
        return
    batch_id, action, n = found
    box = st.container(horizontal=True, vertical_alignment="center", key=f"{kind_name}_bulk_done")
    box.success(tr(f"bulk.done_{action}", n=n), icon=":material/check:")
    if actor().can_write and box.button(tr("bulk.undo"), key=f"{kind_name}_bulk_undo", icon=":material/undo:"):
        with guard():
            count = bulk.undo(actor(), batch_id)
            st.session_state[LAST] = {k: v for k, v in st.session_state.get(LAST, {}).items() if k != kind_name}
            st.toast(tr("bulk.undone", n=count))
            st.rerun()


def bulk_panel(kind_name: str, selection: list[tuple[int, int]]) -> None:
    """The actions on `selection` ((id, version) of each selected row), for those who may write."""
    if not actor().can_write or not selection:
        return
    kind = get_kind(kind_name)
    actions = [a for a in ACTIONS if a != "status" or kind.statuses]
    with st.container(border=True, key=f"{kind_name}_bulk"):
        head = st.columns([2, 3])
        head[0].markdown(tr("bulk.selected", n=len(selection)))
        names = {a: tr(f"bulk.action_{a}") for a in actions}
        action = head[1].selectbox(tr("bulk.action"), actions, key=f"{kind_name}_bulk_action",
                                   format_func=names.__getitem__, label_visibility="collapsed")
        {"status": _status, "tags": _tags, "owner": _owner, "export": _export, "delete": _delete}[action](
            kind_name, selection)
