"""The half-year report's text on screen: generated from the records, edited, kept as named drafts, re-opened,
issued and downloaded (the rules, roles included, are crm.documents.report.drafts').

Per period and language the page keeps the text being edited (`rep-<code>_<lang>-text`) and where it came from
(`-src`: the generated text or a saved draft, and the text as last saved); the text comes back after the user
looked at another period, language or page (`-copy`). Edits not saved are "unsaved":
regenerating or opening another draft asks first, and the browser asks before a reload (crm.ui.form_drafts.
leave_guard). An issued version opens read-only, with the figures it was built from.
"""

import logging
import uuid
from datetime import UTC, datetime

import streamlit as st

from crm.documents.exports import MIME
from crm.documents.fonts import NoCjkFont, find_cjk_font
from crm.documents.report.data import report_file, report_text, report_title, signing_photos
from crm.documents.report.drafts import (
    ReportDraft,
    delete_report_draft,
    issue_report_draft,
    may_change,
    report_counts,
    report_draft,
    report_drafts,
    save_report_draft,
)
from crm.errors import LiaisonError, ValidationFailed
from crm.i18n import capitalise
from crm.periods import Period
from crm.ui.form_drafts import leave_guard
from crm.ui.shell import actor, lang, plain, show_error, tr
from crm.ui.timefmt import local_time

log = logging.getLogger("liaison")
CONFIRM = "_report_confirm"  # {"pk", "action": regenerate | open | delete | issue, "draft", "name"} while asked


def _keys(pk: str) -> tuple[str, str, str, str]:
    return f"rep-{pk}-text", f"rep-{pk}-src", f"rep-{pk}-name", f"rep-{pk}-msg"


def _default_name(period: Period) -> str:
    clock = local_time(datetime.now(UTC), lang())[-5:]
    return tr("report.draft_name", period=capitalise(period.label(lang())), time=clock)


def _start(pk: str, period: Period, generated: str, counts: dict) -> None:
    """The generated text, no draft open (first visit, or regenerated)."""
    text, src, name, msg = _keys(pk)
    st.session_state[text] = generated
    st.session_state[src] = {"draft": None, "saved": generated, "generated": generated, "counts": counts,
                             "issued": None, "author": "", "author_id": None, "name": "", "at": None}
    st.session_state[name] = _default_name(period)
    st.session_state.pop(msg, None)


def _unsaved(pk: str) -> bool:
    text, src, _, _ = _keys(pk)
    return st.session_state.get(text) != (st.session_state.get(src) or {}).get("saved")


def _failed(pk: str, exc: Exception) -> None:
    """A refused or failed action is said on the page (a callback's exception would be a traceback)."""
    if isinstance(exc, ValidationFailed):
        st.session_state[_keys(pk)[3]] = exc.field_messages(lang())
    elif isinstance(exc, LiaisonError):
        st.session_state[_keys(pk)[3]] = {"": exc.message(lang())}
    else:
        code = uuid.uuid4().hex[:8]
        log.error("report draft action failed %s: %r", code, exc)
        st.session_state[_keys(pk)[3]] = {"": tr("app.unexpected_error", code=code)}


def _opened(pk: str, draft: ReportDraft) -> None:
    text, src, name, msg = _keys(pk)
    st.session_state[text] = draft.text
    st.session_state[src] = {"draft": draft.id, "saved": draft.text, "generated": st.session_state[src]["generated"],
                             "counts": draft.counts, "issued": draft.issued_at, "issued_by": draft.issued_by,
                             "author": draft.username, "author_id": draft.user_id, "name": draft.name,
                             "at": draft.saved_at}
    st.session_state[name] = draft.name
    st.session_state.pop(msg, None)


# --- actions (button callbacks: they run before the page is drawn again) ------------------------------------------

def _do(pk: str, action: str, period: Period, generated: str, counts: dict, draft_id: int | None = None) -> None:
    st.session_state.pop(CONFIRM, None)
    try:
        if action == "regenerate":
            _start(pk, period, generated, counts)
        elif action == "open" and draft_id is not None:
            _opened(pk, report_draft(actor(), draft_id))
        elif action == "delete" and draft_id is not None:
            delete_report_draft(actor(), draft_id)
            src = st.session_state[_keys(pk)[1]]
            if src["draft"] == draft_id:  # the open one: its text stays on screen, as unsaved work
                src.update({"draft": None, "saved": src["generated"], "name": "", "author": "", "author_id": None})
            st.session_state[_keys(pk)[3]] = {"ok": tr("report.draft_deleted")}
        elif action == "issue" and draft_id is not None:
            _opened(pk, issue_report_draft(actor(), draft_id))
            st.session_state[_keys(pk)[3]] = {"ok": tr("report.issued_done")}
    except Exception as exc:  # noqa: BLE001 - said on the page
        _failed(pk, exc)


def _ask(pk: str, action: str, period: Period, generated: str, counts: dict, draft_id: int | None = None,
         name: str = "") -> None:
    """Regenerating or opening a draft over unsaved edits, deleting and issuing are asked about first."""
    if action in ("regenerate", "open") and not _unsaved(pk):
        _do(pk, action, period, generated, counts, draft_id)
        return
    st.session_state[CONFIRM] = {"pk": pk, "action": action, "draft": draft_id, "name": name}


def _save(pk: str, period: Period, as_new: bool) -> None:
    text, src, name, msg = _keys(pk)
    source = st.session_state[src]
    try:
        draft_id = save_report_draft(actor(), period, lang(), st.session_state.get(name) or "",
                                     st.session_state.get(text) or "", counts=source["counts"],
                                     draft_id=None if as_new else source["draft"])
        _opened(pk, report_draft(actor(), draft_id))
    except Exception as exc:  # noqa: BLE001 - said on the page
        _failed(pk, exc)
        return
    st.session_state[msg] = {"ok": tr("report.draft_saved", name=plain(st.session_state[name]))}


def _close_confirm() -> None:
    st.session_state.pop(CONFIRM, None)


@st.dialog(" ", on_dismiss=_close_confirm)  # the title is fixed at import: the text says what is asked
def _confirm(period: Period, generated: str, counts: dict) -> None:
    asked = st.session_state.get(CONFIRM) or {}
    action, name = asked.get("action", ""), plain(asked.get("name", ""))
    st.markdown(f"**{tr(f'report.confirm_{action}_title', name=name)}**")
    st.write(tr(f"report.confirm_{action}", name=name))
    if action == "issue":
        src = st.session_state.get(_keys(asked["pk"])[1]) or {}
        changed = [k for k, v in (src.get("counts") or {}).items() if counts.get(k) != v]
        if changed:
            st.warning(tr("report.counts_changed", figures=", ".join(tr(f"dash.metric.{k}") for k in changed)))
    c1, c2 = st.columns(2)
    if c1.button(tr(f"report.confirm_{action}_yes"), key="report-confirm-yes", type="primary",
                 on_click=_do, args=(asked.get("pk", ""), action, period, generated, counts, asked.get("draft"))):
        st.rerun()
    if c2.button(tr("ui.cancel"), key="report-confirm-no", on_click=_close_confirm):
        st.rerun()


# --- the screen -----------------------------------------------------------------------------------------------------

def _source_line(src: dict) -> None:
    if src["draft"] is None:
        st.caption(tr("report.from_records"))
    elif src["issued"]:
        st.success(tr("report.issued_line", name=plain(src["name"]), who=plain(src.get("issued_by", "")),
                      at=local_time(src["issued"], lang())), icon=":material/verified:")
    else:
        st.info(tr("report.draft_line", name=plain(src["name"]), who=plain(src["author"]),
                   at=local_time(src["at"], lang())), icon=":material/edit_document:")


def _counts_table(counts: dict, now: dict) -> None:
    st.markdown(f"**{tr('report.counts_title')}**")
    st.dataframe([{tr("report.figure"): tr(f"dash.metric.{k}"), tr("report.figure_issued"): v,
                   tr("report.figure_now"): now.get(k)} for k, v in counts.items()], hide_index=True, width="stretch",
                 height="content")


def _save_controls(pk: str, period: Period, src: dict) -> None:
    _, _, name, _ = _keys(pk)
    me = actor()
    row = st.container(horizontal=True, vertical_alignment="bottom")
    if name not in st.session_state:  # dropped while another period or page was shown
        st.session_state[name] = src["name"] or _default_name(period)
    row.text_input(tr("report.draft_name_label"), key=name, max_chars=120, width=420)
    own = src["draft"] is not None and not src["issued"] and (src["author_id"] == me.id or me.is_admin)
    if own:
        row.button(tr("report.save_changes"), key=f"rep-{pk}-save", type="primary", icon=":material/save:",
                   on_click=_save, args=(pk, period, False), disabled=not _unsaved(pk) and
                   st.session_state.get(name) == src["name"])
    row.button(tr("report.save_new"), key=f"rep-{pk}-save-new", type="secondary" if own else "primary",
               icon=":material/note_add:", on_click=_save, args=(pk, period, True))


def _messages(pk: str) -> None:
    """What the last action said: a field's problem named by its label, or that it was done."""
    problems = st.session_state.get(_keys(pk)[3]) or {}  # until the next action
    for field in ("name", "text", "period", "lang", ""):
        if field in problems:
            label = tr("report.draft_name_label") if field == "name" else tr("report.text") if field == "text" else ""
            st.error(f"{label}: {plain(problems[field])}" if label else plain(problems[field]), icon=":material/error:")
    if "ok" in problems and not _unsaved(pk):  # "saved" is true until the text is edited again
        st.success(problems["ok"], icon=":material/check_circle:")


def _drafts_list(pk: str, period: Period, generated: str, counts: dict, drafts: list[ReportDraft], src: dict) -> None:
    st.subheader(tr("report.drafts_title"))
    if not drafts:
        st.caption(tr("report.drafts_none"))
        return
    me = actor()
    for draft in drafts:
        line = st.container(horizontal=True, vertical_alignment="center", gap="small", key=f"rep-{pk}-row{draft.id}")
        state = tr("report.state_issued", who=plain(draft.issued_by), at=local_time(draft.issued_at, lang())) \
            if draft.issued else tr("report.state_draft")
        mark = f" · *{tr('report.state_open')}*" if src["draft"] == draft.id else ""
        line.markdown(f"**{plain(draft.name)}** · {plain(draft.username)} · {local_time(draft.saved_at, lang())} · "
                      f"{state}{mark}", width="stretch")
        line.button(tr("report.open"), key=f"rep-{pk}-open-{draft.id}", icon=":material/file_open:",
                    on_click=_ask, args=(pk, "open", period, generated, counts, draft.id, draft.name))
        if may_change(me, draft):
            line.button(tr("ui.delete"), key=f"rep-{pk}-del-{draft.id}", icon=":material/delete:", type="tertiary",
                        on_click=_ask, args=(pk, "delete", period, generated, counts, draft.id, draft.name))


def _downloads(period: Period, text: str) -> None:
    current = lang()
    title = report_title(period, current)
    stem = f"report-{period.label_code.replace('..', '_')}-{current}"
    with_photos = st.checkbox(tr("report.with_photos"), key="report_photos")
    dl = st.container(horizontal=True)  # one block for the three buttons; files are made when clicked
    dl.download_button(tr("report.download_docx"), data=lambda: report_file(
        title, text, current, "docx", signing_photos(period, current) if with_photos else None),
                       file_name=f"{stem}.docx", mime=MIME["docx"], key="report_dl_docx", on_click="ignore",
                       width="stretch")
    try:
        find_cjk_font()
        dl.download_button(tr("report.download_pdf"), data=lambda: report_file(title, text, current, "pdf"),
                           file_name=f"{stem}.pdf", mime=MIME["pdf"], key="report_dl_pdf", on_click="ignore",
                           width="stretch")
    except NoCjkFont as exc:
        dl.warning(plain(exc.message(current)))
    dl.download_button(tr("report.download_txt"), data=lambda: text.encode("utf-8"), file_name=f"{stem}.txt",
                       mime="text/plain", key="report_dl_txt", on_click="ignore", width="stretch")


def report_editor(period: Period, current: str) -> None:
    """The text of `period`'s report in `current`, its drafts, and what the user's role may do with them."""
    me = actor()
    pk = f"{period.label_code}_{current}"
    text_key, src_key, _, _ = _keys(pk)
    generated, counts = report_text(period, current), report_counts(period)
    src = st.session_state.get(src_key)
    if src is None or (src["generated"] != generated and src["draft"] is None and not _unsaved(pk)):
        _start(pk, period, generated, counts)  # first visit, or the records changed under an untouched text
        src = st.session_state[src_key]
    _source_line(src)
    # Notes that come and go sit in fixed places (st.empty): were they inserted, every widget below them would be
    # drawn anew in the browser, and typing not yet applied in the name box would be lost.
    stale = src["generated"] != generated if src["draft"] is None else src["counts"] != counts
    notice = st.empty()
    if stale and not src["issued"]:
        notice.warning(tr("report.records_changed"), icon=":material/update:")
    if src["issued"]:
        text = src["saved"]
        st.text_area(tr("report.text_issued"), value=text, height=520, disabled=True, key=f"rep-{pk}-issued-{src['draft']}")
    else:
        if text_key not in st.session_state:  # Streamlit dropped the box while another period or page was shown
            st.session_state[text_key] = st.session_state.get(f"rep-{pk}-copy", src["saved"])
        text = st.text_area(tr("report.text"), key=text_key, height=520) or ""
        st.session_state[f"rep-{pk}-copy"] = text
        edited = st.empty()
        if text != generated and _unsaved(pk):
            edited.info(tr("report.edited_unsaved") if me.can_write else tr("report.edited"), icon=":material/edit:")
    st.button(tr("report.regenerate"), key=f"rep-{pk}-regen", icon=":material/refresh:",
              on_click=_ask, args=(pk, "regenerate", period, generated, counts))
    if me.can_write and not src["issued"]:
        _save_controls(pk, period, src)
        if src["draft"] is not None:
            if _unsaved(pk):
                st.caption(tr("report.save_before_issue"))
            else:
                st.button(tr("report.issue"), key=f"rep-{pk}-issue", icon=":material/verified:",
                          on_click=_ask, args=(pk, "issue", period, generated, counts, src["draft"], src["name"]))
    _messages(pk)
    _downloads(period, text)
    if src["issued"]:
        _counts_table(src["counts"], counts)
    try:
        drafts = report_drafts(me, period, current)
    except LiaisonError as exc:
        show_error(exc)
        drafts = []
    _drafts_list(pk, period, generated, counts, drafts, src)
    if me.can_write:
        leave_guard(_unsaved(pk) and not src["issued"])
    asked = st.session_state.get(CONFIRM)
    if asked and asked.get("pk") == pk:
        _confirm(period, generated, counts)
