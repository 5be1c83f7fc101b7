"""Global search: records of every kind by any of their names, in any script, best matches first.

It reads the folded search key every record carries (`crm.store.search`: "prague | 布拉格 | praha | cz…", the
record's own names first, then those of what it links to), as the lists do: every word of the query must be in
the key (`LIKE '%word%'`, which a trigram index on PostgreSQL answers: migration 0012). The rank is computed in
SQL, per kind, with a LIMIT: 0 the whole query is one of the key's names, 1 a name starts with it, 2 a word of
a name starts with it, 3 it is inside a name.
"""

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select
from sqlmodel import Session, col

from crm.models.base import table_of
from crm.models.kinds import KINDS, get_kind
from crm.records.names import Rows, name_columns, option_label
from crm.store.cache import cached
from crm.store.writes import unit
from crm.text import fold

PER_KIND = 5
SEP = " | "  # how crm.store.search joins the names in a key
MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: int
    label: str
    rank: int


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def rank_expression(key, folded: str):
    """The SQL rank of a search key for the folded query (lower is better), as in the module's docstring."""
    q = _escape(folded)

    def like(pattern: str):
        return key.like(pattern, escape="\\")

    return case(
        (key == literal(folded), 0),
        (like(f"{q}{SEP}%") | like(f"%{SEP}{q}{SEP}%") | like(f"%{SEP}{q}"), 0),
        (like(f"{q}%") | like(f"%{SEP}{q}%"), 1),
        (like(f"% {q}%"), 2),
        else_=3,
    )


@cached  # plain data, re-read after any write (crm.store.cache)
def search_all(q: str, lang: str, *, per_kind: int = PER_KIND, kinds: tuple[str, ...] | None = None,
               session: Session | None = None) -> dict[str, list[Hit]]:
    """kind → its best matches for `q` (at most `per_kind` each, kinds in registry order, kinds without a match
    left out); deleted records are not searched. An empty query finds nothing."""
    folded = fold(q)[:MAX_QUERY]
    words = folded.split()
    if not words:
        return {}
    found: dict[str, list[Hit]] = {}
    with unit(session) as s:
        rows = Rows(s)
        for kind_name in kinds or tuple(KINDS):
            model = get_kind(kind_name).model
            table = table_of(model)
            key = table.c.search_text
            rank = rank_expression(key, folded).label("rank")
            columns = [table.c[c] for c in name_columns(kind_name)]
            stmt = (select(*columns, rank).where(col(model.deleted_at).is_(None),
                                                 *[key.contains(w, autoescape=True) for w in words])
                    .order_by(rank, func.length(key), table.c.id).limit(per_kind))
            hits = [dict(r._mapping) for r in s.execute(stmt)]
            if kind_name == "partnerships":
                rows.load({"cities": {h.get("city_id") for h in hits}})
            if hits:
                found[kind_name] = [
                    Hit(kind_name, h["id"], option_label(kind_name, h, lang, rows.row("cities", h.get("city_id"))
                                                        if kind_name == "partnerships" else None), h["rank"])
                    for h in hits]
    return found


__all__ = ["PER_KIND", "Hit", "rank_expression", "search_all"]
