"""Finding a record already on file that a new city, person or organisation duplicates.

Used by the create forms (a warning that offers the existing record) and by the import
(each row marked new or duplicate, with which one and why).
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.models.kinds import get_kind
from crm.store.writes import unit
from crm.text import fold

NAME_FIELDS = ("name_en", "name_zh", "name_native")
NEAR = 0.8


@dataclass(frozen=True)
class Match:
    record_id: int
    reason: str  # catalog key: match.same_name | match.near_name | match.same_place
    field: str
    score: float
    existing: dict


def _names(data: dict) -> dict[str, str]:
    return {f: fold(data.get(f)) for f in NAME_FIELDS if fold(data.get(f))}


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def find_matches(kind_name: str, data: dict, *, session: Session | None = None, exclude_id: int | None = None,
                 limit: int = 5) -> list[Match]:
    """Records of `kind_name` that `data` probably duplicates, best first.

    Same name (any language, folded) in the same country is a match; so is a near spelling
    (similarity ≥ 0.8) in the same country, and for cities the same gazetteer place.
    """
    if not get_kind(kind_name).entity:
        return []
    model = get_kind(kind_name).model
    wanted = _names(data)
    country = (data.get("country_code") or "").upper() or None
    geonames_id = data.get("geonames_id") if kind_name == "cities" else None
    if not wanted and not geonames_id:
        return []
    with unit(session) as s:
        conditions: list[ColumnElement[bool]] = [col(model.deleted_at).is_(None)]
        if exclude_id is not None:
            conditions.append(col(model.id) != exclude_id)
        if country and hasattr(model, "country_code"):
            conditions.append(or_(model.country_code == country, model.country_code.is_(None))
                              if kind_name != "cities" else model.country_code == country)
        # Narrow in SQL by the start of any word of any name, then score in Python.
        stems = {w[:3] if w.isascii() else w[:2] for name in wanted.values() for w in name.split()}
        text_filter = [col(model.search_text).contains(w, autoescape=True) for w in sorted(stems)[:8]]
        if geonames_id:
            text_filter.append(col(m.City.geonames_id) == geonames_id)  # only cities have one: model is m.City
        candidates = s.exec(select(model).where(*conditions, or_(*text_filter)).limit(200)).scalars().all()
        matches = []
        for obj in candidates:
            row = obj.model_dump()
            if geonames_id and row.get("geonames_id") == geonames_id:
                matches.append(Match(obj.id, "match.same_place", "geonames_id", 1.0, row))
                continue
            theirs = _names(row)
            best = (0.0, "", "")
            for field, mine in wanted.items():
                for their_field, value in theirs.items():
                    score = 1.0 if mine == value else _similar(mine, value)
                    if score > best[0]:
                        best = (score, field, their_field)
            if best[0] >= 1.0:
                matches.append(Match(obj.id, "match.same_name", best[1], 1.0, row))
            elif best[0] >= NEAR:
                matches.append(Match(obj.id, "match.near_name", best[1], round(best[0], 2), row))
        matches.sort(key=lambda match: -match.score)
        return matches[:limit]


def city_by_name(name: str, country_code: str | None, *, session: Session | None = None) -> int | None:
    """The id of a city on file called `name` (any language, folded) in `country_code`, if one."""
    folded = fold(name)
    if not folded:
        return None
    with unit(session) as s:
        stmt = select(m.City).where(col(m.City.deleted_at).is_(None),
                                    col(m.City.search_text).contains(folded, autoescape=True))
        if country_code:
            stmt = stmt.where(col(m.City.country_code) == country_code.upper())
        for city in s.exec(stmt.limit(50)).scalars():
            if folded in {fold(city.name_en), fold(city.name_zh), fold(city.name_native)}:
                return city.id
        return None
