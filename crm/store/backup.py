"""Backup and restore of the whole database.

- SQLite: an online copy with the sqlite3 backup API (consistent while the app runs); the file is
  itself a SQLite database carrying its schema revision (`alembic_version`).
- PostgreSQL (or `fmt="jsonl"`): a portable logical dump, JSON lines (gzip when the name ends in
  `.gz`): a header naming the format and schema revision, one line per row in foreign-key order,
  an end line with the row count (a truncated file is refused).

Restore refuses a file that is not a Liaison backup or comes from a newer schema, and refuses a
database holding records unless forced. It is all-or-nothing: PostgreSQL in one transaction
(schema rebuilt at the backup's revision, rows loaded, upgraded to head); SQLite by building the
restored database aside and copying it in with the backup API.
"""

import base64
import gzip
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from sqlalchemy import MetaData, func, inspect, select, text
from sqlalchemy.engine import Engine

from crm.store.engine import alembic_config, check_reachable, current_revision, get_engine, make_engine

FORMAT = "liaison-backup"
FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
SKIP_TABLES = ("alembic_version",)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the administrator."""


@dataclass
class BackupInfo:
    path: Path
    fmt: str  # sqlite | jsonl
    revision: str
    rows: int


# ---------------------------------------------------------------- encoding of values (JSON lines)

def _encode(value):
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


def _decode(value):
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


# ---------------------------------------------------------------- helpers

def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return path


def _tables(engine_or_conn) -> list:
    meta = MetaData()
    meta.reflect(bind=engine_or_conn)
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def _known_revision(revision: str | None) -> TypeGuard[str]:
    from alembic.script import ScriptDirectory

    if not revision:
        return False
    try:
        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - unknown revision id
        return False


def _atomic_target(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


# ---------------------------------------------------------------- backup

def backup(target: str | Path, *, url: str | None = None, fmt: str | None = None) -> BackupInfo:
    """Write a backup of the configured (or given) database to `target`; never prompts."""
    engine = get_engine(url)
    check_reachable(engine)
    revision = current_revision(engine)
    if revision is None:
        raise BackupError("the database has no Liaison schema: nothing to back up")
    target = Path(target)
    fmt = fmt or ("sqlite" if _is_sqlite(engine) else "jsonl")
    tmp = _atomic_target(target)
    try:
        if fmt == "sqlite":
            if not _is_sqlite(engine):
                raise BackupError("--format sqlite needs a SQLite database; use jsonl for PostgreSQL")
            rows = _sqlite_backup(_sqlite_path(engine), tmp)
        elif fmt == "jsonl":
            rows = _jsonl_backup(engine, revision, tmp, compress=target.name.endswith(".gz"))
        else:
            raise BackupError(f"unknown backup format {fmt!r} (sqlite or jsonl)")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(target, fmt, revision, rows)


def _sqlite_backup(source: str, target: Path) -> int:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        tables = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return sum(dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
                   if t not in SKIP_TABLES and not t.startswith("sqlite_"))
    finally:
        dst.close()
        src.close()


def _jsonl_backup(engine: Engine, revision: str, target: Path, *, compress: bool) -> int:
    opener = gzip.open if compress else open
    total = 0
    # one read transaction: a consistent snapshot even while others write (REPEATABLE READ on PostgreSQL)
    with engine.connect() as opened:
        conn = opened if _is_sqlite(engine) else opened.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin(), opener(target, "wt", encoding="utf-8") as out:
            tables = _tables(conn)
            header = {"format": FORMAT, "version": FORMAT_VERSION, "revision": revision,
                      "source": engine.dialect.name, "created_at": datetime.now(UTC).isoformat(),
                      "tables": [t.name for t in tables]}
            out.write(json.dumps(header) + "\n")
            for table in tables:
                order = list(table.primary_key.columns) or list(table.columns)
                for row in conn.execute(select(table).order_by(*order)):
                    data = {k: _encode(v) for k, v in row._mapping.items()}
                    out.write(json.dumps({"t": table.name, "r": data}, ensure_ascii=False) + "\n")
                    total += 1
            out.write(json.dumps({"end": True, "rows": total}) + "\n")
    return total


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
    if not _known_revision(revision):
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
    return row[0]


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
        for line in fh:
            item = json.loads(line)
            if item.get("end"):
                if item.get("rows") != count:
                    raise BackupError(f"{path.name}: row count does not match (damaged file)")
                return
            count += 1
            yield item["t"], {k: _decode(v) for k, v in item["r"].items()}
    raise BackupError(f"{path.name}: the file is truncated (no end line)")


def _sqlite_rows(path: Path) -> Iterator[tuple[str, dict]]:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            for table in _tables(conn):
                for row in conn.execute(select(table)):
                    yield table.name, dict(row._mapping)
    finally:
        engine.dispose()


# ---------------------------------------------------------------- restore

def holds_records(engine: Engine) -> bool:
    """True when the database has any record (then restore needs --force)."""
    from crm.models.kinds import KINDS

    names = set(inspect(engine).get_table_names())
    wanted = [k.table for k in KINDS.values() if k.table in names]
    with engine.connect() as conn:
        meta = MetaData()
        meta.reflect(bind=conn, only=wanted)  # also reflects referenced tables (countries): count only `wanted`
        return any(conn.execute(select(func.count()).select_from(meta.tables[n])).scalar() for n in wanted)


def restore(path: str | Path, *, url: str | None = None, force: bool = False) -> BackupInfo:
    """Replace the database's contents with a backup; all or nothing."""
    source = inspect_file(path)
    engine = get_engine(url)
    check_reachable(engine)
    if not force and holds_records(engine):
        raise BackupError("the database already holds records; restore into an empty database, or pass --force")
    rows = _sqlite_rows(source.path) if source.fmt == "sqlite" else _jsonl_rows(source.path)
    if _is_sqlite(engine):
        count = _restore_sqlite(source, rows, _sqlite_path(engine))
    else:
        with engine.begin() as conn:
            count = _load(conn, source.revision, rows)
    engine.dispose()
    return BackupInfo(source.path, source.fmt, source.revision, count)


def _restore_sqlite(source: Source, rows, target: str) -> int:
    """Build the restored database aside (at head), then copy it over the target in one step."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "restore.db"
        if source.fmt == "sqlite":
            rows.close()
            shutil.copy(source.path, staged)
            engine = make_engine(f"sqlite:///{staged}")
            from crm.store.engine import migrate

            migrate(engine)
            count = sum(1 for _ in _sqlite_rows(staged))
        else:
            engine = make_engine(f"sqlite:///{staged}")
            with engine.begin() as conn:
                count = _load(conn, source.revision, rows)
        engine.dispose()
        src = sqlite3.connect(staged)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    return count


def _load(conn, revision: str, rows) -> int:
    """Drop every table, create the schema at `revision`, insert the rows, upgrade to head."""
    from alembic import command

    old = MetaData()
    old.reflect(bind=conn)
    old.drop_all(bind=conn)
    cfg = alembic_config(conn.engine.url.render_as_string(hide_password=False))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)
    tables = {t.name: t for t in _tables(conn)}
    count, batch_table = 0, None
    batch: list[dict] = []
    for name, row in rows:
        if name not in tables:
            raise BackupError(f"the backup holds an unknown table {name!r}")
        if batch and name != batch_table:
            conn.execute(tables[batch_table].insert(), batch)
            batch = []
        batch_table = name
        batch.append(row)
        count += 1
        if len(batch) >= 500:
            conn.execute(tables[batch_table].insert(), batch)
            batch = []
    if batch:
        conn.execute(tables[batch_table].insert(), batch)
    if conn.dialect.name == "postgresql":
        for table in tables.values():
            if "id" not in table.columns:
                continue
            seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{table.name}"'}).scalar()
            if seq:
                top = conn.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')).scalar()
                conn.execute(text("SELECT setval(:s, :v, false)"), {"s": seq, "v": int(top) + 1})
    command.upgrade(cfg, "head")
    return count
