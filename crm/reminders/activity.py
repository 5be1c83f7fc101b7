"""The activity feed: recent changes to records by colleagues, office-wide or of one record, from the audit log,
in the reader's language (catalog labels for actions and kinds; record names through crm.records.names)."""

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.config import OFFICE_ZONE
from crm.i18n import datetime_text, t
from crm.models.kinds import KINDS
from crm.records.names import Names
from crm.store.cache import cached
from crm.store.writes import unit

LIMIT = 50
RECORD_KINDS = tuple(KINDS)  # the kinds whose changes the feed shows (a page may filter on one)


@cached  # plain data, re-read after any write (crm.store.cache)
def recent(lang: str = "zh-TW", *, kind: str | None = None, record_id: int | None = None, exclude_user_id: int | None = None,
           limit: int = LIMIT, session: Session | None = None) -> list[dict]:
    """The newest changes to records (of one record when `kind` and `record_id` are given), without those of
    `exclude_user_id` (the reader's own), each with when, who, what was done to which record, and where it opens."""
    a = m.AuditEntry
    stmt = (select(col(a.id), col(a.at), col(a.username), col(a.user_id), col(a.action), col(a.kind), col(a.record_id),
                   col(a.summary))
            .where(col(a.kind).in_(tuple(KINDS)), col(a.record_id).is_not(None)))
    if kind is not None:
        stmt = stmt.where(col(a.kind) == kind, col(a.record_id) == record_id)
    if exclude_user_id is not None:
        stmt = stmt.where((col(a.user_id) != exclude_user_id) | col(a.user_id).is_(None))
    stmt = stmt.order_by(col(a.id).desc()).limit(max(1, min(int(limit), 500)))
    with unit(session) as s:
        rows = [dict(r._mapping) for r in s.execute(stmt)]
        names = Names(lang, s)
        wanted: dict[str, set] = {}
        for r in rows:
            wanted.setdefault(r["kind"], set()).add(r["record_id"])
        names.load(wanted)
        out = []
        for r in rows:
            at: datetime = r["at"]
            local = at.astimezone(OFFICE_ZONE) if at.tzinfo else at
            out.append({"id": r["id"], "when": datetime_text(local, lang), "who": r["username"],
                        "action": t(f"audit.action.{r['action']}", lang), "kind": t(f"kind.{r['kind']}", lang),
                        "what": names.name(r["kind"], r["record_id"]) or f"#{r['record_id']}",
                        "page": r["kind"], "record_id": r["record_id"]})
    return out
