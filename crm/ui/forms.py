"""Create and edit forms drawn from a kind's `FormSpec`: pickers, date pairs, child editors, checks."""

from datetime import date, datetime, time

import pandas as pd
import streamlit as st

from crm import places
from crm.errors import StaleRecord, ValidationFailed
from crm.formspec import F, FormSpec, form_payload, payload_to_rows, ref_label, rows_to_payload, spec_for
from crm.i18n import t
from crm.matching import find_matches
from crm.records import display_name, options
from crm.ui.pickers import QUICK_KINDS, choice_picker, country_picker, labels_for, link, quick_add, ref_picker
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.writes import create, update

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)


def _base_key(kind: str, record_id: int) -> str:
    return f"f-{kind}-{record_id}-base"


def forget_edit(kind: str, record_id: int) -> None:
    """After this user changed the record elsewhere (status, delete, restore), open the edit form afresh."""
    st.session_state.pop(_base_key(kind, record_id), None)


def _opened_version(kind: str, record: dict) -> int:
    """The version the user opened the edit form on (kept until a save), so a change by someone else
    meanwhile is caught as stale instead of silently replacing what the user typed."""
    return st.session_state.setdefault(_base_key(kind, record["id"]), record["version"])


def _prefix(kind: str, record: dict | None) -> str:
    if record is None:
        return f"f-{kind}-new-{st.session_state.get(f'f-{kind}-gen', 0)}"
    return f"f-{kind}-{record['id']}-v{_opened_version(kind, record)}"


def _initial(f: F, record: dict | None):
    value = (record or {}).get(f.name)
    if f.widget == "date" and isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    if f.widget == "bool":
        return bool(value)
    if f.widget in ("text", "area"):
        return value or ""
    return value


def _zone(name: str | None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name or "Asia/Taipei")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Taipei")


def _seed(pfx: str, spec: FormSpec, record: dict | None) -> None:
    """Put the record's values in session state once, so pickers and callbacks can change them."""
    if st.session_state.get(f"{pfx}-seeded"):
        return
    for f in spec.fields():
        value = _initial(f, record)
        if f.widget == "datetime":
            stamp = datetime.fromisoformat(value) if isinstance(value, str) and value else value
            if stamp is not None and stamp.tzinfo is not None:  # stored in UTC: edit in the record's zone
                stamp = stamp.astimezone(_zone((record or {}).get("timezone")))
            st.session_state[f"{pfx}-{f.name}-d"] = stamp.date() if stamp else None
            st.session_state[f"{pfx}-{f.name}-t"] = stamp.time().replace(tzinfo=None) if stamp else None
        elif value is not None or f.widget != "choice":
            st.session_state[f"{pfx}-{f.name}"] = value
    if record is None and spec.kind == "cities":
        st.session_state[f"{pfx}-coords"] = None
    st.session_state[f"{pfx}-seeded"] = True


def _field(pfx: str, f: F, errors: dict) -> None:
    key, label = f"{pfx}-{f.name}", tr(f.label_key)
    if f.widget == "text":
        st.text_input(label, key=key, max_chars=500)
    elif f.widget == "area":
        st.text_area(label, key=key, height=90)
    elif f.widget == "date":
        st.date_input(label, key=key, min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
    elif f.widget == "int":
        st.number_input(label, key=key, min_value=0, step=1)
    elif f.widget == "float":
        st.number_input(label, key=key)
    elif f.widget == "bool":
        st.checkbox(label, key=key)
    elif f.widget == "choice":
        choice_picker(key, label, f.choices, f.prefix)
    elif f.widget == "country":
        country_picker(key, label)
    elif f.widget == "ref":
        ref_picker(f.ref, key, label)
    elif f.widget == "datetime":
        st.date_input(label, key=f"{key}-d", min_value=MIN_DATE, max_value=MAX_DATE, format="YYYY-MM-DD")
        st.time_input(tr("rec.time"), key=f"{key}-t", step=900)
    if f.name in errors:
        st.error(plain(errors[f.name]), icon=":material/error:")


def _values(pfx: str, spec: FormSpec) -> dict:
    values = {}
    for f in spec.fields():
        if f.widget == "datetime":
            day, clock = st.session_state.get(f"{pfx}-{f.name}-d"), st.session_state.get(f"{pfx}-{f.name}-t")
            values[f.name] = datetime.combine(day, clock or time(0, 0)) if day else None
        else:
            value = st.session_state.get(f"{pfx}-{f.name}")
            if f.widget == "int" and value is not None:
                value = int(value)
            values[f.name] = value
    return values


# --- child collections ---------------------------------------------------------------------

def _column_config(column: F, ref_options: dict[str, list[str]]):
    label = tr(column.label_key)
    if column.widget == "ref":
        return st.column_config.SelectboxColumn(label, options=ref_options[column.ref], width="large")
    if column.widget == "choice":
        return st.column_config.SelectboxColumn(label, options=[tr(f"{column.prefix}.{c}") for c in column.choices])
    if column.widget == "date":
        return st.column_config.DateColumn(label, format="YYYY-MM-DD", min_value=MIN_DATE, max_value=MAX_DATE)
    if column.widget == "int":
        return st.column_config.NumberColumn(label, min_value=0, step=1, format="%d")
    if column.widget == "bool":
        return st.column_config.CheckboxColumn(label)
    return st.column_config.TextColumn(label, max_chars=500)


def _child_editor(pfx: str, spec: FormSpec, editor, record: dict | None, errors: dict) -> None:
    st.markdown(f"**{tr(editor.label)}**")
    refs = {c.ref for c in editor.columns if c.widget == "ref"}
    stored = (record or {}).get(editor.key) or []
    current_ids = {r: {row.get(c.name) for row in stored for c in editor.columns if c.ref == r} for r in refs}
    search = st.session_state.get(f"{pfx}-{editor.key}-q", "")
    ref_options = {}
    known: dict[str, dict[int, str]] = {}
    for r in refs:
        found = {**labels_for(r, current_ids[r]), **options(r, lang(), q=search)}
        for added in st.session_state.get("_recently_added", {}).get(r, []):
            found.update(labels_for(r, [added]))
        known[r] = found
        ref_options[r] = [ref_label(label, i) for i, label in found.items()]
    rows = payload_to_rows(editor, stored, known)
    for column in editor.columns:
        if column.widget == "choice":
            for row in rows:
                row[column.name] = tr(f"{column.prefix}.{row[column.name]}") if row.get(column.name) else None
    frame = pd.DataFrame(rows, columns=[c.name for c in editor.columns])
    st.data_editor(frame, key=f"{pfx}-{editor.key}", num_rows="dynamic", hide_index=True, width="stretch", placeholder="",
                   column_config={c.name: _column_config(c, ref_options) for c in editor.columns})
    if refs:
        st.text_input(tr("rec.find_more"), key=f"{pfx}-{editor.key}-q", placeholder=tr("rec.find_more_hint"))
        addable = [r for r in sorted(refs) if r in QUICK_KINDS]
        for column, ref_kind in zip(st.columns(max(len(addable), 1)), addable, strict=False):
            with column.popover(tr("rec.add_new", kind=tr(f"kind.{ref_kind}")), icon=":material/add:"):
                quick_add(ref_kind, f"{pfx}-{editor.key}-new-{ref_kind}")
    for name, message in errors.items():
        if name.startswith(f"{editor.key}[") or name == editor.key:
            row = name[len(editor.key) + 1:].split("]")[0] if "[" in name else ""
            st.error(tr("rec.row_error", row=int(row) + 1 if row.isdigit() else "?", message=plain(message)))
    st.session_state[f"{pfx}-{editor.key}-base"] = frame.to_dict("records")


def _edited_rows(pfx: str, editor) -> list[dict]:
    """The editor's rows after the user's edits (the widget state holds only the changes)."""
    base = [dict(r) for r in st.session_state.get(f"{pfx}-{editor.key}-base", [])]
    changes = st.session_state.get(f"{pfx}-{editor.key}") or {}
    for index, edits in (changes.get("edited_rows") or {}).items():
        base[int(index)].update(edits)
    for row in changes.get("added_rows") or []:
        base.append(dict(row))
    deleted = set(changes.get("deleted_rows") or [])
    rows = [row for i, row in enumerate(base) if i not in deleted]
    for column in editor.columns:
        if column.widget == "choice":
            back = {tr(f"{column.prefix}.{c}"): c for c in column.choices}
            for row in rows:
                row[column.name] = back.get(row.get(column.name), row.get(column.name))
    return rows


# --- the form ------------------------------------------------------------------------------

def _city_coordinates(pfx: str, record: dict | None) -> None:
    """Gazetteer suggestions for a city, or coordinates typed in by hand (shown as such)."""
    st.markdown(f"**{tr('rec.section.place')}**")
    source = st.session_state.get(f"{pfx}-coords") or (record or {}).get("coord_source") or ""
    if record and record.get("latitude") is not None and not st.session_state.get(f"{pfx}-coords"):
        st.caption(tr(f"places.source.{source or 'manual'}", lat=record["latitude"], lon=record["longitude"]))
    name = st.session_state.get(f"{pfx}-name_en") or st.session_state.get(f"{pfx}-name_zh") or ""
    country = st.session_state.get(f"{pfx}-country_code")
    found = places.suggestions(name, country) if name else []
    labels = {"": tr("rec.place_auto"), **{str(s.place.geonames_id): s.label for s in found},
              "manual": tr("rec.place_manual")}
    if st.session_state.get(f"{pfx}-place") not in labels:
        st.session_state[f"{pfx}-place"] = ""
    st.selectbox(tr("rec.place_choice"), list(labels), key=f"{pfx}-place", format_func=labels.__getitem__)
    chosen = next((s for s in found if str(s.place.geonames_id) == st.session_state[f"{pfx}-place"]), None)
    if chosen and chosen.cjk_names:
        st.caption(tr("rec.cjk_names", names=plain(" / ".join(chosen.cjk_names[:6]))))
    if name and not found:
        st.info(tr("places.not_found"))
    if st.session_state[f"{pfx}-place"] == "manual" or (name and not found):
        c1, c2 = st.columns(2)
        c1.number_input(tr("rec.f.latitude"), min_value=-90.0, max_value=90.0, key=f"{pfx}-lat", format="%.5f",
                        value=(record or {}).get("latitude"))
        c2.number_input(tr("rec.f.longitude"), min_value=-180.0, max_value=180.0, key=f"{pfx}-lon", format="%.5f",
                        value=(record or {}).get("longitude"))


def _city_data(pfx: str, data: dict, record: dict | None) -> tuple[dict, dict]:
    choice = st.session_state.get(f"{pfx}-place", "")
    lat, lon = st.session_state.get(f"{pfx}-lat"), st.session_state.get(f"{pfx}-lon")
    if choice == "manual" or (lat is not None and lon is not None and choice == ""):
        if lat is None or lon is None:
            return data, {"latitude": ("places.ask_coordinates", {})}
        return {**data, **places.manual(lat, lon)}, {}
    if choice:
        name = data.get("name_en") or data.get("name_zh") or ""
        place = next((s.place for s in places.suggestions(name, data.get("country_code"))
                      if str(s.place.geonames_id) == choice), None)
        if place is not None:
            return {**data, **places.from_place(place)}, {}
    if record and record.get("latitude") is not None:
        return data, {}  # keep the stored coordinates (a manual override stays)
    return places.complete(data)


def _save(kind: str, spec: FormSpec, pfx: str, record: dict | None, *, force: bool = False,
          expected: int | None = None) -> int | None:
    creating = record is None
    data = form_payload(spec, _values(pfx, spec), creating=creating)
    for editor in spec.children:
        data[editor.key] = rows_to_payload(editor, _edited_rows(pfx, editor))
    if kind == "cities":
        data, missing = _city_data(pfx, data, record)
        if missing:
            raise ValidationFailed(missing)
    if creating and spec.duplicates and not force:
        matches = find_matches(kind, data)
        if matches:
            st.session_state[f"{pfx}-matches"] = [
                (mt.record_id, display_name(kind, mt.existing, lang()),
                 t(mt.reason, lang(), field=tr(f"rec.f.{mt.field}"), score=mt.score)) for mt in matches]
            return None
    if creating:
        return create(actor(), kind, data)
    update(actor(), kind, record["id"], data, expected if expected is not None else _opened_version(kind, record))
    return record["id"]


def _saved(kind: str, record_id: int, creating: bool) -> None:
    if creating:
        st.session_state[f"f-{kind}-gen"] = st.session_state.get(f"f-{kind}-gen", 0) + 1
    else:
        forget_edit(kind, record_id)
    st.session_state["_flash"] = tr("rec.saved")
    st.query_params.pop("new", None)
    st.query_params["id"] = str(record_id)
    st.rerun()


def _attempt(kind: str, spec: FormSpec, pfx: str, record: dict | None, **kw) -> None:
    st.session_state.pop(f"{pfx}-errors", None)
    st.session_state.pop(f"{pfx}-stale", None)
    try:
        record_id = _save(kind, spec, pfx, record, **kw)
    except ValidationFailed as exc:
        st.session_state[f"{pfx}-errors"] = exc.field_messages(lang())
        st.rerun()
    except StaleRecord as exc:
        st.session_state[f"{pfx}-stale"] = {"user": exc.params.get("user"), "at": exc.params.get("at"),
                                            "version": exc.version, "theirs": exc.theirs}
        st.rerun()
    else:
        if record_id is not None:
            _saved(kind, record_id, record is None)
        st.rerun()


def _stale_panel(kind: str, spec: FormSpec, pfx: str, record: dict) -> None:
    stale = st.session_state.get(f"{pfx}-stale")
    if not stale:
        return
    st.error(tr("err.stale", user=plain(stale["user"]), at=stale["at"], version=stale["version"]))
    mine = form_payload(spec, _values(pfx, spec), creating=False)
    theirs = stale["theirs"]
    rows = [{tr("rec.field"): tr(f.label_key), tr("rec.yours"): _show(mine.get(f.name)),
             tr("rec.theirs"): _show(theirs.get(f.name))}
            for f in spec.fields() if f.name in mine and _show(mine.get(f.name)) != _show(theirs.get(f.name))]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    if c1.button(tr("rec.keep_mine"), key=f"{pfx}-overwrite", type="primary"):
        _attempt(kind, spec, pfx, record, expected=stale["version"])
    if c2.button(tr("rec.take_theirs"), key=f"{pfx}-reload"):
        st.session_state.pop(f"{pfx}-stale", None)
        forget_edit(kind, record["id"])
        st.rerun()


def _show(value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:16]
    return str(value)[:16] if isinstance(value, str) and value[:4].isdigit() and "T" in value else str(value)


def _duplicates_panel(kind: str, spec: FormSpec, pfx: str) -> None:
    matches = st.session_state.get(f"{pfx}-matches")
    if not matches:
        return
    st.warning(tr("rec.duplicate_warning", kind=tr(f"kind.{kind}")), icon=":material/content_copy:")
    for record_id, label, why in matches:
        link(kind, record_id, tr("rec.open_existing", name=label, why=why), icon=":material/open_in_new:")
    if st.button(tr("rec.add_anyway"), key=f"{pfx}-anyway"):
        st.session_state.pop(f"{pfx}-matches", None)
        _attempt(kind, spec, pfx, None, force=True)


def record_form(kind: str, record: dict | None = None) -> None:
    """The create form (record None) or the edit form of one record."""
    spec = spec_for(kind)
    pfx = _prefix(kind, record)
    _seed(pfx, spec, record)
    errors = st.session_state.get(f"{pfx}-errors") or {}
    if record is not None:
        _stale_panel(kind, spec, pfx, record)
    for section in spec.sections:
        fields = [f for f in section.fields if not (f.create_only and record is not None)]
        if not fields:
            continue
        st.markdown(f"**{tr(section.label)}**")
        cols = st.columns(section.columns)
        for index, f in enumerate(fields):
            with cols[index % section.columns]:
                _field(pfx, f, errors)
    if kind == "cities":
        _city_coordinates(pfx, record)
        if "latitude" in errors:
            st.error(plain(errors["latitude"]), icon=":material/error:")
    for editor in spec.children:
        _child_editor(pfx, spec, editor, record, errors)
    if errors:
        st.error(tr("rec.not_saved"), icon=":material/error:")
    _duplicates_panel(kind, spec, pfx)
    if st.button(tr("ui.save"), key=f"{pfx}-save", type="primary", icon=":material/save:"):
        with guard():
            _attempt(kind, spec, pfx, record)
