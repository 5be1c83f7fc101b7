"""Pickers: choose a city, person or organisation on file (searched in SQL), or add one on the spot."""

import re

import streamlit as st

from crm.errors import LiaisonError, ValidationFailed
from crm.geo import places
from crm.geo.countries import country_labels, country_name
from crm.i18n import t
from crm.models.kinds import kind_names
from crm.records.matching import find_matches
from crm.records.names import display_name
from crm.records.queries import options
from crm.store.writes import create
from crm.text import with_tai_variants
from crm.ui.shell import actor, lang, plain, tr

QUICK_KINDS = kind_names(entity=True)  # added on the spot from a picker
ADDED = "_recently_added"
_CODE_SUFFIX = re.compile(r"^(.*?)( \([A-Z]{2}\))?$", re.DOTALL)  # a city's label ends in its country code: "臺北市 (TW)"


def link(kind: str, record_id: int, label: str, icon: str | None = None) -> None:
    """A link to a record's own page (`/<kind>?id=..`), opened inside the app."""
    st.page_link(f"pages/{kind}.py", label=plain(label or f"#{record_id}"), query_params={"id": str(record_id)},
                 icon=icon)  # user text: shown as typed, never as Markdown


def labels_for(kind: str, ids) -> dict[int, str]:
    """id → display label for a few ids (one query)."""
    ids = sorted({int(i) for i in ids if i})
    return options(kind, lang(), ids=ids, limit=len(ids) or 1) if ids else {}


def ref_choices(kind: str, current: int | None, q: str = "") -> dict[int, str]:
    """Options for a picker: records matching `q` (at most 200), the current one, those just added."""
    found = options(kind, lang(), q=q)
    extra = [i for i in [current, *st.session_state.get(ADDED, {}).get(kind, [])] if i and i not in found]
    if extra:
        found = {**labels_for(kind, extra), **found}
    return found


def picker_label(label: str) -> str:
    """A record's label as a picker offers it: with its other 臺/台 spelling, so that the browser's filter finds
    臺北市 by typing 台北 and 台中市 by typing 臺中 ("臺北市 (台北市) (TW)"); other labels unchanged."""
    match = _CODE_SUFFIX.match(label)
    assert match is not None  # the pattern matches any label
    name, code = match.groups()
    return with_tai_variants(name) + (code or "")


def ref_picker(kind: str, key: str, label: str, *, add: bool = True, disabled: bool = False) -> int | None:
    """A selectbox of records of `kind` (value: the id), with a search box and "add one on the spot" beside it.

    The browser filters the options by their label as a plain substring (as the country picker does), and a
    label carries the other 臺/台 spelling; the search box beside it searches all records on file (folded)."""
    current = st.session_state.get(key)
    q = st.session_state.get(f"{key}-q", "")
    found = ref_choices(kind, current, q)
    labels: dict[int | None, str] = {None: tr("ui.none"),
                                     **{record_id: picker_label(text) for record_id, text in found.items()}}
    choices = list(labels)
    if current not in labels:
        st.session_state[key] = None
    left, right = st.columns([6, 1], vertical_alignment="bottom", gap="small")
    left.selectbox(label, choices, key=key, format_func=labels.__getitem__, disabled=disabled,
                   placeholder=tr("rec.choose"), filter_mode="contains")
    if not disabled:
        with right.popover("", icon=":material/manage_search:", help=tr("rec.find_or_add")):
            st.text_input(tr("rec.search_on_file"), key=f"{key}-q")
            if add and kind in QUICK_KINDS:
                quick_add(kind, key)
    return st.session_state.get(key)


def country_picker(key: str, label: str) -> str | None:
    """A selectbox of countries (value: the ISO-2 code), found by typing either name or the code (捷克, Czech, CZ).

    The browser filters by the label (crm.geo.countries.country_labels) as a plain substring, not "fuzzy": a fuzzy
    subsequence would offer a dozen or more countries for a two-letter code ("GB", "US")."""
    labels: dict[str | None, str] = {None: tr("ui.none")} | country_labels(lang())
    if st.session_state.get(key) not in labels:
        st.session_state[key] = None
    st.selectbox(label, list(labels), key=key, format_func=labels.__getitem__, placeholder=tr("rec.choose"),
                 filter_mode="contains")
    return st.session_state.get(key)


def choice_picker(key: str, label: str, choices: tuple[str, ...], prefix: str, allow_none: bool = False) -> str | None:
    labels: dict[str | None, str] = {c: tr(f"{prefix}.{c}") for c in choices}
    if allow_none:
        labels = {None: tr("ui.none"), **labels}
    if st.session_state.get(key) not in labels:
        st.session_state[key] = next(iter(labels))
    st.selectbox(label, list(labels), key=key, format_func=labels.__getitem__)
    return st.session_state.get(key)


# --- add one on the spot -------------------------------------------------------------------

def _quick_fields(kind: str) -> list[str]:
    return {"cities": ["name_zh", "name_en", "country_code"], "people": ["name_zh", "name_en", "title_zh", "title_en"],
            "organisations": ["name_zh", "name_en", "acronym", "country_code"]}[kind]


def _remember_added(kind: str, record_id: int) -> None:
    added = st.session_state.setdefault(ADDED, {})
    added.setdefault(kind, []).append(record_id)


def _use(target: str, kind: str, record_id: int) -> None:
    _remember_added(kind, record_id)
    st.session_state[target] = record_id
    st.session_state.pop(f"{target}-add-matches", None)


def _quick_create(kind: str, target: str, force: bool) -> None:
    """Callback: create the record from the quick fields, unless it duplicates one on file."""
    base = f"{target}-add"
    data = {f: st.session_state.get(f"{base}-{f}") for f in _quick_fields(kind)}
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if v not in (None, "")}
    if kind == "cities":
        lat, lon = st.session_state.get(f"{base}-lat"), st.session_state.get(f"{base}-lon")
        if lat is not None and lon is not None:
            data.update(places.manual(lat, lon))
        data, missing = places.complete(data)
        if missing:
            st.session_state[f"{base}-msg"] = t("places.ask_coordinates", lang())
            st.session_state[f"{base}-ask"] = True
            return
    if not force:
        matches = find_matches(kind, data)
        if matches:
            st.session_state[f"{base}-matches"] = [(mt.record_id, display_name(kind, mt.existing, lang()),
                                                    t(mt.reason, lang(), field=tr(f"rec.f.{mt.field}"), score=mt.score))
                                                   for mt in matches]
            return
    try:
        new_id = create(actor(), kind, data)
    except ValidationFailed as exc:
        st.session_state[f"{base}-msg"] = exc.message(lang())
        return
    except LiaisonError as exc:
        st.session_state[f"{base}-msg"] = exc.message(lang())
        return
    for f in _quick_fields(kind) + ["lat", "lon"]:
        st.session_state.pop(f"{base}-{f}", None)
    for suffix in ("matches", "msg", "ask"):
        st.session_state.pop(f"{base}-{suffix}", None)
    _use(target, kind, new_id)
    st.session_state[f"{base}-done"] = display_name(kind, {**data, "id": new_id}, lang())


def quick_add(kind: str, target: str) -> None:
    """A small form to add a city, person or organisation and pick it at once."""
    if not actor().can_write:
        return
    base = f"{target}-add"
    st.caption(tr("rec.add_on_the_spot", kind=tr(f"kind.{kind}")))
    for f in _quick_fields(kind):
        if f == "country_code":
            country_picker(f"{base}-{f}", tr("rec.f.country_code"))
        else:
            st.text_input(tr(f"rec.f.{f}"), key=f"{base}-{f}")
    if st.session_state.get(f"{base}-ask"):
        st.number_input(tr("rec.f.latitude"), min_value=-90.0, max_value=90.0, value=None, key=f"{base}-lat",
                        format="%.5f")
        st.number_input(tr("rec.f.longitude"), min_value=-180.0, max_value=180.0, value=None, key=f"{base}-lon",
                        format="%.5f")
    if msg := st.session_state.get(f"{base}-msg"):
        st.warning(plain(msg))
    matches = st.session_state.get(f"{base}-matches")
    if matches:
        st.warning(tr("rec.duplicate_warning", kind=tr(f"kind.{kind}")))
        for record_id, label, why in matches:
            st.button(tr("rec.use_existing", name=plain(label), why=why), key=f"{base}-use-{record_id}", on_click=_use,
                      args=(target, kind, record_id))
        st.button(tr("rec.add_anyway"), key=f"{base}-force", on_click=_quick_create, args=(kind, target, True))
    else:
        st.button(tr("rec.add_and_pick"), key=f"{base}-go", on_click=_quick_create, args=(kind, target, False),
                  icon=":material/add:")
    if done := st.session_state.pop(f"{base}-done", None):
        st.success(tr("rec.added", name=plain(done)))


def country_label(code: str | None) -> str:
    return country_name(code, lang()) if code else ""
