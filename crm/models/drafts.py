"""Drafts: work a user has not saved yet, kept on the server (crm.records.drafts, crm.documents.report.drafts).

Drafts are not records: no version, no search key, no history. A form draft belongs to one user; report drafts are
the office's working copies of the half-year report, one of which may be marked as issued (then read-only).
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm.models.base import utcnow


class FormDraft(SQLModel, table=True):
    """A record form's unsaved changes: one row per user, kind and record (`record_id` 0: the create form).

    `data` holds only what the user changed from the record as the form was opened (`base_version`):
    {"fields": {name: value}, "rows": {collection: [rows]}, "place": {...}}, dates as ISO text. Restoring it over a
    record changed since puts back the user's edits and nothing else. (`record_id` is 0 rather than NULL for the
    create form so that the database itself keeps one row per slot: NULLs never collide in a unique constraint.)
    """

    __tablename__ = "formdraft"
    __table_args__ = (UniqueConstraint("user_id", "kind", "record_id", name="uq_formdraft_slot"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    record_id: int = 0
    base_version: int | None = None
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: datetime = Field(default_factory=utcnow)


class ReportDraft(SQLModel, table=True):
    """A named version of the half-year report's text for one period and language.

    `counts` are the figures (crm.views.counts.PeriodCounts) the text was built from. Once `issued_at` is set the
    row is read-only: the issued report as it went out, with its figures."""

    __tablename__ = "reportdraft"
    __table_args__ = (Index("ix_reportdraft_period_lang", "period", "lang"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = Field(default="", max_length=64)
    name: str = Field(max_length=200)
    period: str = Field(max_length=40)  # the period's code: 2020H1, 2020, 2020-01-01..2020-06-30
    lang: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    counts: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: datetime = Field(default_factory=utcnow)
    issued_at: datetime | None = None
    issued_by: str = Field(default="", max_length=64)
