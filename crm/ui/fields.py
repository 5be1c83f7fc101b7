"""One form field as a widget: drawn, seeded and read back by key, for record forms and row forms alike.

Every optional date and number starts empty (`value=None`): Streamlit then offers a clear control and
an untouched field stays NULL — never today's date or 0. Values live in session state under the
form opening's prefix; a widget whose state Streamlit dropped (it was hidden for a run) is given its
last value back from the opening's copy, never a default.
"""

from datetime import date, datetime, time

import streamlit as st

from crm.i18n import LANGUAGES, date_input_format
from crm.periods import parse_partial, partial_text
from crm.records.formspec import F
from crm.ui.pickers import choice_picker, country_picker, ref_picker
from crm.ui.shell import lang, plain, tr
from crm.ui.values import partial_shown

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
DATE_INPUT_FORMAT = {code: date_input_format(code) for code in LANGUAGES}  # zh-TW YYYY/MM/DD, en YYYY-MM-DD


def date_format() -> str:
    """The one date format of the user's language (inputs and shown dates agree: crm.i18n.date_text)."""
    return date_input_format(lang())


def _keys(pfx: str, f: F) -> list[str]:
    key = f"{pfx}-{f.name}"
    return [f"{key}-d", f"{key}-t"] if f.widget == "datetime" else [key]


def _kept(pfx: str) -> dict:
    return st.session_state.setdefault(f"{pfx}-kept", {})


def seed_field(pfx: str, f: F, value, *, precision: str = "") -> None:
    """Put a stored value in the field's widget state (datetimes as a local date and time)."""
    key = f"{pfx}-{f.name}"
    if f.widget == "date" and isinstance(value, str) and value:
        value = date.fromisoformat(value[:10])
    elif f.widget == "bool":
        value = bool(value)
    elif f.widget in ("text", "area"):
        value = value or ""
    elif f.widget == "partial":
        day = date.fromisoformat(value[:10]) if isinstance(value, str) and value else value
        value = partial_text(day, precision or "day")
    if f.widget == "datetime":
        stamp = datetime.fromisoformat(value) if isinstance(value, str) and value else value
        seeded = {f"{key}-d": stamp.date() if stamp else None,
                  f"{key}-t": stamp.time().replace(tzinfo=None) if stamp else None}
    else:
        seeded = {key: value}
    st.session_state.update(seeded)
    _kept(pfx).update(seeded)


def restore_field(pfx: str, f: F, value) -> None:
    """Put a draft's value of the field (as `field_value` read it, dates as ISO text) back in its widget state."""
    if f.widget == "partial":  # kept as the text the user typed ("110 年"), not as a date
        key = f"{pfx}-{f.name}"
        st.session_state[key] = _kept(pfx)[key] = str(value or "")
        return
    seed_field(pfx, f, value)


def _restore(pfx: str, f: F) -> None:
    kept = _kept(pfx)
    for key in _keys(pfx, f):
        if key not in st.session_state and key in kept:
            st.session_state[key] = kept[key]


def _remember(pfx: str, f: F) -> None:
    kept = _kept(pfx)
    for key in _keys(pfx, f):
        if key in st.session_state:
            kept[key] = st.session_state[key]


def draw_field(pfx: str, f: F, errors: dict, *, label: str | None = None) -> None:
    """The widget of one field, with its error (in the user's language) under it."""
    _restore(pfx, f)
    key, label = f"{pfx}-{f.name}", label or tr(f.label_key)
    if f.widget == "text":
        st.text_input(label, key=key, max_chars=500)
    elif f.widget == "area":
        st.text_area(label, key=key, height=90)
    elif f.widget == "date":
        st.date_input(label, value=None, key=key, min_value=MIN_DATE, max_value=MAX_DATE, format=date_format())
    elif f.widget == "int":
        st.number_input(label, value=None, key=key, min_value=0, step=1, placeholder="")
    elif f.widget == "float":
        st.number_input(label, value=None, key=key, placeholder="")
    elif f.widget == "bool":
        st.checkbox(label, key=key)
    elif f.widget == "choice":
        choice_picker(key, label, f.choices, f.prefix)
    elif f.widget == "country":
        country_picker(key, label)
    elif f.widget == "ref":
        assert f.ref is not None  # a ref field names its kind
        ref_picker(f.ref, key, label)
    elif f.widget == "partial":
        st.text_input(label, key=key, max_chars=30, placeholder=tr("form.partial_hint"))
        text = st.session_state.get(key) or ""
        if text.strip():
            try:
                day, precision = parse_partial(text)
            except ValueError:
                st.caption(tr("form.partial_unreadable"))
            else:
                st.caption(tr("form.partial_read_as", when=partial_shown(day, precision)))
    elif f.widget == "datetime":
        st.date_input(label, value=None, key=f"{key}-d", min_value=MIN_DATE, max_value=MAX_DATE, format=date_format())
        st.time_input(tr("rec.time"), value=None, key=f"{key}-t", step=900)
    _remember(pfx, f)
    if f.name in errors:
        st.error(plain(errors[f.name]), icon=":material/error:")


def field_value(pfx: str, f: F):
    """The field's current value, typed for the write path (a datetime without its zone)."""
    key = f"{pfx}-{f.name}"
    state = st.session_state
    if f.widget == "datetime":
        day, clock = state.get(f"{key}-d"), state.get(f"{key}-t")
        return datetime.combine(day, clock or time(0, 0)) if day else None
    value = state.get(key, _kept(pfx).get(key))
    if f.widget == "int" and value is not None:
        return int(value)
    if f.widget in ("text", "area", "partial"):
        return (value or "").strip()
    if f.widget == "bool":
        return bool(value)
    return value
