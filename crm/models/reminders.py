"""Calendar feeds, inbox read marks and sent reminders (crm.calendar.feeds, crm.reminders)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from crm.models.base import utcnow


class CalendarFeed(SQLModel, table=True):
    """A user's private calendar feed URL: the URL holds a random token, the table only its SHA-256."""

    __tablename__ = "calendarfeed"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    kinds: str = Field(default="", max_length=500)  # comma-separated calendar source names (crm.calendar.sources)
    lang: str = Field(default="zh-TW", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class InboxRead(SQLModel, table=True):
    """One inbox item a user has read (the item's stable key, crm.reminders.inbox)."""

    __tablename__ = "inboxread"
    __table_args__ = (UniqueConstraint("user_id", "item_key"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    item_key: str = Field(max_length=200)
    read_at: datetime = Field(default_factory=utcnow)


class SentReminder(SQLModel, table=True):
    """A reminder mailed to a user: once per user, reminder key and day (crm.reminders.mail)."""

    __tablename__ = "sentreminder"
    __table_args__ = (UniqueConstraint("user_id", "reminder_key", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    reminder_key: str = Field(max_length=200)
    day: date
    sent_at: datetime = Field(default_factory=utcnow)
