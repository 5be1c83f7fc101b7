"""Files on records: the attachment (`RecordFile`), its content once per SHA-256 (`FileContent`), the content's
bytes in chunks when kept in the database (`FileChunk`), and its thumbnail (`FileThumb`).

An attachment is soft-deleted and restored like a record (crm.files.attach); a content row is shared by every
attachment with the same bytes (`refs` counts them) and is kept while any refers to it.
"""

from datetime import datetime

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from crm.models.base import utcnow


class FileContent(SQLModel, table=True):
    """The bytes of one file, stored once whatever its name: in `filechunk` rows (`storage` "db") or in the file
    store directory (`storage` "dir", crm.files.blobs)."""

    __tablename__ = "filecontent"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = 0
    mime: str = Field(default="", max_length=100)
    storage: str = Field(default="db", max_length=8)  # db | dir
    refs: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class FileChunk(SQLModel, table=True):
    """One piece of a content kept in the database (pieces of `crm.files.blobs.CHUNK` bytes, in `seq` order)."""

    __tablename__ = "filechunk"
    sha256: str = Field(foreign_key="filecontent.sha256", primary_key=True, max_length=64)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class FileThumb(SQLModel, table=True):
    """The small picture of a content (a photo re-encoded without its metadata, or a PDF's first page), made once."""

    __tablename__ = "filethumb"
    sha256: str = Field(foreign_key="filecontent.sha256", primary_key=True, max_length=64)
    mime: str = Field(default="image/jpeg", max_length=40)
    width: int = 0
    height: int = 0
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class RecordFile(SQLModel, table=True):
    """A file carried by a record (any kind): its name as uploaded, what it is, who put it there and when."""

    __tablename__ = "recordfile"
    __table_args__ = (Index("ix_recordfile_record", "kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    record_id: int
    name: str = Field(max_length=255)
    sha256: str = Field(foreign_key="filecontent.sha256", index=True, max_length=64)
    size: int = 0
    mime: str = Field(default="", max_length=100)
    category: str = Field(default="", max_length=16)  # image | pdf | office | text
    caption_en: str = Field(default="", max_length=500)
    caption_zh: str = Field(default="", max_length=500)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_by: str = Field(default="", max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow)
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = Field(default=None)
