"""Private calendar feeds: a user's subscription URL (a revocable random token) served as iCalendar.

The URL carries a random token; `calendarfeed` stores only its SHA-256, the user, the sources chosen and the
language. The feed is built afresh on every request from the records as they are (the per-record events of
crm.documents.calendar, with stable UIDs, plus anniversaries and expiries), over a window from a year back to
two years ahead. A revoked feed, a disabled account or an unknown token serves nothing.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Event
from sqlalchemy import select
from sqlmodel import Session, col

from crm import models as m
from crm.accounts.events import log_account_event
from crm.calendar.sources import SOURCES, events, source_names
from crm.config import today as office_today
from crm.documents.calendar import CALENDAR_KINDS, events_calendar
from crm.errors import NotFound, ValidationFailed
from crm.i18n import LANGUAGES
from crm.periods import Period
from crm.store.writes import Actor, unit

FEED_PATH = "/calendar/feed"  # + "/<token>.ics" (crm.calendar.routes)
BACK_DAYS = 366
AHEAD_DAYS = 2 * 366
MAX_FEEDS = 10  # live feeds per user


def token_hash(token: str) -> str:
    return hashlib.sha256(("feed:" + token).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Feed:
    id: int
    sources: tuple[str, ...]
    lang: str
    created_at: datetime
    revoked: bool


def _check_sources(sources: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [s for s in sources if s not in SOURCES]
    if unknown or not sources:
        raise ValidationFailed({"kinds": ("err.unknown_choice", {"value": ", ".join(unknown)[:50]})})
    return tuple(dict.fromkeys(sources))


def create_feed(actor: Actor, sources: tuple[str, ...], lang: str, *, session: Session | None = None) -> str:
    """A new feed of `sources` in `lang` for the acting user: the token (shown once; only its hash is kept)."""
    chosen = _check_sources(tuple(sources))
    if lang not in LANGUAGES:
        raise ValidationFailed({"lang": ("err.unknown_choice", {"value": str(lang)[:20]})})
    if actor.id is None:
        raise NotFound("err.unknown_user", user=actor.username)
    token = secrets.token_urlsafe(32)
    with unit(session) as s:
        live = s.execute(select(col(m.CalendarFeed.id)).where(col(m.CalendarFeed.user_id) == actor.id,
                                                               col(m.CalendarFeed.revoked_at).is_(None))).all()
        if len(live) >= MAX_FEEDS:
            raise ValidationFailed({"kinds": ("cal.feed.too_many", {"max": MAX_FEEDS})})
        s.add(m.CalendarFeed(token_hash=token_hash(token), user_id=actor.id, kinds=",".join(chosen), lang=lang))
        log_account_event(s, "feed_created", actor.username, s.get(m.User, actor.id), ",".join(chosen))
    return token


def my_feeds(actor: Actor, *, session: Session | None = None) -> list[Feed]:
    """The acting user's feeds, newest first (revoked ones too)."""
    f = m.CalendarFeed
    with unit(session) as s:
        rows = s.scalars(select(f).where(col(f.user_id) == actor.id).order_by(col(f.id).desc())).all()
        return [Feed(r.id or 0, tuple(x for x in r.kinds.split(",") if x), r.lang, r.created_at,
                     r.revoked_at is not None) for r in rows]


def revoke_feed(actor: Actor, feed_id: int, *, session: Session | None = None) -> None:
    """End one of the acting user's feeds: its URL serves nothing from now on."""
    with unit(session) as s:
        row = s.get(m.CalendarFeed, feed_id)
        if row is None or row.user_id != actor.id:
            raise NotFound("err.not_found", kind="", id=feed_id)
        if row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
            s.add(row)
            log_account_event(s, "feed_revoked", actor.username, s.get(m.User, actor.id), f"feed {feed_id}")


def lookup(token: str, *, session: Session | None = None) -> tuple[str, Feed | None]:
    """("ok", feed) for a live feed; ("gone", None) for a revoked one or a disabled account; ("unknown", None)."""
    if not token or len(token) > 200:
        return "unknown", None
    f = m.CalendarFeed
    with unit(session) as s:
        row = s.scalars(select(f).where(col(f.token_hash) == token_hash(token))).first()
        if row is None:
            return "unknown", None
        user = s.get(m.User, row.user_id)
        if row.revoked_at is not None or user is None or not user.active:
            return "gone", None
        return "ok", Feed(row.id or 0, tuple(x for x in row.kinds.split(",") if x in SOURCES), row.lang,
                          row.created_at, False)


def feed_ics(feed: Feed, today: date | None = None) -> bytes:
    """The feed's calendar now: the record kinds' own events, then every other source's as all-day events."""
    today = today or office_today()
    window = Period(today - timedelta(days=BACK_DAYS), today + timedelta(days=AHEAD_DAYS), "feed")
    kinds = tuple(s for s in feed.sources if s in CALENDAR_KINDS)
    cal = events_calendar(kinds, feed.lang, period=window)
    others = tuple(s for s in feed.sources if s not in CALENDAR_KINDS and s in source_names())
    stamp = datetime.now(UTC)
    for event in events(window, others, lang=feed.lang) if others else []:
        item = Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        item.add("dtstart", event.start)
        item.add("dtend", event.end + timedelta(days=1))
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    return cal.to_ical()
