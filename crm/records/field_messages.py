"""Validation messages that name their field, in the user's language: 「事由」為必填 / "Purpose is required.".

The write path refuses input with (field, catalog key) pairs (`crm.errors.ValidationFailed`); a form shows each
message beside its field and lists them all at the top, so each one says which field it is about — a child row's
field by its collection and row number ("People, row 2: Person").
"""

import re

from crm.i18n import t
from crm.models.kinds import get_kind
from crm.records.formspec import FormSpec

_CHILD = re.compile(r"^(?P<key>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<field>[a-z_]+))?$")
OR = {"en": " or ", "zh-TW": "或"}


def required_fields(spec: FormSpec, *, creating: bool) -> set[str]:
    """The fields a form marks with " *": those the kind requires, the names of which one is enough, and (on a new
    record created postponed or cancelled) the reason."""
    kind = get_kind(spec.kind)
    required = set(kind.required) | set(kind.required_any)
    if creating and spec.field("status_reason") is not None:
        required.add("status_reason")
    return required


def field_label(spec: FormSpec, name: str, lang: str) -> str:
    """The label a form shows for `name` ("title_zh", "people[1].person_id"), in `lang`."""
    match = _CHILD.match(name)
    if match:
        editor = spec.child(match["key"])
        what = t(editor.label, lang) if editor else match["key"]
        column = next((c for c in editor.columns if c.name == match["field"]), None) if editor else None
        field = t(column.label_key, lang) if column else t(f"rec.f.{match['field']}", lang) if match["field"] else ""
        return t("form.row_field", lang, what=what, n=int(match["index"]) + 1, field=field).rstrip(": ：")
    f = spec.field(name)
    return t(f.label_key if f else f"rec.f.{name}", lang)


def named_messages(spec: FormSpec, errors: dict[str, tuple[str, dict]], lang: str) -> dict[str, str]:
    """field → its message naming the field ("Title (Chinese) is required."), in the order refused."""
    kind = get_kind(spec.kind)
    out = {}
    for name, (key, params) in errors.items():
        label = field_label(spec, name, lang)
        if key == "err.required":
            out[name] = t("err.required_named", lang, field=label)
        elif key == "err.required_any" and kind.required_any:
            labels = [field_label(spec, n, lang) for n in kind.required_any]
            out[name] = t("err.required_any_named", lang, fields=OR.get(lang, " / ").join(labels))
        else:
            out[name] = t("err.named", lang, field=label, message=t(key, lang, **params))
    return out


def required_legend(spec: FormSpec, lang: str) -> str:
    """What the " *" means on this form (and, where one of two names is enough, which)."""
    kind = get_kind(spec.kind)
    legend = t("form.required_legend", lang)
    if len(kind.required_any) > 1:
        labels = [field_label(spec, n, lang) for n in kind.required_any]
        legend += t("form.required_any_legend", lang, fields=OR.get(lang, " / ").join(labels))
    return legend


__all__ = ["field_label", "named_messages", "required_fields", "required_legend"]
