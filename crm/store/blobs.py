"""Where the bytes of files live: in the database (`filechunk` rows, SQLite and PostgreSQL alike) or in the
file store directory (`LIAISON_FILE_STORE`, crm.config), one copy per SHA-256 either way.

Bytes only ever move a chunk (`CHUNK`) at a time: an upload is spooled to a private temporary file while it is
hashed and measured (`spool`), stored from there (`put`), and read back as a stream of chunks (`chunks`,
`Reader`). A backup carries the file store's contents as chunk rows (`dir_contents`); a restore writes them
back to the store, or keeps them in the database when no store is configured (`materialise`).
"""

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from crm import config
from crm import models as m
from crm.errors import FileRefused
from crm.models.base import table_of

CHUNK = 512 * 1024


def store_dir() -> Path | None:
    """The file store directory, when configured (else files are kept in the database)."""
    return config.file_store_dir()


def _path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def spool(stream: BinaryIO, name: str, limit: int) -> tuple[Path, str, int]:
    """Copy `stream` into a private temporary file a chunk at a time: (path, SHA-256, size). Refuses (and removes
    the copy) as soon as it passes `limit` bytes. The caller deletes the file."""
    digest, size = hashlib.sha256(), 0
    fd, raw = tempfile.mkstemp(prefix="liaison-upload-")
    path = Path(raw)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FileRefused("too_large", name, max=f"{limit / 1024 / 1024:g} MB")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def put(session: Session, source: Path, sha: str, size: int, mime: str) -> bool:
    """Keep the content of `source` under `sha` (once: a known content gains a reference); True when new."""
    content = session.get(m.FileContent, sha)
    if content is not None:
        content.refs += 1
        session.add(content)
        return False
    root = store_dir()
    session.add(m.FileContent(sha256=sha, size=size, mime=mime, storage="dir" if root else "db", refs=1))
    session.flush()
    if root is not None:
        _write_store(root, sha, source)
        return True
    chunks = table_of(m.FileChunk)
    with open(source, "rb") as fh:
        seq = 0
        while data := fh.read(CHUNK):
            session.execute(insert(chunks).values(sha256=sha, seq=seq, data=data))
            seq += 1
    return True


def _write_store(root: Path, sha: str, source: Path | Iterator[bytes]) -> None:
    target = _path(root, sha)
    if target.is_file() and target.stat().st_size > 0:
        return
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f".{sha}.{os.getpid()}.tmp")
    try:
        if isinstance(source, Path):
            shutil.copyfile(source, tmp)
        else:
            with open(tmp, "wb") as out:
                for data in source:
                    out.write(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def chunks(session: Session | Connection, sha: str) -> Iterator[bytes]:
    """The bytes of content `sha`, one chunk at a time (one row read per chunk)."""
    row = session.execute(select(col(m.FileContent.storage)).where(col(m.FileContent.sha256) == sha)).first()
    if row is None:
        return
    if row[0] == "dir":
        root = store_dir()
        if root is None:
            raise FileNotFoundError(f"file {sha[:12]} is in the file store, and no file store is configured")
        with open(_path(root, sha), "rb") as fh:
            while data := fh.read(CHUNK):
                yield data
        return
    c = m.FileChunk
    seq = 0
    while True:
        found = session.execute(select(col(c.data)).where(col(c.sha256) == sha, col(c.seq) == seq)).first()
        if found is None:
            return
        yield bytes(found[0])
        seq += 1


class Reader(io.RawIOBase):
    """A read-only stream over a content's chunks (what a download hands to Streamlit), with its own session."""

    def __init__(self, sha: str) -> None:
        from crm.store.engine import ensure_ready

        self._session = Session(ensure_ready())
        self._sha = sha
        self._chunks = chunks(self._session, sha)
        self._left = b""
        self._at = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only back to the start (what Streamlit does before reading a download): the chunks are read again."""
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a file's stream seeks only to its start")
        if self._at:
            self._chunks, self._left, self._at = chunks(self._session, self._sha), b"", 0
        return 0

    def readinto(self, buffer) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                self._session.close()  # all read: give the connection back (a seek to the start opens it again)
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        self._at += n
        return n

    def close(self) -> None:
        if not self.closed:
            self._session.close()
        super().close()


def to_file(session: Session, sha: str) -> Path:
    """A private temporary copy of content `sha` (for a tool that wants a file, e.g. a thumbnail); caller deletes."""
    fd, raw = tempfile.mkstemp(prefix="liaison-file-")
    with os.fdopen(fd, "wb") as out:
        for data in chunks(session, sha):
            out.write(data)
    return Path(raw)


# ---------------------------------------------------------------- backup and restore

def dir_contents(conn: Connection) -> Iterator[dict]:
    """Chunk rows of every content kept in the file store (a backup carries them, so it restores byte for byte)."""
    f = table_of(m.FileContent)
    shas = [r[0] for r in conn.execute(select(f.c.sha256).where(f.c.storage == "dir").order_by(f.c.sha256))]
    for sha in shas:
        for seq, data in enumerate(chunks(conn, sha)):
            yield {"sha256": sha, "seq": seq, "data": data}


def materialise(conn: Connection) -> int:
    """After a restore: contents marked as in the file store whose chunks came with the backup go back to the
    store (chunk rows then removed), or stay in the database when no store is configured; returns how many."""
    f, c = table_of(m.FileContent), table_of(m.FileChunk)
    root = store_dir()
    rows = conn.execute(select(f.c.sha256).where(f.c.storage == "dir", select(c.c.seq).where(
        c.c.sha256 == f.c.sha256).exists())).all()
    for (sha,) in rows:
        if root is None:
            conn.execute(update(f).where(f.c.sha256 == sha).values(storage="db"))
            continue

        def pieces(sha: str = sha) -> Iterator[bytes]:
            seq = 0
            while (found := conn.execute(select(c.c.data).where(c.c.sha256 == sha, c.c.seq == seq)).first()):
                yield bytes(found[0])
                seq += 1

        _write_store(root, sha, pieces())
        conn.execute(delete(c).where(c.c.sha256 == sha))
    return len(rows)
