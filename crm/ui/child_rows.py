"""Child rows (signings, itinerary stops, members, cohorts, sub-forums, agenda items) edited one row at a time.

A grid editor proved unusable for typing (cells opened on a delayed double-click, Enter moved down,
Chinese input started no edit). Here the rows are a compact numbered list; each row is added or
changed in a small form of ordinary widgets (pickers with search and "add on the spot", date fields,
keyboard and IME input), then kept in the form's state until the whole record is saved.
The rows live in session state under the form opening's prefix (`crm.ui.form_state`), as the
write path's typed values; nothing here writes to the database.
"""

from typing import get_args

import streamlit as st

from crm.models.kinds import get_kind
from crm.periods import parse_partial
from crm.records.formspec import ChildEditor, F, row_values
from crm.ui.fields import draw_field, field_value, seed_field
from crm.ui.pickers import labels_for
from crm.ui.shell import lang, plain, tr
from crm.ui.values import cell_text


def _rows_key(pfx: str, editor: ChildEditor) -> str:
    return f"{pfx}-{editor.key}-rows"


def seed_rows(pfx: str, editor: ChildEditor, stored: list[dict] | None) -> None:
    """Put the stored rows in the opening's state (typed as the form edits them)."""
    rows = []
    for row in stored or []:
        typed = dict(row)
        typed.update(row_values(editor, row))
        rows.append(typed)
    st.session_state[_rows_key(pfx, editor)] = rows
    st.session_state[f"{pfx}-{editor.key}-initial"] = [dict(r) for r in rows]


def restore_rows(pfx: str, editor: ChildEditor, stored: list[dict]) -> None:
    """Put a draft's rows (dates as ISO text) in the opening's state as the user left them (the stored rows stay
    the "initial" ones, so the save sends these)."""
    st.session_state[_rows_key(pfx, editor)] = [{**row, **row_values(editor, row)} for row in stored]
    _close(pfx, editor)


def rows(pfx: str, editor: ChildEditor) -> list[dict]:
    """The rows as the user left them (stored ones changed, new ones added, removed ones gone)."""
    return [dict(r) for r in st.session_state.get(_rows_key(pfx, editor), [])]


def changed(pfx: str, editor: ChildEditor) -> bool:
    return rows(pfx, editor) != st.session_state.get(f"{pfx}-{editor.key}-initial", [])


def _editing_key(pfx: str, editor: ChildEditor) -> str:
    return f"{pfx}-{editor.key}-editing"


def _row_prefix(pfx: str, editor: ChildEditor) -> str:
    return f"{pfx}-{editor.key}-row{st.session_state.get(f'{pfx}-{editor.key}-rowgen', 0)}"


def row_editor_open(pfx: str, editor: ChildEditor) -> bool:
    """Whether a row is being added or changed (its values are not in the record until "Keep row")."""
    return _editing_key(pfx, editor) in st.session_state


def _open(pfx: str, editor: ChildEditor, index: int | None) -> None:
    """Callback: open the row form, empty for a new row or filled from row `index`."""
    generation = f"{pfx}-{editor.key}-rowgen"
    st.session_state[generation] = st.session_state.get(generation, 0) + 1  # fresh widget keys for every row form
    st.session_state[_editing_key(pfx, editor)] = "new" if index is None else index
    st.session_state.pop(f"{pfx}-{editor.key}-rowmsg", None)
    row = {} if index is None else rows(pfx, editor)[index]
    rpfx = _row_prefix(pfx, editor)
    for column in editor.columns:
        seed_field(rpfx, column, row.get(column.name), precision=row.get(f"{column.name}_precision") or "")


def _form_values(pfx: str, editor: ChildEditor) -> tuple[dict, list[str]]:
    """The row form's values typed as a row keeps them (a partial date read as date and precision), and the
    labels of the fields that could not be read."""
    rpfx = _row_prefix(pfx, editor)
    values, unreadable = {}, []
    for column in editor.columns:
        value = field_value(rpfx, column)
        if column.widget == "partial":
            try:
                value, values[f"{column.name}_precision"] = parse_partial(value) if value else (None, "")
            except ValueError:
                unreadable.append(tr(column.label_key))
                value, values[f"{column.name}_precision"] = None, ""
        values[column.name] = value
    return row_values(editor, values), unreadable


def _close(pfx: str, editor: ChildEditor) -> None:
    st.session_state.pop(_editing_key(pfx, editor), None)
    st.session_state.pop(f"{pfx}-{editor.key}-rowmsg", None)


def required_columns(kind: str, editor: ChildEditor) -> tuple[F, ...]:
    """The row form's columns that the child table keeps NOT NULL without a default (a stop's city, a
    member's person): a row cannot be kept without them."""
    spec = next((c for c in get_kind(kind).children if c.key == editor.key), None)
    if spec is None:
        return ()
    fields = spec.model.model_fields
    return tuple(c for c in editor.columns if c.name in fields and c.name != spec.parent_fk
                 and fields[c.name].default is None and type(None) not in get_args(fields[c.name].annotation))


def _keep(pfx: str, editor: ChildEditor, kind: str | None = None) -> None:
    """Callback: put the row form's values into the rows (a new row at the end), once its required fields are
    filled (else the row form stays open and says which field is missing)."""
    values, unreadable = _form_values(pfx, editor)
    if unreadable:
        st.session_state[f"{pfx}-{editor.key}-rowmsg"] = tr("rows.unreadable", fields=_joined(unreadable))
        return
    if all(v in (None, "", False) for k, v in values.items() if not k.endswith("_precision")):
        st.session_state[f"{pfx}-{editor.key}-rowmsg"] = tr("rows.empty")
        return
    missing = [tr(c.label_key) for c in (required_columns(kind, editor) if kind else ())
               if values.get(c.name) in (None, "")]
    if missing:
        st.session_state[f"{pfx}-{editor.key}-rowmsg"] = tr("rows.required", fields=_joined(missing))
        return
    current = rows(pfx, editor)
    where = st.session_state.get(_editing_key(pfx, editor))
    if where == "new" or where is None:
        current.append(values)
    else:
        current[int(where)] = {**current[int(where)], **values}
    st.session_state[_rows_key(pfx, editor)] = current
    _close(pfx, editor)


def _joined(labels: list[str]) -> str:
    return ("、" if lang() == "zh-TW" else ", ").join(labels)


def _remove(pfx: str, editor: ChildEditor, index: int) -> None:
    current = rows(pfx, editor)
    del current[index]
    st.session_state[_rows_key(pfx, editor)] = current
    _close(pfx, editor)


def _move(pfx: str, editor: ChildEditor, index: int, step: int) -> None:
    current = rows(pfx, editor)
    other = index + step
    if 0 <= other < len(current):
        current[index], current[other] = current[other], current[index]
        st.session_state[_rows_key(pfx, editor)] = current
    _close(pfx, editor)


def _names(editor: ChildEditor, current: list[dict]) -> dict[str, dict[int, str]]:
    wanted: dict[str, set[int]] = {}
    for row in current:
        for column in editor.columns:
            if column.widget == "ref" and row.get(column.name):
                assert column.ref is not None  # a ref column names its kind
                wanted.setdefault(column.ref, set()).add(int(row[column.name]))
    return {kind: labels_for(kind, ids) for kind, ids in wanted.items()}


def _summary(editor: ChildEditor, row: dict, names: dict) -> str:
    parts = []
    for column in editor.columns:
        text = cell_text(column, row.get(column.name), names, row)
        if text:
            parts.append(text)
    return " · ".join(parts) or "—"


def _row_errors(editor: ChildEditor, errors: dict) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for name, message in errors.items():
        if name.startswith(f"{editor.key}["):
            index, _, field = name[len(editor.key) + 1:].partition("].")
            if index.isdigit():
                label = tr(f"rec.f.{field}") if field else ""
                found.setdefault(int(index), []).append(f"{label}: {message}" if label else message)
    return found


def child_rows(pfx: str, editor: ChildEditor, errors: dict, kind: str | None = None) -> None:
    """The rows of one collection of a record of `kind`, their actions, and the row form when one is open."""
    st.markdown(f"**{tr(editor.label)}**")
    current = rows(pfx, editor)
    names = _names(editor, current)
    problems = _row_errors(editor, errors)
    editing = st.session_state.get(_editing_key(pfx, editor))
    if not current:
        st.caption(tr("rows.none"))
    for index, row in enumerate(current):
        line = st.container(horizontal=True, vertical_alignment="center", gap="small")
        line.markdown(f"{index + 1}. {plain(_summary(editor, row, names))}", width="stretch")
        line.button("", key=f"{pfx}-{editor.key}-e{index}", icon=":material/edit:", type="tertiary",
                    help=tr("rows.edit", n=index + 1), on_click=_open, args=(pfx, editor, index))
        if editor.ordered:
            line.button("", key=f"{pfx}-{editor.key}-u{index}", icon=":material/arrow_upward:", type="tertiary",
                        help=tr("rows.up", n=index + 1), on_click=_move, args=(pfx, editor, index, -1),
                        disabled=index == 0)
            line.button("", key=f"{pfx}-{editor.key}-d{index}", icon=":material/arrow_downward:", type="tertiary",
                        help=tr("rows.down", n=index + 1), on_click=_move, args=(pfx, editor, index, 1),
                        disabled=index == len(current) - 1)
        line.button("", key=f"{pfx}-{editor.key}-x{index}", icon=":material/close:", type="tertiary",
                    help=tr("rows.remove", n=index + 1), on_click=_remove, args=(pfx, editor, index))
        for message in problems.get(index, []):
            st.error(tr("rec.row_error", row=index + 1, message=plain(message)), icon=":material/error:")
    if editing is None:
        st.button(tr("rows.add", what=tr(editor.label)), key=f"{pfx}-{editor.key}-add", icon=":material/add:",
                  on_click=_open, args=(pfx, editor, None))
        return
    _row_form(pfx, editor, editing, kind)


def _row_form(pfx: str, editor: ChildEditor, editing, kind: str | None = None) -> None:
    rpfx = _row_prefix(pfx, editor)
    with st.container(border=True, key=f"{pfx}-{editor.key}-rowform"):  # CSS class st-key-…-rowform
        title = tr("rows.new") if editing == "new" else tr("rows.editing", n=int(editing) + 1)
        st.markdown(f"*{title}*")
        columns = st.columns(3 if len(editor.columns) > 4 else 2)
        current = {c.name: field_value(rpfx, c) for c in editor.columns}
        for index, column in enumerate(c for c in editor.columns if c.shown(current)):
            with columns[index % len(columns)]:
                draw_field(rpfx, column, {})
        if message := st.session_state.get(f"{pfx}-{editor.key}-rowmsg"):
            st.warning(message)
        buttons = st.container(horizontal=True)
        buttons.button(tr("rows.keep") if editing == "new" else tr("rows.keep_changes"), key=f"{rpfx}-keep",
                       type="primary", icon=":material/check:", on_click=_keep, args=(pfx, editor, kind))
        buttons.button(tr("ui.cancel"), key=f"{rpfx}-cancel", on_click=_close, args=(pfx, editor))


def pending_row(pfx: str, editor: ChildEditor) -> bool:
    """A row form that is open with something typed in it that is not kept yet (a save would lose it)."""
    where = st.session_state.get(_editing_key(pfx, editor))
    if where is None:
        return False
    values, unreadable = _form_values(pfx, editor)
    if where == "new":
        return bool(unreadable) or any(v not in (None, "", False) for k, v in values.items()
                                       if not k.endswith("_precision"))
    before = row_values(editor, rows(pfx, editor)[int(where)])
    return bool(unreadable) or any(values[name] != before.get(name) for name in values)
