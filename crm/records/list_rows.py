"""What a list shows of each record, the same for every kind: its name in the reader's language and in the other,
the kind's own columns (`FormSpec.list_columns`, declared in crm/records/kinds/*), its country (through its city
when it has none of its own), tags, owner and when it last changed. Values come out as text, ready to draw.

Column keys are field names, or `_name`, `_other`, `_country`, `_tags`, `_owner` for what the list derives.
"""

from collections.abc import Sequence

from crm.config import OFFICE_ZONE
from crm.geo.countries import country_name
from crm.i18n import date_text, datetime_text, t
from crm.models.base import table_of
from crm.models.kinds import get_kind
from crm.records.formspec import F, spec_for
from crm.records.names import Rows, display_name, entity_name
from crm.store import labels

TRAILING = ("_tags", "_owner", "updated_at")
CITY_REFS = ("city_id", "origin_city_id", "counterpart_city_id", "organiser_city_id")
DATE_FIELDS = ("start_on", "end_on", "signed_on", "valid_until", "established_on", "council_approved_on")
TONES = {"blue": ("#1d4ed8", "#dbeafe"), "green": ("#166534", "#dcfce7"), "orange": ("#9a3412", "#ffedd5"),
         "red": ("#b91c1c", "#fee2e2"), "gray": ("#374151", "#f3f4f6")}
STATUS_TONE = {"planned": "blue", "confirmed": "green", "held": "gray", "postponed": "orange", "cancelled": "red",
               "proposed": "gray", "approved": "blue", "active": "green", "dormant": "orange", "ended": "gray",
               "draft": "gray", "signed": "green", "expired": "orange", "terminated": "red"}
"""The colour of each status in a list (text, background), drawn as a badge in its cell."""


def _city_ref(kind_name: str) -> str | None:
    columns = table_of(get_kind(kind_name).model).columns
    return next((c for c in CITY_REFS if c in columns), None)


def _field(kind_name: str, key: str) -> F:
    return spec_for(kind_name).field(key) or F(key)


def default_columns(kind_name: str) -> list[str]:
    """The columns a list of `kind_name` shows until its reader chooses others, in order."""
    own = [c for c in spec_for(kind_name).list_columns if c not in ("name_en", "name_zh")]
    columns = table_of(get_kind(kind_name).model).columns
    country = [] if "country_code" in columns or "country_code" in own or _city_ref(kind_name) is None else ["_country"]
    return ["_name", "_other", *own, *country, *TRAILING]


def available_columns(kind_name: str) -> list[str]:
    """Every column a reader may add: the defaults, then the kind's document columns."""
    spec = spec_for(kind_name)
    extra = [c for c in spec.document_columns if c not in ("name_en", "name_zh", "title_en", "title_zh")]
    return list(dict.fromkeys([*default_columns(kind_name), *extra]))


def name_sort(kind_name: str, lang: str) -> str | None:
    """The stored column a sort by name uses in `lang`."""
    columns = table_of(get_kind(kind_name).model).columns
    prefix = ("name", "title") if "name_en" in columns else ("title",)
    suffix = ("zh", "en") if lang == "zh-TW" else ("en", "zh")
    return next((f"{p}_{s}" for p in prefix for s in suffix if f"{p}_{s}" in columns), None)


def sort_key(kind_name: str, column: str, lang: str) -> str | None:
    """The stored column behind list column `column`, to sort by (None: not sortable)."""
    if column == "_name":
        return name_sort(kind_name, lang)
    if column.startswith("_"):
        return None
    return column if column in table_of(get_kind(kind_name).model).columns else None


def header(kind_name: str, column: str, lang: str) -> str:
    """The column's heading in `lang`."""
    if column == "_name":
        return t("list.name", lang)
    if column == "_other":
        return t("list.name_other", lang)
    if column in ("_country", "country_code"):
        return t("list.country", lang)
    if column in ("_tags", "_owner", "updated_at", "status"):
        return t({"_tags": "list.tags", "_owner": "list.owner", "updated_at": "list.changed",
                  "status": "list.status"}[column], lang)
    return t(_field(kind_name, column).label_key, lang)


def _other(lang: str) -> str:
    return "en" if lang == "zh-TW" else "zh-TW"


def table_rows(kind_name: str, rows: Sequence[dict], columns: Sequence[str], lang: str, *,
               session=None) -> list[dict]:
    """The rows as {column key: text} (and `_id`), names for references and countries, statuses with their mark."""
    fields = {c: _field(kind_name, c) for c in columns if not c.startswith("_")}
    city_ref = _city_ref(kind_name)
    wanted: dict[str, set] = {}
    for f in fields.values():
        if f.widget == "ref" and f.ref:
            wanted.setdefault(f.ref, set()).update(r.get(f.name) for r in rows)
    if city_ref:
        wanted.setdefault("cities", set()).update(r.get(city_ref) for r in rows)
    found = Rows(session)
    found.load(wanted)
    ids = [r["id"] for r in rows]
    tags = {tag["id"]: tag for tag in labels.all_tags(session=session)} if "_tags" in columns else {}
    record_tags = labels.tags_of(kind_name, ids, session=session) if "_tags" in columns else {}
    owners = labels.owners_of(kind_name, ids, session=session) if "_owner" in columns else {}
    people = labels.colleagues(session=session) if "_owner" in columns else {}
    out = []
    for row in rows:
        city = found.row("cities", row.get(city_ref)) if city_ref else {}
        item: dict = {"_id": row["id"]}
        for column in columns:
            item[column] = _cell(kind_name, row, column, lang, fields.get(column), found, city)
        if "_tags" in columns:
            item["_tags"] = ", ".join(labels.tag_label(tags[i], lang) for i in record_tags.get(row["id"], []) if i in tags)
        if "_owner" in columns:
            item["_owner"] = people.get(owners.get(row["id"], 0), "")
        out.append(item)
    return out


def _cell(kind_name: str, row: dict, column: str, lang: str, f: F | None, found: Rows, city: dict) -> str:
    if column == "_name":
        if kind_name == "partnerships" and city and not (row.get("title_en") or row.get("title_zh")):
            return entity_name(city, lang)
        return display_name(kind_name, row, lang)
    if column == "_other":
        source = city if kind_name == "partnerships" and city and not (row.get("title_en") or row.get("title_zh")) else row
        name = entity_name(source, _other(lang)) if "name_en" in source else display_name(kind_name, source, _other(lang))
        return "" if name == display_name(kind_name, row, lang) or name.startswith("#") else name
    if column == "_country":
        return country_name(city.get("country_code"), lang) if city.get("country_code") else ""
    if column.startswith("_") or f is None:
        return ""
    value = row.get(column)
    if value in (None, ""):
        return ""
    if f.widget == "ref" and f.ref:
        linked = found.row(f.ref, value)
        return entity_name(linked, lang) or display_name(f.ref, linked, lang) if linked else ""
    if column == "status":
        return t(f"status.{value}", lang)
    if f.widget == "choice":
        return t(f"{f.prefix}.{value}", lang)
    if f.widget == "country" or column == "country_code":
        return country_name(value, lang)
    if column == "updated_at":
        return datetime_text(value.astimezone(OFFICE_ZONE) if hasattr(value, "astimezone") else value, lang)
    if column in DATE_FIELDS or f.widget in ("date", "datetime"):
        return date_text(value, lang) if not isinstance(value, str) else value[:10]
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int) and column not in ("meeting_number", "established_year"):
        return f"{value:,}"
    return str(value)


__all__ = ["STATUS_TONE", "TONES", "available_columns", "default_columns", "header", "name_sort", "sort_key",
           "status_style", "table_rows"]


def status_style(kind_name: str, lang: str) -> dict[str, str]:
    """Status label in `lang` → CSS of its badge (text colour, background), for the kind's statuses."""
    found = {}
    for status in get_kind(kind_name).statuses:
        text, back = TONES[STATUS_TONE.get(status, "gray")]
        found[t(f"status.{status}", lang)] = f"color: {text}; background-color: {back}"
    return found
