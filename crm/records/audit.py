"""The audit log for screens: filtered, paginated entries; what changed (before → after); undo.

Every write leaves an `AuditEntry` (crm.store.writes, crm.accounts.users, crm.accounts.auth). Undo (administrators
only) goes back through the write path (`writes.revert`), so an undo is itself audited and can be undone; it names
the version of the record the screen showed with the entry, and is refused (`StaleRecord`) if the record moved on.
"""

import json
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.config import OFFICE_ZONE, PAGE_SIZE
from crm.errors import NotFound
from crm.models.kinds import KINDS
from crm.periods import Period
from crm.records.queries import ListResult
from crm.store import writes
from crm.store.cache import cached
from crm.store.writes import Actor, unit

HIDDEN_FIELDS = ("search_text", "version", "updated_at", "created_at", "is_demo")
LIST_COLUMNS = ("id", "at", "username", "action", "kind", "record_id", "version", "batch_id", "summary")


AuditPage = ListResult  # one page of audit entries: the same shape as a page of records


def _conditions(user: str | None, kind: str | None, action: str | None, period: Period | None,
                record_id: int | None) -> list:
    a = m.AuditEntry
    conditions = []
    if user:
        conditions.append(a.username == user)
    if kind:
        conditions.append(a.kind == kind)
    if action:
        conditions.append(a.action == action)
    if record_id is not None:
        conditions.append(a.record_id == record_id)
    if period is not None:
        start = datetime.combine(period.start, time.min, OFFICE_ZONE)
        end = datetime.combine(period.end + timedelta(days=1), time.min, OFFICE_ZONE)
        conditions += [a.at >= start, a.at < end]
    return conditions


@cached  # plain data, re-read after any write (crm.store.cache: the version is the audit log's own)
def query(*, user: str | None = None, kind: str | None = None, action: str | None = None,
          period: Period | None = None, record_id: int | None = None, page: int = 1, page_size: int = PAGE_SIZE,
          lang: str = "en", session: Session | None = None) -> AuditPage:
    """One page of audit entries (newest first) without the bulky before/after snapshots."""
    conditions = _conditions(user, kind, action, period, record_id)
    page = max(1, int(page))
    a = m.AuditEntry
    with unit(session) as s:
        total = s.exec(select(func.count()).select_from(a).where(*conditions)).one()[0]
        stmt = (select(*[getattr(a, c) for c in LIST_COLUMNS], col(a.before), col(a.after)).where(*conditions)
                .order_by(col(a.id).desc()).limit(page_size).offset((page - 1) * page_size))
        rows = []
        for r in s.execute(stmt):
            row = dict(r._mapping)
            row["label"] = record_label(row, lang)
            row["changes"] = len(diff(row.pop("before"), row.pop("after")))
            rows.append(row)
    return AuditPage(rows=rows, total=total, page=page, page_size=page_size)


@cached  # plain data, re-read after any write (crm.store.cache)
def filter_choices(*, session: Session | None = None) -> dict[str, list[str]]:
    """The user names, kinds and actions that occur in the log (for the filter pickers)."""
    a = m.AuditEntry
    with unit(session) as s:
        return {name: sorted(v for (v,) in s.execute(select(column).distinct()) if v)
                for name, column in (("users", col(a.username)), ("kinds", col(a.kind)), ("actions", col(a.action)))}


def get_entry(audit_id: int, *, session: Session | None = None) -> dict:
    """The entry, with `record_version`: the version its record has now (None for an entry about no record),
    which an undo of it names."""
    with unit(session) as s:
        entry = s.get(m.AuditEntry, audit_id)
        if entry is None:
            raise NotFound("err.not_found", kind="page.audit", id=audit_id)
        found = entry.model_dump()
        kind = KINDS.get(entry.kind)
        record = s.get(kind.model, entry.record_id) if kind is not None and entry.record_id is not None else None
        found["record_version"] = record.version if record is not None else None
        return found


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def field_label(field: str, lang: str) -> str:
    """The form's label for a field (catalog `rec.f.<field>`), else the field's name."""
    from crm.i18n import has, t

    return t(f"rec.f.{field}", lang) if has(f"rec.f.{field}") else field


def diff(before: dict | None, after: dict | None) -> list[dict]:
    """The fields that differ between two snapshots: [{field, before, after}] (child lists as JSON)."""
    before, after = before or {}, after or {}
    rows = []
    for field in list(dict.fromkeys([*before, *after])):
        if field in HIDDEN_FIELDS:
            continue
        old, new = before.get(field), after.get(field)
        if _show(old) != _show(new):
            rows.append({"field": field, "before": _show(old), "after": _show(new)})
    return rows


def conflict_rows(theirs: dict | None, mine: dict | None = None) -> list[dict]:
    """A refused stale save: the saved version beside the user's (only fields the user sent, if given)."""
    theirs = theirs or {}
    fields = [f for f in (mine if mine is not None else theirs) if f not in HIDDEN_FIELDS and f != "id"]
    return [{"field": f, "theirs": _show(theirs.get(f)), "mine": _show((mine or {}).get(f))} for f in fields
            if mine is None or _show(theirs.get(f)) != _show(mine.get(f))]


def record_label(entry: dict, lang: str = "en") -> str:
    """A short name for the record an entry is about (from its snapshot), in `lang` when it has both."""
    state = entry.get("after") or entry.get("before") or {}
    keys = ("name_en", "title_en", "name_zh", "title_zh") if lang == "en" else ("name_zh", "title_zh", "name_en", "title_en")
    for key in (*keys, "username", "name_native", "subject_en", "subject", "name"):  # "name": an issued report
        if state.get(key):
            return str(state[key])[:120]
    return ""


def can_undo(entry: dict) -> bool:
    """Record entries (not accounts, settings or log-ins) can be put back to their earlier state."""
    return entry.get("kind") in KINDS and entry.get("record_id") is not None and entry.get("action") not in (
        "login", "login_failed", "logout")


def undo(actor: Actor, audit_id: int, expected_version: int, *, use: str = "before",
         session: Session | None = None) -> int:
    """Put the entry's record back to its state before (or after) the entry, through the write path (administrators
    only), if the record is still at `expected_version` (the `record_version` shown with the entry)."""
    with unit(session) as s:
        writes.require_admin(actor, session=s)
        entry = get_entry(audit_id, session=s)
        if not can_undo(entry):
            raise NotFound("err.not_found", kind="page.audit", id=audit_id)
        return writes.revert(actor, audit_id, expected_version, use=use, session=s)
