"""Likely duplicates among cities, organisations and people, as a ranked worklist for the merge page.

Three signs, each with a score (0–100): the same name (folded: case, accents, 臺/台) in either language or the
native script (95, 100 when both languages agree); for cities the same coordinates (within about 100 m, 90); a
near match of the names within the same country (the similarity less 10: rapidfuzz when installed, else
difflib, compared with the next few names in alphabetical order so that thousands of records stay fast). A pair
with several signs scores the best one plus 5 for each other. Two cities of the same name in different
countries (Paris FR, Paris US) are no duplicates, nor two people or organisations whose countries differ.
"""

import importlib
import importlib.util
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlmodel import Session, col

from crm.models.base import table_of
from crm.models.kinds import get_kind, kind_names
from crm.records.names import option_label
from crm.store.cache import cached
from crm.store.writes import unit
from crm.text import fold

_RAPIDFUZZ = importlib.import_module("rapidfuzz.fuzz") if importlib.util.find_spec("rapidfuzz") else None


def similarity(a: str, b: str) -> float:
    """How alike two folded names are, 0–1 (rapidfuzz's ratio where installed, else difflib's, which agree)."""
    if _RAPIDFUZZ is not None:
        return _RAPIDFUZZ.ratio(a, b) / 100
    matcher = SequenceMatcher(None, a, b)
    return matcher.ratio() if matcher.quick_ratio() >= NEAR else 0.0


NEAR = 0.85  # names at least this alike are a near match
WINDOW = 6  # each name is compared with the next few in alphabetical order (within its country)
PLACE = 0.001  # degrees (about 100 m): the same coordinates, as typed or looked up twice
MIN_LENGTH = 4  # shorter names are too often alike by chance
LIMIT = 50
SAME_NAME, BOTH_NAMES, SAME_PLACE = 95, 100, 90
NAME_FIELDS = ("name_en", "name_zh", "name_native")


@dataclass
class Suggestion:
    kind: str
    keep: int  # the older record (lower id): the merge page's A
    remove: int
    score: int
    reasons: list[tuple[str, dict]] = field(default_factory=list)  # catalog key, params
    labels: tuple[str, str] = ("", "")


def _compatible(kind_name: str, a: dict, b: dict) -> bool:
    ca, cb = a.get("country_code") or "", b.get("country_code") or ""
    if kind_name == "cities":
        return ca == cb
    return not (ca and cb and ca != cb)


def _pairs_by_key(rows: Iterable[tuple[object, int]]) -> set[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for key, record_id in rows:
        groups[key].append(record_id)
    return {(a, b) for ids in groups.values() for i, a in enumerate(sorted(set(ids))) for b in sorted(set(ids))[i + 1:]}


def _same_place(rows: list[dict]) -> set[tuple[int, int]]:
    """Pairs of rows whose coordinates are within `PLACE` degrees of each other (sorted by latitude, one pass)."""
    located = sorted((r["latitude"], r["longitude"], r["id"]) for r in rows
                     if r.get("latitude") is not None and r.get("longitude") is not None)
    pairs = set()
    for i, (lat, lon, one) in enumerate(located):
        for other_lat, other_lon, two in located[i + 1:]:
            if other_lat - lat > PLACE:
                break
            if abs(other_lon - lon) <= PLACE:
                pairs.add((min(one, two), max(one, two)))
    return pairs


def find_pairs(kind_name: str, rows: list[dict]) -> list[Suggestion]:
    """The likely duplicate pairs among `rows` (id, names, country, for cities coordinates), best first."""
    by_id = {r["id"]: r for r in rows}
    found: dict[tuple[int, int], dict[str, tuple[int, tuple[str, dict]]]] = defaultdict(dict)

    def note(pair: tuple[int, int], sign: str, score: int, reason: tuple[str, dict]) -> None:
        a, b = by_id[pair[0]], by_id[pair[1]]
        if _compatible(kind_name, a, b) and score > found[pair].get(sign, (0, reason))[0]:
            found[pair][sign] = (score, reason)

    folded = {r["id"]: {f: fold(r.get(f)) for f in NAME_FIELDS} for r in rows}
    same = _pairs_by_key((name, i) for i, names in folded.items() for name in set(names.values()) if name)
    for pair in same:
        first, second = folded[pair[0]], folded[pair[1]]
        shared = sorted({n for n in first.values() if n} & {n for n in second.values() if n})
        both = all(first[f] and first[f] == second[f] for f in ("name_en", "name_zh"))
        shown = next((by_id[pair[0]][f] for f in NAME_FIELDS if shared and first[f] == shared[0]), "")
        note(pair, "name", BOTH_NAMES if both else SAME_NAME, ("dup.same_name", {"name": shown}))
    if kind_name == "cities":
        for pair in _same_place(rows):
            note(pair, "place", SAME_PLACE, ("dup.same_place", {}))
    for name_field in ("name_en", "name_zh"):
        blocks: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for r in rows:
            name = folded[r["id"]][name_field]
            if len(name) >= (MIN_LENGTH if name.isascii() else 2):
                blocks[r.get("country_code") or ""].append((name, r["id"]))
        for names in blocks.values():
            names.sort()
            for i, (name, one) in enumerate(names):
                for other, two in names[i + 1:i + 1 + WINDOW]:
                    if name != other and (alike := similarity(name, other)) >= NEAR:
                        pair = (min(one, two), max(one, two))
                        note(pair, "near", int(alike * 100) - 10, ("dup.similar", {"percent": int(alike * 100)}))
    out = []
    for (keep, remove), signs in found.items():
        if not signs:
            continue
        scores = sorted((s for s, _ in signs.values()), reverse=True)
        score = min(100, scores[0] + 5 * (len(scores) - 1))
        reasons = [reason for _, reason in sorted(signs.values(), key=lambda v: -v[0])]
        out.append(Suggestion(kind_name, keep, remove, score, reasons))
    out.sort(key=lambda s: (-s.score, s.keep, s.remove))
    return out


@cached  # plain data, re-read after any write (crm.store.cache)
def suggestions(kind_name: str, lang: str, *, limit: int = LIMIT, session: Session | None = None) -> list[Suggestion]:
    """The kind's likely duplicates on file (deleted records left out), best first, each named in `lang`."""
    if kind_name not in kind_names(entity=True):
        raise KeyError(kind_name)
    model = get_kind(kind_name).model
    table = table_of(model)
    wanted = ["id", *NAME_FIELDS, "country_code", *(("latitude", "longitude") if kind_name == "cities" else ())]
    with unit(session) as s:
        rows = [dict(r._mapping) for r in s.execute(select(*[table.c[c] for c in wanted])
                                                    .where(col(model.deleted_at).is_(None)))]
    by_id = {r["id"]: r for r in rows}
    found = find_pairs(kind_name, rows)[:limit]
    for item in found:
        item.labels = (option_label(kind_name, by_id[item.keep], lang), option_label(kind_name, by_id[item.remove], lang))
    return found


__all__ = ["Suggestion", "find_pairs", "similarity", "suggestions"]
