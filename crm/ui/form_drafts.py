"""No lost work in record forms: a draft on the server, offered back, and a warning before the page is left.

At the end of every run that draws a form, what the user changed in it (against the record as the opening
started, or the empty create form) is kept as the user's draft on the server (crm.records.drafts): fields, child
rows, a city's place. A fresh opening of a form with a draft offers it back ("restore / discard"); restoring puts
back only the fields the user had changed, so a record changed since keeps the other changes. A save deletes it.

Leaving: a reload, closing the tab or typing another address asks the browser's "leave this page?" question while
a form has unsaved changes or a box holds typing not yet applied (a `beforeunload` listener, `leave_guard`); a
click on a link inside the app (the sidebar, another record) asks "leave this form?" in the user's language, and
staying cancels the click. Either way the draft keeps the work and the sidebar says so (`left_behind`, drawn
after the page). Buttons that move elsewhere (a form's "back to the list") are not asked about: the draft keeps it.
"""

import html
import logging
import uuid
from datetime import datetime

import streamlit as st

from crm.errors import LiaisonError
from crm.records.drafts import discard_form_draft, form_draft, save_form_draft
from crm.records.formspec import FormSpec, spec_for
from crm.records.names import display_name
from crm.store.prepare import jsonable
from crm.ui import child_rows
from crm.ui.fields import field_value, restore_field
from crm.ui.shell import actor, lang, plain, this_run, tr
from crm.ui.timefmt import local_time

log = logging.getLogger("liaison")
DIRTY = "_forms_with_drafts"  # slot ("visits:new", "visits:12") -> what the sidebar says about a form left behind
DRAWN = "_liaison_forms_drawn"  # the slots whose form this run drew (crm.ui.shell.this_run)
FLASH = "draft-flash"  # under the opening's prefix: what restoring or discarding did

_GUARD = """<div class="liaison-leave-guard"{mark} data-ask="{ask}"></div>
<script>
(function () {{
  var w = window;
  if (w.__liaisonLeaveGuard) return;
  w.__liaisonLeaveGuard = true;
  function unsaved() {{
    var d = w.document;
    return d.querySelector(".liaison-leave-guard[data-unsaved]") ||
      d.querySelector('[class*="st-key-f-"] [data-testid="InputInstructions"]') ||
      d.querySelector('[class*="st-key-rep-"] [data-testid="InputInstructions"]');
  }}
  w.addEventListener("beforeunload", function (event) {{
    if (!unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  }});
  w.document.addEventListener("click", function (event) {{
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link.target === "_blank" || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.origin !== w.location.origin || !unsaved()) return;
    var guard = w.document.querySelector(".liaison-leave-guard");
    if (!w.confirm(guard ? guard.getAttribute("data-ask") : "")) {{
      event.preventDefault();
      event.stopImmediatePropagation();
    }}
  }}, true);
}})();
</script>"""


def leave_guard(unsaved: bool) -> None:
    """Mark the page as holding unsaved work (or not): the browser then asks before a reload or closing the tab.
    Typing not yet applied in a form's box (Streamlit's "Press Enter to apply") counts as unsaved too."""
    st.html(_GUARD.format(mark=' data-unsaved="1"' if unsaved else "", ask=html.escape(tr("draft.leave_ask"), quote=True)),
            unsafe_allow_javascript=True)


def _slot(kind: str, record_id: int | None) -> str:
    return f"{kind}:{'new' if record_id is None else record_id}"


def _now(pfx: str, spec: FormSpec) -> dict:
    """The form's values as drawn, JSON-safe: every field, every collection's rows, a city's place."""
    place = {}
    if spec.kind == "cities":
        place = {name: st.session_state.get(f"{pfx}-{name}") for name in ("place", "lat", "lon")}
        place = {k: v for k, v in place.items() if v not in (None, "")}
    return {"fields": {f.name: jsonable(field_value(pfx, f)) for f in spec.fields()},
            "rows": {editor.key: [{k: jsonable(v) for k, v in row.items()} for row in child_rows.rows(pfx, editor)]
                     for editor in spec.children},
            "place": place}


def draft_data(pfx: str, spec: FormSpec) -> dict:
    """What the user changed in this opening, JSON-safe: {"fields": …, "rows": …, "place": …} ({} when nothing).

    Compared with the form as its first run drew it (`{pfx}-draft-base`), not with the stored record: a picker
    that shows its first choice ("planned") for an empty field is not a change the user made."""
    now = _now(pfx, spec)
    base = st.session_state.setdefault(f"{pfx}-draft-base", now)
    fields = {k: v for k, v in now["fields"].items() if v != base["fields"].get(k)}
    rows = {k: v for k, v in now["rows"].items() if v != base["rows"].get(k, [])}
    place = now["place"] if now["place"] != base["place"] else {}
    return {part: value for part, value in (("fields", fields), ("rows", rows), ("place", place)) if value}


def apply_draft(pfx: str, spec: FormSpec, data: dict) -> None:
    """Put a draft's changes in the opening's widget state (fields a form no longer has are left out)."""
    for name, value in (data.get("fields") or {}).items():
        f = spec.field(name)
        if f is not None:
            restore_field(pfx, f, value)
    for key, stored in (data.get("rows") or {}).items():
        editor = spec.child(key)
        if editor is not None and isinstance(stored, list):
            child_rows.restore_rows(pfx, editor, [row for row in stored if isinstance(row, dict)])
    for name, value in (data.get("place") or {}).items():
        if name in ("place", "lat", "lon"):
            st.session_state[f"{pfx}-{name}"] = value


def _failed(pfx: str, exc: Exception) -> None:
    """A draft that could not be read, kept or dropped is said under the form, never as a traceback."""
    if isinstance(exc, LiaisonError):
        st.session_state[f"{pfx}-draft-error"] = exc.message(lang())
    else:
        code = uuid.uuid4().hex[:8]
        log.error("draft %s failed: %r", code, exc)
        st.session_state[f"{pfx}-draft-error"] = tr("app.unexpected_error", code=code)


def _restore(kind: str, pfx: str, record_id: int | None) -> None:
    """Callback: the newest copy of the draft into the form."""
    st.session_state.pop(f"{pfx}-offer", None)
    try:
        found = form_draft(actor(), kind, record_id)
    except Exception as exc:  # noqa: BLE001 - said under the form
        _failed(pfx, exc)
        return
    if found is None:
        st.session_state[f"{pfx}-{FLASH}"] = tr("draft.gone")
        return
    apply_draft(pfx, spec_for(kind), found.data)
    st.session_state[f"{pfx}-draft"] = {"data": found.data, "at": found.saved_at}
    st.session_state[f"{pfx}-{FLASH}"] = tr("draft.restored")


def _discard(kind: str, pfx: str, record_id: int | None) -> None:
    """Callback: drop the draft; the form stays as the record is."""
    st.session_state.pop(f"{pfx}-offer", None)
    try:
        discard_form_draft(actor(), kind, record_id)
    except Exception as exc:  # noqa: BLE001 - said under the form
        _failed(pfx, exc)
        return
    st.session_state.get(DIRTY, {}).pop(_slot(kind, record_id), None)
    st.session_state[f"{pfx}-{FLASH}"] = tr("draft.discarded")


def offer(kind: str, pfx: str, record: dict | None, fresh: bool) -> None:
    """On a fresh opening, look for the user's draft of this form; while one is on offer, the box to restore or
    discard it (with the time it was kept, in office time)."""
    record_id = None if record is None else record["id"]
    this_run(DRAWN)[_slot(kind, record_id)] = True
    if fresh:
        try:
            found = form_draft(actor(), kind, record_id)
        except Exception as exc:  # noqa: BLE001 - said under the form
            _failed(pfx, exc)
            found = None
        if found is not None and not found.empty:
            changed = record is not None and found.base_version != record.get("version")
            st.session_state[f"{pfx}-offer"] = {"at": found.saved_at, "changed": changed}
    slot = st.empty()  # one fixed place for the offer or what became of it: the fields below never move (a field
    # drawn anew in the browser would lose typing not yet applied)
    if flash := st.session_state.pop(f"{pfx}-{FLASH}", None):
        slot.info(flash, icon=":material/history:")
    offered = st.session_state.get(f"{pfx}-offer")
    if not offered or flash:
        return
    with slot.container(border=True, key=f"{pfx}-draftbox"):
        st.warning(tr("draft.offer", at=local_time(offered["at"], lang())), icon=":material/history:")
        if offered["changed"]:
            st.caption(tr("draft.changed_since"))
        st.caption(tr("draft.offer_wait"))
        buttons = st.container(horizontal=True)
        buttons.button(tr("draft.restore"), key=f"{pfx}-draft-restore", type="primary", icon=":material/restore:",
                       on_click=_restore, args=(kind, pfx, record_id))
        buttons.button(tr("draft.discard"), key=f"{pfx}-draft-discard", icon=":material/delete_sweep:",
                       on_click=_discard, args=(kind, pfx, record_id))


def on_offer(pfx: str) -> datetime | None:
    """When the open form's draft (not restored or discarded yet) was kept; None when none is on offer."""
    offered = st.session_state.get(f"{pfx}-offer")
    return offered["at"] if offered else None


def keep(kind: str, spec: FormSpec, pfx: str, record: dict | None, version: int | None) -> None:
    """End of the form's run: keep what the user changed as the draft (or drop a draft the user undid), remember
    the form for the sidebar, and tell the browser whether leaving would lose anything."""
    record_id = None if record is None else record["id"]
    slot = _slot(kind, record_id)
    data = draft_data(pfx, spec)
    offered = st.session_state.get(f"{pfx}-offer")
    kept = st.session_state.get(f"{pfx}-draft")
    if offered is None:  # a draft on offer is never overwritten before the user answers
        try:
            if data and (kept is None or kept["data"] != data):
                at = save_form_draft(actor(), kind, record_id, data, base_version=version)
                kept = st.session_state[f"{pfx}-draft"] = {"data": data, "at": at}
            elif not data and kept is not None:
                discard_form_draft(actor(), kind, record_id)
                kept = st.session_state[f"{pfx}-draft"] = None
        except Exception as exc:  # noqa: BLE001 - said under the form
            _failed(pfx, exc)
    dirty = st.session_state.setdefault(DIRTY, {})
    if data and kept is not None and kept["data"] == data:
        label = tr("rec.new", kind=tr(f"kind.{kind}")) if record is None else display_name(kind, record, lang())
        dirty[slot] = {"kind": kind, "record_id": record_id, "label": label, "at": kept["at"]}
        st.caption(tr("draft.kept", at=local_time(kept["at"], lang())))
    else:
        dirty.pop(slot, None)
    if message := st.session_state.pop(f"{pfx}-draft-error", None):
        st.warning(tr("draft.not_kept", reason=plain(message)), icon=":material/warning:")
    pending = any(child_rows.pending_row(pfx, editor) for editor in spec.children)
    leave_guard(bool(data) or pending)


def forget(kind: str, record_id: int | None) -> None:
    """After a save (or "take theirs"): the form's draft is gone, on the server and in the sidebar."""
    st.session_state.get(DIRTY, {}).pop(_slot(kind, record_id), None)
    try:
        discard_form_draft(actor(), kind, record_id)
    except LiaisonError as exc:  # the record is saved: a draft left over is offered next time, nothing is lost
        log.warning("draft of %s %s not dropped: %s", kind, record_id, exc)


def left_behind() -> None:
    """In the sidebar, after the page: forms left with unsaved changes in this session (kept as drafts), each a
    link back to its form (where the draft is offered)."""
    left = [info for slot, info in (st.session_state.get(DIRTY) or {}).items() if slot not in this_run(DRAWN)]
    if not left:
        return
    with st.sidebar.container(border=True, key="left-drafts"):
        st.markdown(f"**{tr('draft.left_title')}**")
        st.caption(tr("draft.left_help"))
        for info in left:
            query = {"new": "1"} if info["record_id"] is None else {"id": str(info["record_id"])}
            st.page_link(f"pages/{info['kind']}.py", label=plain(info["label"]), query_params=query,
                         icon=":material/edit_note:")
            st.caption(tr("draft.left_at", kind=tr(f"kind.{info['kind']}"), at=local_time(info["at"], lang())))
