"""Columns every record shares: identity, version for lost-update guard, soft delete, search key."""

from datetime import UTC, datetime

from sqlalchemy import Table, inspect
from sqlmodel import Field, SQLModel

SYSTEM_FIELDS = frozenset({"id", "version", "created_at", "updated_at", "deleted_at", "search_text"})
"""Columns the write path keeps: never typed by a user, never compared when a record changes."""
HIDDEN_FIELDS = SYSTEM_FIELDS | {"is_demo"}
"""Columns no form, export, merge or restore shows or copies: the system fields and the demo flag."""


def table_of(model: type[SQLModel]) -> Table:
    """The table a model maps (SQLModel sets `__table__` on a table model but its typing declares none)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)  # every model asked about is mapped to a table of its own
    return table


def utcnow() -> datetime:
    """Aware UTC timestamp (SQLModel stores aware datetimes as UTC on every engine)."""
    return datetime.now(UTC)


class Record(SQLModel):
    """Base for every user-editable record; the write path maintains these columns."""

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = Field(default=None, index=True)
    is_demo: bool = Field(default=False)
    search_text: str = Field(default="", index=True)
    notes: str = Field(default="")


class Child(SQLModel):
    """Base for rows owned by a record (itinerary stops, signings...): written with their parent."""

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(default=0)
