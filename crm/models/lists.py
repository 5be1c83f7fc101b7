"""What the lists add to every record kind: tags, an owner, and each user's views of a list."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from crm.models.base import utcnow


class Tag(SQLModel, table=True):
    """A label any record can carry ("COVID-19", "smart city"), named in both languages, with a colour."""

    id: int | None = Field(default=None, primary_key=True)
    label_en: str = Field(default="", max_length=80)
    label_zh: str = Field(default="", max_length=80)
    colour: str = Field(default="blue", max_length=16)  # one of crm.store.labels.COLOURS
    created_at: datetime = Field(default_factory=utcnow)


class TagLink(SQLModel, table=True):
    """Record (kind, id) carries tag `tag_id`."""

    __tablename__ = "taglink"
    __table_args__ = (UniqueConstraint("kind", "record_id", "tag_id"), Index("ix_taglink_kind_tag", "kind", "tag_id"))
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    record_id: int
    tag_id: int = Field(foreign_key="tag.id", index=True)


class RecordOwner(SQLModel, table=True):
    """The colleague who looks after record (kind, id): at most one."""

    __tablename__ = "recordowner"
    __table_args__ = (UniqueConstraint("kind", "record_id"), Index("ix_recordowner_kind_user", "kind", "user_id"))
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    record_id: int
    user_id: int = Field(foreign_key="user.id")


class ListPreference(SQLModel, table=True):
    """A user's columns (chosen, in order) and page size for one kind's list."""

    __tablename__ = "listpreference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=32)
    columns: list | None = Field(default=None, sa_column=Column(JSON))
    page_size: int = 50
    updated_at: datetime = Field(default_factory=utcnow)


class SavedView(SQLModel, table=True):
    """A named set of list filters and sort ("2020 H1 visits from Europe"), its owner's or the whole office's."""

    __tablename__ = "savedview"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=32, index=True)
    name: str = Field(max_length=120)
    shared: bool = False
    params: dict | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
