"""How a record is called: the one naming rule that lists, pickers, dossiers, the detail page, exports, the
calendar, briefings and the report share.

A city, an organisation or a person is called by its name: in the language asked for, else the other, else the
native script. Any other record by its title (else its leader). A partnership is called by its city; where a
document cites it among other records, with its kind as well: "Prague (sister city)". A screen that must show
something shows "#id" for a record that has no name; a document never does (an unnamed record is "").

`Names` names related records in bulk by (kind, id) for exports, the calendar and briefings; `Rows` is the bulk
loader under it, which also hands the report the rows its sentences are written from (names and more).
"""

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlmodel import Session

from crm.i18n import pick, t
from crm.models.base import table_of
from crm.models.kinds import get_kind
from crm.store.writes import unit

NAME_COLUMNS = ("id", "name_en", "name_zh", "name_native", "title_en", "title_zh", "leader_name")
"""The columns a record's name is made of (each kind has those its table has)."""
RULE_COLUMNS = {"partnerships": ("city_id", "kind"), "cities": ("country_code",)}
"""Columns the rule reads besides: a partnership's city and kind, a city's country (a picker's "Paris (FR)")."""
CHUNK = 900  # ids per IN (…) query


def name_columns(kind_name: str) -> tuple[str, ...]:
    """The columns of `kind_name` its records are named from (id first)."""
    columns = table_of(get_kind(kind_name).model).columns
    return tuple(c for c in (*NAME_COLUMNS, *RULE_COLUMNS.get(kind_name, ())) if c in columns)


# --- the rule, for one row ------------------------------------------------------------------------------

def entity_name(row: Mapping, lang: str) -> str:
    """A city's, organisation's or person's name in `lang` (else the other language, else the native script)."""
    return pick(lang, row.get("name_en"), row.get("name_zh"), row.get("name_native"))


def title_of(row: Mapping, lang: str) -> str:
    """A record's title in `lang` (else the other language)."""
    return pick(lang, row.get("title_en"), row.get("title_zh"))


def name_of(kind_name: str, row: Mapping, lang: str) -> str:
    """A record's name from its own row, "" when it has none: an entity by its name, any other by its title,
    else its leader."""
    if get_kind(kind_name).entity:
        return entity_name(row, lang)
    return title_of(row, lang) or row.get("leader_name") or ""


def display_name(kind_name: str, row: Mapping, lang: str) -> str:
    """A record's name in `lang`, as a screen shows it: `name_of`, else "#id"."""
    return name_of(kind_name, row, lang) or f"#{row.get('id')}"


def partnership_name(city: Mapping | None, lang: str, kind: str | None = None) -> str:
    """A partnership is called by its city ("Prague"); given its `kind`, with the kind: "Prague (sister city)".
    "" without the city's row."""
    name = entity_name(city, lang) if city else ""
    if not name or kind is None:
        return name
    return f"{name} ({t(f'partnership_kind.{kind}', lang)})"


def record_name(kind_name: str, row: Mapping, lang: str, city: Mapping | None = None) -> str:
    """A record's name among others (pickers, dossiers): a partnership by its city (`city`, the row of its city,
    when known), any other by `display_name`."""
    if kind_name == "partnerships" and city:
        return partnership_name(city, lang) or display_name(kind_name, row, lang)
    return display_name(kind_name, row, lang)


def option_label(kind_name: str, row: Mapping, lang: str, city: Mapping | None = None) -> str:
    """A picker's label: `record_name`, a city with its country code ("Paris (FR)") to tell namesakes apart."""
    label = record_name(kind_name, row, lang, city)
    return f"{label} ({row.get('country_code')})" if kind_name == "cities" else label


def document_name(kind_name: str, row: Mapping, lang: str, city: Mapping | None = None) -> str:
    """A related record as a document names it (never by its id; "" when not on file): a partnership by its
    city and kind, any other by `name_of`."""
    if kind_name == "partnerships":
        return partnership_name(city, lang, row.get("kind"))
    return name_of(kind_name, row, lang) if row else ""


# --- in bulk, by (kind, id) ------------------------------------------------------------------------------

class Rows:
    """Rows of records by (kind, id), read in bulk (an IN query per few hundred ids and kind), each read once.

    A row holds the columns its name is made of (`name_columns`) and those `columns` asks for per kind; an id
    not on file reads as {}. Deleted records are read too: what points at one still names it.
    """

    def __init__(self, session: Session | None = None, columns: Mapping[str, Sequence[str]] | None = None) -> None:
        self.session = session
        self.columns = dict(columns or {})
        self.cache: dict[tuple[str, int], dict] = {}

    def load(self, wanted: Mapping[str, Iterable[int | None]]) -> None:
        """Read the rows of `wanted` (kind → ids; None ids ignored) not read yet."""
        todo = {k: sorted({i for i in ids if i is not None and (k, i) not in self.cache}) for k, ids in wanted.items()}
        todo = {k: ids for k, ids in todo.items() if ids}
        if not todo:
            return
        with unit(self.session) as s:
            for kind_name, ids in todo.items():
                table = table_of(get_kind(kind_name).model)
                names = dict.fromkeys((*name_columns(kind_name), *self.columns.get(kind_name, ())))
                stmt = select(*[table.c[n] for n in names])
                for start in range(0, len(ids), CHUNK):
                    for r in s.execute(stmt.where(table.c.id.in_(ids[start:start + CHUNK]))):
                        row = dict(r._mapping)
                        self.cache[(kind_name, row["id"])] = row
        for kind_name, ids in todo.items():
            for i in ids:
                self.cache.setdefault((kind_name, i), {})

    def row(self, kind_name: str, record_id: int | None) -> dict:
        """The row of a record (a copy: {} for no id or one not on file), read now if not read yet."""
        if not record_id:
            return {}
        if (kind_name, record_id) not in self.cache:
            self.load({kind_name: (record_id,)})
        return dict(self.cache[(kind_name, record_id)])


class Names:
    """Names of related records by (kind, id) in one language, looked up in bulk and cached (`document_name`)."""

    def __init__(self, lang: str, session: Session | None = None) -> None:
        self.lang = lang
        self.session = session
        self.cache: dict[tuple[str, int], str] = {}

    def load(self, wanted: Mapping[str, Iterable[int | None]]) -> None:
        """Look up the names of `wanted` (kind → ids; None ids ignored) not known yet."""
        todo = {k: {i for i in ids if i is not None and (k, i) not in self.cache} for k, ids in wanted.items()}
        todo = {k: ids for k, ids in todo.items() if ids}
        if not todo:
            return
        rows = Rows(self.session)
        rows.load(todo)
        rows.load({"cities": {rows.row("partnerships", i).get("city_id") for i in todo.get("partnerships", ())}})
        for kind_name, ids in todo.items():
            for i in ids:
                row = rows.row(kind_name, i)
                city = rows.row("cities", row.get("city_id")) if kind_name == "partnerships" else None
                self.cache[(kind_name, i)] = document_name(kind_name, row, self.lang, city)

    def name(self, kind_name: str, record_id: int | None) -> str:
        """The record's name ("" for no id or a record not on file)."""
        if record_id is None:
            return ""
        if (kind_name, record_id) not in self.cache:
            self.load({kind_name: {record_id}})
        return self.cache[(kind_name, record_id)]


__all__ = ["NAME_COLUMNS", "Names", "Rows", "display_name", "document_name", "entity_name", "name_columns", "name_of",
           "option_label", "partnership_name", "record_name", "title_of"]
