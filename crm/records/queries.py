"""Reading records for screens: paginated, searchable lists in SQL, one record, its history."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlmodel import Session, col

from crm import models as m
from crm.config import PAGE_SIZE
from crm.config import today as office_today
from crm.models.base import table_of
from crm.models.kinds import Kind, get_kind
from crm.periods import Period
from crm.records.names import Rows, name_columns, option_label
from crm.store import labels
from crm.store.cache import cached
from crm.store.writes import snapshot, unit
from crm.text import fold


@dataclass
class ListResult:
    rows: list[dict]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _country_condition(kind: Kind, code: str):
    model = kind.model
    if hasattr(model, "country_code"):
        return model.country_code == code
    city_col = next((getattr(model, c) for c in ("city_id", "counterpart_city_id", "organiser_city_id")
                     if hasattr(model, c)), None)
    if city_col is not None:
        return city_col.in_(select(col(m.City.id)).where(col(m.City.country_code) == code))
    if kind.name == "delegations":
        return exists().where(col(m.DelegationStop.delegation_id) == model.id,
                              col(m.DelegationStop.city_id) == m.City.id, col(m.City.country_code) == code)
    return None


def _period_condition(kind: Kind, period: Period):
    if not kind.date_field:
        return None
    start = getattr(kind.model, kind.date_field)
    if kind.is_event and kind.end_field:
        end = func.coalesce(getattr(kind.model, kind.end_field), start)
        return and_(start <= period.end, end >= period.start)
    return and_(start >= period.start, start <= period.end)


def sort_column(kind: Kind, name: str | None):
    """The column a list may sort by (any stored column but the search key), or None."""
    if not name or name == "search_text" or name not in table_of(kind.model).columns:
        return None
    return table_of(kind.model).columns[name]


@cached  # one page of a list: plain data, re-read after any write (crm.store.cache)
def list_records(kind_name: str, *, q: str = "", period: Period | None = None, status: str | None = None,
                 country: str | None = None, city_id: int | None = None, extra: dict | None = None,
                 deleted: bool = False, sort: str | None = None, descending: bool = True, page: int = 1,
                 page_size: int = PAGE_SIZE, tag_id: int | None = None, owner_id: int | None = None,
                 ids: tuple[int, ...] | list[int] | None = None, session: Session | None = None) -> ListResult:
    """One page of a kind's records as plain dicts (columns, not ORM objects), with the total count.

    `sort` names any column of the kind (else its date, else the newest first); `tag_id`, `owner_id` and `ids`
    keep the records with that tag, that owner (crm.store.labels) or those ids."""
    kind = get_kind(kind_name)
    model = kind.model
    conditions: list[ColumnElement[bool]] = [
        col(model.deleted_at).is_not(None) if deleted else col(model.deleted_at).is_(None)]
    folded = fold(q)
    if folded:
        conditions += [col(model.search_text).contains(word, autoescape=True) for word in folded.split()]
    if period is not None and (cond := _period_condition(kind, period)) is not None:
        conditions.append(cond)
    if status and hasattr(model, "status"):
        conditions.append(model.status == status)
    if country and (cond := _country_condition(kind, country)) is not None:
        conditions.append(cond)
    if city_id is not None:
        from crm.records.links import city_condition

        conditions.append(city_condition(kind, city_id))
    for name, value in (extra or {}).items():
        if hasattr(model, name) and value not in (None, ""):
            conditions.append(getattr(model, name) == value)
    if tag_id is not None:
        conditions.append(labels.tag_condition(kind.name, tag_id))
    if owner_id is not None:
        conditions.append(labels.owner_condition(kind.name, owner_id))
    if ids is not None:
        conditions.append(col(model.id).in_(list(ids)))
    order_col = sort_column(kind, sort) if sort_column(kind, sort) is not None else (
        getattr(model, kind.date_field) if kind.date_field else col(model.id))
    page = max(1, int(page))
    with unit(session) as s:
        total = s.exec(select(func.count()).select_from(model).where(*conditions)).one()[0]
        order = order_col.desc() if descending else order_col.asc()
        columns = [c for c in table_of(model).columns if c.name not in ("search_text",)]
        stmt = (select(*columns).where(*conditions).order_by(order, col(model.id).desc())
                .limit(page_size).offset((page - 1) * page_size))
        rows = [dict(r._mapping) for r in s.execute(stmt)]
    return ListResult(rows=rows, total=total, page=page, page_size=page_size)


def get_record(kind_name: str, record_id: int, *, session: Session | None = None,
               allow_deleted: bool = True) -> dict | None:
    """The record with its child rows (as the audit log shows it), or None."""
    kind = get_kind(kind_name)
    with unit(session) as s:
        record = s.get(kind.model, record_id)
        if record is None or (record.deleted_at is not None and not allow_deleted):
            return None
        return snapshot(s, kind, record)


def history(kind_name: str, record_id: int, *, session: Session | None = None) -> list[dict]:
    """The record's audit entries, newest first."""
    with unit(session) as s:
        a = m.AuditEntry
        rows = s.scalars(select(a).where(col(a.kind) == kind_name, col(a.record_id) == record_id)
                         .order_by(col(a.id).desc())).all()
        return [r.model_dump() for r in rows]


def status_history(kind_name: str, record_id: int, *, session: Session | None = None) -> list[dict]:
    with unit(session) as s:
        rows = s.scalars(select(m.StatusChange).where(col(m.StatusChange.kind) == kind_name,
                                                      col(m.StatusChange.record_id) == record_id)
                         .order_by(col(m.StatusChange.id))).all()
        return [r.model_dump() for r in rows]


@cached  # picker labels: plain data, re-read after any write (crm.store.cache)
def options(kind_name: str, lang: str, *, q: str = "", limit: int = 200, session: Session | None = None,
            ids: list[int] | None = None) -> dict[int, str]:
    """id → label for pickers, matching `q`, never loading the whole table (columns, not ORM objects)."""
    kind = get_kind(kind_name)
    model = kind.model
    columns = [c for c in table_of(model).columns if c.name in name_columns(kind_name)]
    with unit(session) as s:
        stmt = select(*columns).where(col(model.deleted_at).is_(None))
        if ids is not None:
            stmt = select(*columns).where(col(model.id).in_(ids))
        for word in fold(q).split():
            stmt = stmt.where(col(model.search_text).contains(word, autoescape=True))
        rows = [dict(r._mapping) for r in s.execute(stmt.order_by(col(model.id)).limit(limit))]
        if kind_name != "partnerships":
            return {row["id"]: option_label(kind_name, row, lang) for row in rows}
        cities = Rows(s)  # a partnership is called by its city
        cities.load({"cities": {r.get("city_id") for r in rows}})
        return {row["id"]: option_label(kind_name, row, lang, cities.row("cities", row.get("city_id")))
                for row in rows}


@cached
def is_demo_database(*, session: Session | None = None) -> bool:
    """Whether demo records are on file (kept per data version: the demo loads through audited writes)."""
    with unit(session) as s:
        return s.execute(select(col(m.City.id)).where(col(m.City.is_demo).is_(True)).limit(1)).first() is not None


def today() -> date:
    return office_today()


__all__ = ["ListResult", "get_record", "sort_column", "history", "is_demo_database", "list_records", "options",
           "or_", "status_history"]
