"""The in-app inbox: what needs a user's attention, with read / unread state per user.

Items come from providers, one per category (`PROVIDERS`; `register` adds one): anniversaries of pacts in the next
`ANNIVERSARY_DAYS` days (the next one only, with its years), agreements expiring within `EXPIRY_DAYS`, records a
colleague made the user the owner of (crm.store.labels), and changes by others to records the user created or owns
(from the audit log). Approvals waiting, tasks due and post-trip reports overdue have no records yet: their
providers register here when those kinds arrive. Every item has a stable key (an anniversary's holds its year,
so it comes back once a year); reading one stores the key in `inboxread`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from crm import models as m
from crm.config import OFFICE_ZONE
from crm.config import today as office_today
from crm.i18n import pick, t
from crm.models.kinds import KINDS
from crm.records.names import Names
from crm.store.cache import cached
from crm.store.writes import Actor, unit
from crm.views.anniversaries import anniversary_title, next_anniversary

ANNIVERSARY_DAYS = 30
EXPIRY_DAYS = 60
CHANGES_DAYS = 30
CHANGES_LIMIT = 50
CATEGORIES = ("approvals", "tasks", "anniversaries", "expiring", "reports", "assigned", "changes")


@dataclass(frozen=True)
class Item:
    key: str  # stable: the read mark and the sent-reminder mark are kept under it
    category: str
    title: str
    day: date
    page: str
    record_id: int
    due: bool = True  # in the daily e-mail digest (changes are in-app only)


Provider = Callable[[Actor, date, str, Session], list[Item]]
PROVIDERS: dict[str, Provider] = {}


def register(category: str, provider: Provider) -> None:
    """Add the items of a category (approvals waiting, tasks due…): the inbox, its count and the digest show them."""
    PROVIDERS[category] = provider


def _anniversaries(me: Actor, today: date, lang: str, s: Session) -> list[Item]:
    p, c = m.Partnership, m.City
    stmt = (select(col(p.id), col(p.kind), col(p.established_on), col(c.name_en), col(c.name_zh), col(c.name_native))
            .join(c, col(c.id) == p.city_id)
            .where(col(p.deleted_at).is_(None), col(p.status).in_(("active", "dormant")),
                   col(p.established_on).is_not(None)))
    out = []
    for r in s.execute(stmt):
        day, years = next_anniversary(r.established_on, today)
        if day <= today + timedelta(days=ANNIVERSARY_DAYS):
            city = pick(lang, r.name_en, r.name_zh, r.name_native)
            out.append(Item(f"anniversary:{r.id}:{day.year}", "anniversaries",
                            anniversary_title(city, r.kind, years, lang), day, "partnerships", r.id))
    return out


def _expiring(me: Actor, today: date, lang: str, s: Session) -> list[Item]:
    a = m.Agreement
    stmt = select(col(a.id), col(a.title_en), col(a.title_zh), col(a.valid_until)).where(
        col(a.deleted_at).is_(None), col(a.status) == "signed",
        col(a.valid_until).between(today, today + timedelta(days=EXPIRY_DAYS)))
    return [Item(f"expiry:{r.id}:{r.valid_until.isoformat()}", "expiring",
                 t("cal.expires", lang, title=pick(lang, r.title_en, r.title_zh, f"#{r.id}")), r.valid_until,
                 "agreements", r.id) for r in s.execute(stmt)]


def _by_others(me: Actor, s: Session, *conditions) -> list:
    """Audit entries of the last CHANGES_DAYS days by someone other than `me`, on records, newest first."""
    a = m.AuditEntry
    since = datetime.now(UTC) - timedelta(days=CHANGES_DAYS)
    stmt = (select(col(a.id), col(a.at), col(a.username), col(a.action), col(a.kind), col(a.record_id))
            .where(col(a.at) >= since, col(a.kind).in_(tuple(KINDS)), col(a.record_id).is_not(None),
                   func.coalesce(a.user_id, -1) != (me.id or -1), *conditions)
            .order_by(col(a.id).desc()).limit(CHANGES_LIMIT))
    return list(s.execute(stmt))


def _owned_by_me(me: Actor):
    """The audit entry's record has `me` as its owner now."""
    a, o = m.AuditEntry, m.RecordOwner
    return exists().where(and_(col(o.user_id) == me.id, col(o.kind) == col(a.kind),
                               col(o.record_id) == col(a.record_id)))


def _as_items(rows: list, category: str, lang: str, s: Session, text_key: str) -> list[Item]:
    """Audit rows as inbox items (in-app only), each naming who did what to which record."""
    names = Names(lang, s)
    wanted: dict[str, set] = {}
    for r in rows:
        wanted.setdefault(r.kind, set()).add(r.record_id)
    names.load(wanted)
    return [Item(f"audit:{r.id}", category,
                 t(text_key, lang, user=r.username, action=t(f"audit.action.{r.action}", lang),
                   kind=t(f"kind.{r.kind}", lang), what=names.name(r.kind, r.record_id) or f"#{r.record_id}"),
                 _local_day(r.at), r.kind, r.record_id, due=False) for r in rows]


def _assigned(me: Actor, today: date, lang: str, s: Session) -> list[Item]:
    """Records a colleague made `me` the owner of, in the last CHANGES_DAYS days (and `me` still owns)."""
    a = m.AuditEntry
    return _as_items(_by_others(me, s, col(a.action) == "owner", _owned_by_me(me)), "assigned", lang, s,
                     "inbox.assigned")


def _changes(me: Actor, today: date, lang: str, s: Session) -> list[Item]:
    """Changes by others, in the last CHANGES_DAYS days, to records `me` created or owns (the assignment itself is
    under "assigned")."""
    a, mine = m.AuditEntry, aliased(m.AuditEntry)
    created_by_me = exists().where(and_(col(mine.action) == "create", col(mine.user_id) == me.id,
                                        col(mine.kind) == col(a.kind), col(mine.record_id) == col(a.record_id)))
    rows = _by_others(me, s, or_(created_by_me, _owned_by_me(me)), col(a.action) != "create",  # made before it was mine
                      or_(col(a.action) != "owner", ~_owned_by_me(me)))
    return _as_items(rows, "changes", lang, s, "inbox.changed")


def _local_day(at: datetime) -> date:
    """The office's day of a stored (UTC) timestamp."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(OFFICE_ZONE).date()


register("anniversaries", _anniversaries)
register("expiring", _expiring)
register("assigned", _assigned)
register("changes", _changes)


@cached  # plain data, re-read after any write (crm.store.cache); the read marks are read fresh (`items`)
def found_items(me: Actor, lang: str = "zh-TW", *, today: date | None = None,
                session: Session | None = None) -> list[Item]:
    """Every provider's items for `me`."""
    today = today or office_today()
    with unit(session) as s:
        return [i for provider in PROVIDERS.values() for i in provider(me, today, lang, s)]


def items(me: Actor, lang: str = "zh-TW", *, today: date | None = None, session: Session | None = None) -> list[dict]:
    """Every item for `me`, unread first then by category and day, each as a dict with `read`."""
    found = found_items(me, lang, today=today, session=session)
    with unit(session) as s:
        read = set(s.scalars(select(col(m.InboxRead.item_key)).where(col(m.InboxRead.user_id) == me.id)).all())
    rows = [{**i.__dict__, "read": i.key in read} for i in found]
    return sorted(rows, key=lambda r: (r["read"], CATEGORIES.index(r["category"]) if r["category"] in CATEGORIES
                                       else len(CATEGORIES), r["day"]))


def unread_count(me: Actor, *, today: date | None = None, session: Session | None = None) -> int:
    return sum(1 for r in items(me, today=today, session=session) if not r["read"])


def mark_read(me: Actor, keys: list[str], read: bool = True, *, session: Session | None = None) -> None:
    """Mark items read (or unread again) for `me`."""
    r = m.InboxRead
    if me.id is None:
        return
    with unit(session) as s:
        have = set(s.scalars(select(col(r.item_key)).where(col(r.user_id) == me.id, col(r.item_key).in_(keys))).all())
        if read:
            for key in dict.fromkeys(keys):
                if key not in have and len(key) <= 200:
                    s.add(r(user_id=me.id, item_key=key))
        else:
            for row in s.scalars(select(r).where(col(r.user_id) == me.id, col(r.item_key).in_(keys))).all():
                s.delete(row)


def label(category: str, lang: str) -> str:
    return t(f"inbox.category.{category}", lang)
