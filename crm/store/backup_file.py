"""The backup file: its format (JSON lines with a header, or a SQLite database), values, and reading it.

`inspect_file` identifies a backup (refusing other files and newer schemas); `jsonl_reader` and
`sqlite_reader` give its rows, but only for the tables and columns of Liaison's schema they are
asked for: anything else the file holds (a trigger, a view, an extra table or column) is never
read as data, only named (crm.store.backup restores with them).
"""

import base64
import gzip
import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from sqlalchemy import MetaData, Table, select

from crm.store.backup_key import BackupError
from crm.store.engine import alembic_config, make_engine

FORMAT = "liaison-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
# Not data: the schema's revision, and sign-in sessions and setup codes (a restore signs everyone out, and an old
# backup never brings back a session that has since ended).
SKIP_TABLES = ("alembic_version", "websession", "setupcode")


# ---------------------------------------------------------------- encoding of values (JSON lines)

def encode(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {"$json": value}
    return value


def decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$d":
            return date.fromisoformat(raw)
        if tag == "$t":
            return time.fromisoformat(raw)
        if tag == "$dec":
            return Decimal(raw)
        if tag == "$b":
            return base64.b64decode(raw)
        if tag == "$json":
            return raw
    return value


def schema_tables(engine_or_conn) -> list:
    """The tables in the database (alembic_version aside), in foreign-key order."""
    meta = MetaData()
    meta.reflect(bind=engine_or_conn)
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def known_revision(revision: str | None) -> TypeGuard[str]:
    from alembic.script import ScriptDirectory

    if not revision:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - unknown revision id
        return False


# ---------------------------------------------------------------- reading a backup file

@dataclass
class Source:
    path: Path
    fmt: str
    revision: str


def inspect_file(path: str | Path) -> Source:
    """Identify a backup file; raise BackupError if it is not one or is from a newer schema."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == SQLITE_MAGIC:
        revision: str | None = _sqlite_revision(path)
        fmt = "sqlite"
    else:
        header = _jsonl_header(path, head)
        revision = header.get("revision")
        fmt = "jsonl"
    if not known_revision(revision):
        raise BackupError(f"{path.name}: made by a newer version of Liaison (schema {revision}); "
                          "upgrade Liaison before restoring it")
    return Source(path, fmt, revision)


def _sqlite_revision(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path.name}: the SQLite file is damaged")
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"alembic_version", "user", "auditentry"} <= names:
                raise BackupError(f"{path.name}: not a Liaison backup (a SQLite file without Liaison's tables)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name}: not a readable SQLite file ({exc})") from None
    if not row:
        raise BackupError(f"{path.name}: not a Liaison backup (no schema revision)")
    return str(row[0])


def _open_text(path: Path, head: bytes):
    return gzip.open(path, "rt", encoding="utf-8") if head[:2] == b"\x1f\x8b" else open(path, encoding="utf-8")


def _jsonl_header(path: Path, head: bytes) -> dict:
    try:
        with _open_text(path, head) as fh:
            header = json.loads(fh.readline(1_000_000) or "null")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, EOFError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path.name}: not a Liaison backup")
    if int(header.get("version", 0)) > FORMAT_VERSION:
        raise BackupError(f"{path.name}: backup format {header.get('version')} is newer than this Liaison")
    return header


def _jsonl_rows(path: Path) -> Iterator[tuple[str, dict]]:
    with open(path, "rb") as fh:
        head = fh.read(2)
    count = 0
    with _open_text(path, head) as fh:
        fh.readline()
        for number, line in enumerate(fh, start=2):
            try:
                item = json.loads(line)
                if item.get("end"):
                    if item.get("rows") != count:
                        raise BackupError(f"{path.name}: row count does not match (damaged file)")
                    return
                name, row = str(item["t"]), {str(k): decode(v) for k, v in dict(item["r"]).items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                raise BackupError(f"{path.name}: line {number} is not a row of a Liaison backup (damaged file)") from None
            count += 1
            yield name, row
    raise BackupError(f"{path.name}: the file is truncated (no end line)")


# A reader gives the rows of the tables it is asked for (name → the table of Liaison's schema), columns of
# that schema only; what the file holds besides ("trigger t", "table x", "column user.y") goes in `ignored`.
Reader = Callable[[dict[str, Table], set[str]], Iterator[tuple[str, dict]]]


def jsonl_reader(path: Path) -> Reader:
    def read(tables: dict[str, Table], ignored: set[str]) -> Iterator[tuple[str, dict]]:
        for name, row in _jsonl_rows(path):
            table = tables.get(name)
            if table is None:
                ignored.add(f"table {name}")
                continue
            ignored.update(f"column {name}.{k}" for k in row if k not in table.columns)
            yield name, {k: v for k, v in row.items() if k in table.columns}

    return read


def sqlite_reader(path: Path) -> Reader:
    def read(tables: dict[str, Table], ignored: set[str]) -> Iterator[tuple[str, dict]]:
        engine = make_engine(f"sqlite:///{path}")  # a private copy: nothing in it runs (no write, no trigger)
        try:
            with engine.connect() as conn:
                listed = conn.exec_driver_sql("SELECT type, name FROM sqlite_master").all()
                present = {name for kind, name in listed if kind == "table"}
                ignored.update(f"{kind} {name}" for kind, name in listed if kind in ("trigger", "view"))
                ignored.update(f"table {name}" for name in present - set(tables) - set(SKIP_TABLES)
                               if not name.startswith("sqlite_"))
                meta = MetaData()
                meta.reflect(bind=conn, only=[name for name in tables if name in present])
                for name, table in tables.items():  # in the schema's foreign-key order
                    if name not in meta.tables:
                        continue
                    found = meta.tables[name].columns
                    ignored.update(f"column {name}.{c.name}" for c in found if c.name not in table.columns)
                    stmt = select(*[c for c in found if c.name in table.columns])
                    if name == "filechunk":  # half-megabyte rows: a few at a time
                        stmt = stmt.execution_options(stream_results=True, max_row_buffer=8)
                    for row in conn.execute(stmt):
                        yield name, dict(row._mapping)
        finally:
            engine.dispose()

    return read
