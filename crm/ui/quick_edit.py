"""The quick-edit row on a record's page: status (with its reason), dates and headcount, saved in place
(crm.records.quick_edit) without opening the whole form; a refused value is said beside its field."""

from datetime import date

import streamlit as st

from crm.errors import StaleRecord, ValidationFailed
from crm.models.kinds import get_kind
from crm.records.field_messages import named_messages
from crm.records.formspec import spec_for
from crm.records.quick_edit import quick_edit, quick_fields
from crm.ui.fields import MAX_DATE, MIN_DATE, date_format
from crm.ui.shell import actor, guard, lang, plain, show_error, tr

NAMES = {"reason": "status_reason"}  # change_status's names for the fields it refuses, as the form calls them


def _day(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def _seed(key: str, record: dict, fields) -> None:
    """Put the record's values in the row's widgets, and remember which version they came from."""
    state = st.session_state
    if "status" in record:
        state[f"{key}-status"] = record.get("status")
        state[f"{key}-reason"] = ""
    for f in fields:
        state[f"{key}-{f.name}"] = _day(record.get(f.name)) if f.widget == "date" else record.get(f.name)
    state[f"{key}-seeded"] = record["version"]
    state.pop(f"{key}-errors", None)


def quick_edit_panel(kind: str, record: dict, on_saved) -> None:
    """Draw the row for a writer; `on_saved()` forgets open edit forms. The row's widgets hold the version they
    were filled from: a save is checked against it (a change saved by someone else meanwhile is refused), and
    they are filled afresh when the record has changed (except in the run of the click, which they answer)."""
    statuses = get_kind(kind).statuses
    fields = quick_fields(kind)
    if not fields and not statuses:
        return
    key = f"qe-{kind}-{record['id']}"
    if st.session_state.get(f"{key}-seeded") != record["version"] and not st.session_state.get(f"{key}-save"):
        _seed(key, record, fields)
    shown = st.session_state[f"{key}-seeded"]
    errors = st.session_state.get(f"{key}-errors") or {}
    with st.popover(tr("quick.title"), icon=":material/edit:", key=f"{key}-open", on_change="rerun"), \
            st.container(key=key):
        cells = st.columns(2) if statuses else []  # a row for the status, a row for the dates and headcount
        status = None
        reason = ""
        if statuses:
            current = str(record.get("status") or statuses[0])
            choices = list(statuses) if current in statuses else [*statuses, current]
            labels = {s: tr(f"status.{s}") for s in choices}
            if st.session_state.get(f"{key}-status") not in choices:
                st.session_state[f"{key}-status"] = current
            status = cells[0].selectbox(tr("rec.f.status"), choices, format_func=labels.__getitem__,
                                        key=f"{key}-status")
            reason = cells[1].text_input(tr("quick.reason"), key=f"{key}-reason", max_chars=2000)
            _said(cells[0], errors, "status")
            _said(cells[1], errors, "status_reason")
        values: dict = {}
        for cell, f in zip(st.columns(len(fields)) if fields else [], fields, strict=True):
            with cell:
                if f.widget == "date":
                    values[f.name] = st.date_input(tr(f.label_key), value=None, key=f"{key}-{f.name}",
                                                   min_value=MIN_DATE, max_value=MAX_DATE, format=date_format())
                else:
                    number = st.number_input(tr(f.label_key), value=None, min_value=0, step=1,
                                             key=f"{key}-{f.name}", placeholder="")
                    values[f.name] = None if number is None else int(number)
            _said(cell, errors, f.name)
        for name in set(errors) - {"status", "status_reason", *values}:  # about a field not in the row
            _said(st, errors, name)
        if st.button(tr("quick.save"), key=f"{key}-save", icon=":material/save:"):
            st.session_state.pop(f"{key}-errors", None)
            with guard():
                _save(kind, record, shown, key, status, reason, values, on_saved)


def _said(cell, errors: dict, name: str) -> None:
    """The refusal of a field, under it (in the user's language, naming the field)."""
    if name in errors:
        cell.error(plain(errors[name]), icon=":material/error:")


def _save(kind: str, record: dict, shown: int, key: str, status, reason: str, values: dict, on_saved) -> None:
    try:
        version = quick_edit(actor(), kind, record, shown, status=status, reason=reason, values=values)
    except ValidationFailed as exc:
        errors = {NAMES.get(name, name): value for name, value in exc.errors.items()}
        st.session_state[f"{key}-errors"] = named_messages(spec_for(kind), errors, lang())
        st.rerun()
    except StaleRecord as exc:
        show_error(exc)
        return
    answer_save(version, on_saved)


def answer_save(version: int | None, on_saved) -> None:
    """After an in-place save on a record's page: "nothing changed", or forget open forms and say "saved" on the
    page drawn afresh."""
    if version is None:
        st.info(tr("form.nothing_changed"), icon=":material/info:")
        return
    on_saved()
    st.session_state["_flash"] = tr("rec.saved")
    st.rerun()
