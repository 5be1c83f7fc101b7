"""Create and edit forms drawn from a kind's `FormSpec`: fields, child rows, duplicate and stale-edit checks.

Each opening of a form has its own widget keys (`crm.ui.form_state`); an edit form sends only the
fields the user changed, checked against the version it was opened on. What the user changed and has not
saved is kept as a draft on the server and offered back (`crm.ui.form_drafts`).
"""

import re
from datetime import date, datetime

import pandas as pd
import streamlit as st

from crm.errors import StaleRecord, ValidationFailed
from crm.geo import places
from crm.i18n import datetime_text, t
from crm.records.autofill import PEOPLE_OFFERED, people_at, proposals, sources
from crm.records.field_messages import named_messages, required_fields, required_legend
from crm.records.formspec import OFF_PLAN, ChildEditor, F, FormSpec, Section, form_payload, rows_to_payload, spec_for
from crm.records.matching import find_matches
from crm.records.names import display_name
from crm.store.writes import create, update
from crm.ui import child_rows, form_drafts, form_state
from crm.ui.fields import MAX_DATE, MIN_DATE, draw_field, field_value, seed_field
from crm.ui.keyboard import autofocus, mark_required
from crm.ui.pickers import link
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.ui.timefmt import zone
from crm.ui.values import ui_date

__all__ = ["MAX_DATE", "MIN_DATE", "forget_edit", "record_form"]


def forget_edit(kind: str, record_id: int) -> None:
    """After this user changed the record elsewhere (status, delete, restore), open the edit form afresh."""
    form_state.close(kind, record_id)


def _seed(pfx: str, spec: FormSpec, record: dict | None) -> None:
    """Put the record's values (nothing for a new one) in the new opening's state, and remember them."""
    record = record or {}
    for f in spec.fields():
        value = record.get(f.name)
        if f.widget == "datetime" and value:
            stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
            if stamp.tzinfo is not None:  # stored in UTC: edited in the record's own zone
                stamp = stamp.astimezone(zone(record.get("timezone")))
            value = stamp.replace(tzinfo=None)
        seed_field(pfx, f, value, precision=record.get(f"{f.name}_precision") or "")
    for editor in spec.children:
        child_rows.seed_rows(pfx, editor, record.get(editor.key))
    if spec.kind == "cities":
        st.session_state[f"{pfx}-coords"] = None
    st.session_state[f"{pfx}-initial"] = _values(pfx, spec)


def _values(pfx: str, spec: FormSpec) -> dict:
    return {f.name: field_value(pfx, f) for f in spec.fields()}


def _child_payload(editor: ChildEditor, rows: list[dict]) -> list[dict]:
    """The rows for the write path: the editor's columns typed, any other stored column kept as it was."""
    shown = {c.name for c in editor.columns}
    typed = rows_to_payload(editor, rows)
    kept = [row for row in rows if any(row.get(c.name) not in (None, "", False) for c in editor.columns)]
    return [{**{k: v for k, v in row.items() if k not in shown and k != "seq"}, **values}
            for row, values in zip(kept, typed, strict=True)]


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


def _changes(spec: FormSpec, pfx: str, record: dict | None) -> dict:
    """What the save sends: every filled field of a new record; on an edit only what the user changed."""
    creating = record is None
    data = form_payload(spec, _values(pfx, spec), creating=creating)
    if not creating:
        before = form_payload(spec, st.session_state.get(f"{pfx}-initial") or {}, creating=False)
        data = {name: value for name, value in data.items() if name not in before or before[name] != value}
    for editor in spec.children:
        if child_rows.pending_row(pfx, editor):
            raise ValidationFailed({editor.key: ("rows.pending", {"what": t(editor.label, lang())})})
        if creating or child_rows.changed(pfx, editor):
            data[editor.key] = _child_payload(editor, child_rows.rows(pfx, editor))
    return data


def _save(kind: str, spec: FormSpec, pfx: str, record: dict | None, *, force: bool = False,
          expected: int | None = None, opened: int | None = None) -> int | None:
    creating = record is None
    data = _changes(spec, pfx, record)
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
        if data.get("status") in OFF_PLAN and not data.get("status_reason") and spec.field("status_reason"):
            raise ValidationFailed({"status_reason": ("err.required", {})})  # created off plan: the form asks why
        with st.spinner(tr("rec.saving")):  # said while it waits for another writer (an import), up to the timeout
            return create(actor(), kind, data)
    assert record is not None  # not creating
    if not data:
        st.session_state[f"{pfx}-nothing"] = True
        return None
    shown = expected if expected is not None else opened if opened is not None else record["version"]
    with st.spinner(tr("rec.saving")):
        update(actor(), kind, record["id"], data, shown)
    return record["id"]


def _saved(kind: str, record_id: int, creating: bool) -> None:
    form_drafts.forget(kind, None if creating else record_id)  # saved: the draft has done its work
    form_state.close(kind, None if creating else record_id)
    st.session_state["_flash"] = tr("rec.saved")
    st.query_params.pop("new", None)
    st.query_params["id"] = str(record_id)
    st.rerun()


def _attempt(kind: str, spec: FormSpec, pfx: str, record: dict | None, **kw) -> None:
    kw.setdefault("opened", None if record is None else form_state.opened_version(kind, record["id"]))
    for suffix in ("errors", "stale", "nothing"):
        st.session_state.pop(f"{pfx}-{suffix}", None)
    try:
        record_id = _save(kind, spec, pfx, record, **kw)
    except ValidationFailed as exc:
        st.session_state[f"{pfx}-errors"] = named_messages(spec, exc.errors, lang())
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
    try:
        mine = _changes(spec, pfx, record)
    except ValidationFailed:
        mine = {}
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
        form_drafts.forget(kind, record["id"])
        forget_edit(kind, record["id"])
        st.rerun()


def _show(value) -> str:
    if value in (None, ""):
        return ""
    """A value in the stale-edit comparison (mine typed, theirs stored as ISO text): dates and times alike in
    the one date format of the language, to the minute and without zone (as the two were compared before)."""
    if isinstance(value, (date, datetime)):
        value = value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return ui_date(date.fromisoformat(value))
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        try:
            return datetime_text(datetime.fromisoformat(value[:16]), lang())
        except ValueError:
            return value[:16]
    return str(value)


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


def _autofill(pfx: str, spec: FormSpec) -> None:
    """A leader or a city chosen since the last run fills the fields it knows (crm.records.autofill): those
    still empty or still holding what the previous choice put there. Runs before the fields are drawn."""
    state = st.session_state
    for name in sources(spec):
        now, seen = state.get(f"{pfx}-{name}"), f"{pfx}-from-{name}"
        if seen not in state or state[seen] == now:
            state[seen] = now
            continue
        state[seen] = now
        for target, value in proposals(spec, name, now, lang()).items():
            key, mark = f"{pfx}-{target}", f"{pfx}-filled-{target}"
            if state.get(key) in (None, "", state.get(mark)):
                state[key] = value
                state.setdefault(f"{pfx}-kept", {})[key] = value
            state[mark] = value


def _choose(key: str, record_id: int) -> None:
    st.session_state[key] = record_id


def _offer_people(pfx: str, spec: FormSpec, f: F) -> None:
    """Under an organisation chosen: its people on file, each a button that makes them the leader."""
    target = PEOPLE_OFFERED.get(f.name)
    if target is None or spec.field(target) is None or st.session_state.get(f"{pfx}-{target}"):
        return
    people = people_at(st.session_state.get(f"{pfx}-{f.name}"), lang())
    if people:
        st.caption(tr("form.people_at", field=tr(f"rec.f.{target}")))
        for person_id, name in people.items():
            st.button(plain(name), key=f"{pfx}-offer-{person_id}", on_click=_choose,
                      args=(f"{pfx}-{target}", person_id), icon=":material/person_add:", type="tertiary")


def _section(pfx: str, spec: FormSpec, section: Section, fields: list[F], errors: dict) -> None:
    """A section's fields row by row, one `st.columns` per row: the page's order (and Tab's) is reading order."""
    st.markdown(f"**{tr(section.label)}**")
    for start in range(0, len(fields), section.columns):
        cells = st.columns(section.columns)
        for cell, f in zip(cells, fields[start:start + section.columns], strict=False):
            with cell:
                draw_field(pfx, f, errors)
                _offer_people(pfx, spec, f)


def _error_summary(pfx: str, spec: FormSpec, errors: dict) -> None:
    """Every refused field at the top of the form, each a link that scrolls to its field (crm.ui.keyboard)."""
    if not errors:
        return
    shown = {f.name for f in spec.fields()} | {"latitude"}
    items = [f"- [{plain(text)}](#field-{pfx}-{name})" if name in shown else f"- {plain(text)}"
             for name, text in errors.items()]
    st.error("\n".join([tr("form.errors_title"), "", *items]), icon=":material/error:")


def record_form(kind: str, record: dict | None = None) -> None:
    """The create form (record None) or the edit form of one record."""
    spec = spec_for(kind)
    current, fresh = form_state.opening(kind, record)
    pfx = current.prefix
    if fresh:
        _seed(pfx, spec, record)
    form_drafts.offer(kind, pfx, record, fresh)
    errors = st.session_state.get(f"{pfx}-errors") or {}
    if record is not None:
        _stale_panel(kind, spec, pfx, record)
    _error_summary(pfx, spec, errors)
    st.caption(required_legend(spec, lang()))
    required = required_fields(spec, creating=record is None)
    _autofill(pfx, spec)
    values = _values(pfx, spec)
    drawn = [(section, [f for f in section.fields if not (f.create_only and record is not None) and f.shown(values)])
             for section in spec.sections]
    marked = [f"{pfx}-{f.name}" for _, fields in drawn for f in fields if f.name in required]
    mark_required(marked)
    with st.container(key=f"{pfx}-fields"):
        for section, fields in drawn:
            if fields:
                _section(pfx, spec, section, fields, errors)
    autofocus(f"{pfx}-fields", pfx, marked)
    if kind == "cities":
        _city_coordinates(pfx, record)
        if "latitude" in errors:
            st.error(plain(errors["latitude"]), icon=":material/error:")
    for editor in spec.children:
        child_rows.child_rows(pfx, editor, errors, kind)
        if editor.key in errors:
            st.error(plain(errors[editor.key]), icon=":material/error:")
    if errors:
        st.error(tr("rec.not_saved"), icon=":material/error:")
    if st.session_state.get(f"{pfx}-nothing"):
        st.info(tr("form.nothing_changed"), icon=":material/info:")
    _duplicates_panel(kind, spec, pfx)
    if st.button(tr("ui.save"), key=current.sentinel, type="primary", icon=":material/save:"):
        with guard():
            _attempt(kind, spec, pfx, record)
    form_drafts.keep(kind, spec, pfx, record, current.version)
