"""Which columns each record kind takes from a spreadsheet, how headers map to them, and templates.

A column (`crm.records.import_columns.Column`) has a target (a field of the kind, or a pseudo-field such as
"name", resolved by script), a value type and the header spellings it answers to in English and Chinese.
Each kind's module declares its columns (`FormSpec.import_columns`); a kind that declares none takes columns
derived from its form's fields, so a new kind is importable with no change here.
"""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from crm.i18n import has, t
from crm.models.kinds import KINDS, get_kind
from crm.records.formspec import F, FormSpec, spec_for
from crm.records.import_columns import NAME, SHARED, Column
from crm.text import fold

IMPORT_KINDS = tuple(KINDS)  # every kind can be imported: its columns are its module's, or its form's
CHOICE_SETS = ("status", "org_kind", "partnership_kind", "signing_mode", "meeting_mode")  # crm.imports.rows reads them
_WIDGET_TYPES = {"text": "text", "area": "text", "date": "date", "int": "int", "float": "float", "bool": "bool",
                 "country": "country"}
_REF_TYPES = {"cities": "city", "organisations": "org"}  # the references an import finds by name


def field_column(f: F) -> Column | None:
    """The column an import reads for a form field: the shared column of a field that has one (title, dates,
    names, country, notes... under their usual label), else one answering to the field's name and its label in
    both languages, typed by its widget; None for a field an import cannot fill (a reference to a kind not
    found by name, a time, a date or reason asked only for some values)."""
    if f.name in SHARED and not f.label:
        return SHARED[f.name]
    if f.widget == "ref":
        type_ = _REF_TYPES.get(f.ref or "")
    elif f.widget == "choice":
        type_ = f"choice:{f.prefix}" if f.prefix in CHOICE_SETS else "text"
    else:
        type_ = _WIDGET_TYPES.get(f.widget)
    if type_ is None or f.shown_when is not None:
        return None
    labels = [t(f.label_key, lang) for lang in ("en", "zh-TW")] if has(f.label_key) else []
    return Column(f.name, type_, tuple(dict.fromkeys([*labels, f.name.replace("_", " ")])))


def derived_columns(spec: FormSpec) -> tuple[Column, ...]:
    """The columns of a kind that declares none, from its form: a name by script for an entity kind, the
    shared columns of its fields (their spellings first), then the others' in the form's order, each without
    the spellings an earlier column answers to (so its template header names it alone)."""
    columns = [c for f in spec.fields() if (c := field_column(f)) is not None]
    shared = [c for c in columns if c in SHARED.values()]
    out = [NAME] if get_kind(spec.kind).entity else []
    out += list(dict.fromkeys(shared))
    taken = {label_key(a) for c in out for a in (c.target, *c.aliases)}
    for column in columns:
        if column not in out:
            own = replace(column, aliases=tuple(a for a in column.aliases if label_key(a) not in taken))
            taken.update(label_key(a) for a in (own.target, *own.aliases))
            out.append(own)
    return tuple(out)


@dataclass
class _Known:
    """What is worked out once per kind's spec: its columns, by target, and its headers' index."""

    spec: FormSpec
    columns: tuple[Column, ...]
    by_target: dict[str, Column]
    index: dict[str, str]  # label_key of a target or alias → target
    matched: dict[str, str | None] = field(default_factory=dict)  # header → target (match_label)


_KNOWN: dict[str, _Known] = {}
MATCHED = 4096  # headers remembered per kind


def _known(kind_name: str) -> _Known:
    spec = spec_for(kind_name)  # KeyError for an unknown kind
    known = _KNOWN.get(kind_name)
    if known is None or known.spec is not spec:  # a kind registered (or replaced) since: worked out again
        columns = spec.import_columns or derived_columns(spec)
        index: dict[str, str] = {}
        for column in columns:
            index.setdefault(label_key(column.target), column.target)
            for alias in column.aliases:
                index.setdefault(label_key(alias), column.target)
        known = _KNOWN[kind_name] = _Known(spec, columns, {c.target: c for c in columns}, index)
    return known


def import_columns(kind_name: str) -> tuple[Column, ...]:
    """The columns an import of `kind_name` reads: its module's, or derived from its form."""
    return _known(kind_name).columns


class _Columns(Mapping[str, tuple[Column, ...]]):
    """kind → its import columns, read from the kinds when asked (a kind registered later has its own too)."""

    def __getitem__(self, kind_name: str) -> tuple[Column, ...]:
        return import_columns(kind_name)

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)


COLUMNS: Mapping[str, tuple[Column, ...]] = _Columns()


def label_key(label: str) -> str:
    """A header reduced for matching: folded, without spaces, punctuation or a unit in brackets."""
    folded = fold(label)
    folded = re.sub(r"[（(][^)）]*[)）]$", "", folded) or folded
    return re.sub(r"[\s_\-:：/.*#＊]+", "", folded)


def match_label(kind_name: str, label: str) -> str | None:
    """The target a header names for `kind_name` (tries the joined label, then each half), or None."""
    known = _known(kind_name)
    if label in known.matched:
        return known.matched[label]
    words = label.split()
    candidates = [label, words[0], " ".join(words[1:]), *words[1:]] if len(words) > 1 else [label]
    found = next((target for c in candidates if (target := known.index.get(label_key(c)))), None)
    if len(known.matched) >= MATCHED:
        known.matched.clear()
    known.matched[label] = found
    return found


def auto_map(kind_name: str, headers: list[str]) -> dict[str, str | None]:
    """Header → target for every column; a target claimed twice keeps its first column."""
    mapping, taken = {}, set()
    for header in headers:
        target = match_label(kind_name, header)
        if target in taken:
            target = None
        if target:
            taken.add(target)
        mapping[header] = target
    return mapping


def any_kind_scorer(kind_name: str | None):
    """For header detection: the column a cell names (for the kind, or for any kind), else None."""
    kinds = [kind_name] if kind_name else list(COLUMNS)

    def score(label: str) -> str | None:
        return next((f"{k}.{t}" for k in kinds if (t := match_label(k, label))), None)

    return score


def column_of(kind_name: str, target: str) -> Column:
    return _known(kind_name).by_target[target]


def field_label(target: str, lang: str) -> str:
    """A target's name on the import screen and in its report: `import.field.<target>`, else the form's label
    (a kind whose columns are derived has no import strings of its own)."""
    key = f"import.field.{target}"
    return t(key, lang) if has(key) else t(f"rec.f.{target}", lang)


def targets(kind_name: str) -> list[str]:
    return [c.target for c in COLUMNS[kind_name]]


def template_csv(kind_name: str) -> bytes:
    """An empty sheet for `kind_name`: one header row, each column named in Chinese and English
    (UTF-8 with BOM, so Excel opens it right)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_headers(kind_name))
    return out.getvalue().encode("utf-8-sig")


def template_headers(kind_name: str) -> list[str]:
    headers = []
    for column in COLUMNS[kind_name]:
        english = next((a for a in column.aliases if a.isascii()), column.target)
        chinese = next((a for a in column.aliases if not a.isascii()), "")
        headers.append(f"{chinese} {english.title()}".strip() if chinese else english.title())
    return headers
