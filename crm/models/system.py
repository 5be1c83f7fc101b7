"""Users, the audit log, status history and settings."""

from datetime import date, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from crm.models.base import utcnow


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    display_name: str = ""
    role: str = "staff"  # admin | staff | leadership
    password_hash: str = ""
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None  # failed sign-ins and lock-outs: LoginThrottle
    sso_subject: str | None = Field(default=None, index=True)
    email: str = Field(default="", max_length=254)  # where reminders go (crm.reminders.mail); "" = none


class AuditEntry(SQLModel, table=True):
    """One write: who, when, what, and the record before and after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = ""
    action: str = Field(index=True)  # create | update | delete | restore | status | merge | import | undo
    kind: str = Field(index=True)
    record_id: int | None = Field(default=None, index=True)
    version: int | None = None
    before: dict | None = Field(default=None, sa_column=Column(JSON))
    after: dict | None = Field(default=None, sa_column=Column(JSON))
    batch_id: str | None = Field(default=None, index=True)
    summary: str = ""


class StatusChange(SQLModel, table=True):
    """History of a record's status: kept, never overwritten."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    record_id: int = Field(index=True)
    from_status: str = ""
    to_status: str = ""
    reason: str = ""
    new_start: date | None = None
    new_end: date | None = None
    new_precision: str = ""  # day | month | year ("postponed to 2021")
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = ""


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str = ""


class ImportBatch(SQLModel, table=True):
    """One import run: an audited unit that can be undone as a whole."""

    id: str = Field(primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    username: str = ""
    kind: str = ""
    filename: str = ""
    counts: dict | None = Field(default=None, sa_column=Column(JSON))
    report: list | None = Field(default=None, sa_column=Column(JSON))  # before revision 0002; now ImportReportRow
    undone_at: datetime | None = None


class ImportReportRow(SQLModel, table=True):
    """One row of an import's report (skipped, rejected or merged, with why), written a chunk at a time so
    that an import of any length keeps its whole report without holding it in memory as one text."""

    __tablename__ = "importreportrow"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(foreign_key="importbatch.id", index=True)
    line: int = 0
    outcome: str = ""
    entry: dict | None = Field(default=None, sa_column=Column(JSON))  # the report's row, as the download has it


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256 (crm.accounts.sessions).

    A row starts `pending` (a one-time sign-in ticket the browser redeems at /session/start for its cookie),
    then lives until it is revoked (sign-out, an administrator, a disabled account, a new password), idle past
    the idle limit, or older than the absolute lifetime."""

    __tablename__ = "websession"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    via: str = "password"  # password | sso | setup
    pending: bool = True
    browser_binding: str = ""  # hash of the browser's anti-forgery cookie the ticket was shown to
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: datetime | None = Field(default=None, index=True)
    end_reason: str = ""  # signed_out | revoked | disabled | password | idle | expired | replaced
    user_agent: str = Field(default="", max_length=300)
    ip: str = Field(default="", max_length=64)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins of one user name (known or not) or one client address, and its lock-out
    (crm.accounts.throttle). The key is a SHA-256, so a password typed into the name field is never stored."""

    __tablename__ = "loginthrottle"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=64)  # sha256 of "name:…" or "address:…"
    scope: str = Field(default="name", max_length=16)  # name | address
    failures: int = 0  # in a row (a name: since its last sign-in), forgotten after a quiet time
    locked_until: datetime | None = None
    last_failure_at: datetime = Field(default_factory=utcnow, index=True)
    audit_id: int | None = None  # the audit entry counting this minute's failed attempts of the name
    audit_minute: datetime | None = None


class SetupCode(SQLModel, table=True):
    """The one-time code the first-administrator form asks for (printed to the server's log and by `crm init`)."""

    __tablename__ = "setupcode"
    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: datetime | None = None
