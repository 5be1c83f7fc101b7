"""Backup and restore of the whole database.

The file's name sets its format (`format_for`):
- `.db`, `.sqlite`, `.sqlite3` (SQLite only): an online copy with the sqlite3 backup API (consistent
  while the app runs); the file is itself a SQLite database carrying its schema revision.
- `.jsonl`, `.jsonl.gz`: a portable logical dump, JSON lines (gzip when the name ends in `.gz`): a
  header naming the format and schema revision, one line per row in foreign-key order, an end line
  with the row count (a truncated file is refused).
- any other name: `fmt`, else SQLite for a SQLite database and JSON lines for PostgreSQL.

Every backup is written 0600 (a directory it creates 0700) and signed (FILE.sig, see
`crm.store.backup_key`). Restore works on a private copy of the file: it refuses a file that is not
a Liaison backup, comes from a newer schema, is unsigned or altered (unless `unsigned=True`), and a
database holding records unless forced. It loads only the tables and columns of Liaison's schema
at the backup's revision (a trigger, view, extra table or extra column in the file is never
copied, and is named in the result), then upgrades to head, and audits the restore (who, when,
which file, its SHA-256, signed or not). All or nothing: PostgreSQL in one transaction; SQLite by
building the restored database aside and copying it in with the backup API.

Files on records come along byte for byte: chunks kept in the database are rows like any other, and the
contents of a file store directory (`LIAISON_FILE_STORE`) are written into the backup as chunk rows too, so
that one signed file holds everything; a restore puts them back in the store (crm.store.blobs.materialise).
`progress` (the backup command's, on a terminal) hears of each table as it is written.
"""

import getpass
import gzip
import json
import os
import shutil
import socket
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, delete, func, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from crm import models as m
from crm.models.base import table_of
from crm.store import blobs
from crm.store.backup_file import (
    FORMAT,
    FORMAT_VERSION,
    SKIP_TABLES,
    Reader,
    Source,
    encode,
    inspect_file,
    jsonl_reader,
    schema_tables,
    sqlite_reader,
)
from crm.store.backup_key import (
    BackupError,
    Key,
    Verdict,
    backup_key,
    private_dirs,
    private_file,
    signature,
    signature_path,
    verify,
)
from crm.store.engine import alembic_config, check_reachable, current_revision, get_engine, make_engine

__all__ = ["BackupError", "BackupInfo", "backup", "format_for", "holds_records", "inspect_file", "restore"]
SQLITE_NAMES = (".db", ".sqlite", ".sqlite3")
Progress = Callable[[str, int], None]  # (what is being written: a table's name or "files", rows so far)
CHUNK_TABLE = "filechunk"  # rows of up to half a megabyte: read and written a few at a time
JSONL_NAMES = (".jsonl", ".jsonl.gz", ".json.gz", ".gz")


@dataclass
class BackupInfo:
    path: Path
    fmt: str  # sqlite | jsonl
    revision: str
    rows: int
    signed: bool = False  # backup: signed; restore: its signature was checked and valid
    sha256: str = ""
    key: Key | None = None  # backup: the key it was signed with
    problem: str = ""  # restore --unsigned: why the signature was not valid
    ignored: list[str] = field(default_factory=list)  # restore: objects of the file not copied (trigger t...)


# ---------------------------------------------------------------- helpers

def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return path


def _atomic_target(path: Path) -> Path:
    """A private (0600) temporary file beside `path`, in a directory made 0700 if it is missing."""
    private_dirs(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    private_file(tmp)
    return tmp


def format_for(target: Path, fmt: str | None, sqlite_database: bool) -> str:
    """The backup format for a file of this name: its ending says (.db → sqlite, .jsonl[.gz] → jsonl); `fmt`
    must agree with it; a name that says nothing takes `fmt`, else the database's own (sqlite or jsonl)."""
    name = target.name.lower()
    named = "sqlite" if name.endswith(SQLITE_NAMES) else "jsonl" if name.endswith(JSONL_NAMES) else None
    if fmt is not None and fmt not in ("sqlite", "jsonl"):
        raise BackupError(f"unknown backup format {fmt!r} (sqlite or jsonl)")
    if fmt and named and fmt != named:
        raise BackupError(f"--format {fmt} does not match the name {target.name} (a {named} file): "
                          "name a SQLite copy .db, a JSON-lines dump .jsonl or .jsonl.gz")
    chosen = fmt or named or ("sqlite" if sqlite_database else "jsonl")
    if chosen == "sqlite" and not sqlite_database:
        raise BackupError(f"{target.name}: a SQLite copy needs a SQLite database; name the file .jsonl.gz "
                          "for a dump of PostgreSQL")
    return chosen


# ---------------------------------------------------------------- backup

def _quiet(_what: str, _rows: int) -> None:
    return None


def backup(target: str | Path, *, url: str | None = None, fmt: str | None = None,
           progress: Progress | None = None) -> BackupInfo:
    """Write a signed backup of the configured (or given) database to `target` (0600); never prompts."""
    engine = get_engine(url)
    check_reachable(engine)
    revision = current_revision(engine)
    if revision is None:
        raise BackupError("the database has no Liaison schema: nothing to back up")
    target = Path(target)
    fmt = format_for(target, fmt, _is_sqlite(engine))
    key = backup_key(create=True)
    assert key is not None  # made when missing
    tmp = _atomic_target(target)
    sig_tmp = tmp.with_name(tmp.name + ".sig")
    try:
        if fmt == "sqlite":
            rows = _sqlite_backup(_sqlite_path(engine), tmp, progress or _quiet)
        else:
            rows = _jsonl_backup(engine, revision, tmp, compress=target.name.lower().endswith(".gz"),
                                 progress=progress or _quiet)
        os.chmod(tmp, 0o600)
        private_file(sig_tmp)
        sig_tmp.write_bytes(signature(tmp, key, target.name))
        os.replace(tmp, target)
        os.replace(sig_tmp, signature_path(target))
    finally:
        tmp.unlink(missing_ok=True)
        sig_tmp.unlink(missing_ok=True)
    return BackupInfo(target, fmt, revision, rows, signed=True, key=key)


def _sqlite_backup(source: str, target: Path, progress: Progress) -> int:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=1024, progress=lambda _status, left, total: progress("pages", total - left))
    finally:
        dst.close()
        src.close()
    _embed_file_store(target, progress)
    dst = sqlite3.connect(target)
    try:
        tables = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return sum(dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
                   if t not in SKIP_TABLES and not t.startswith("sqlite_"))
    finally:
        dst.close()


def _embed_file_store(copy: Path, progress: Progress) -> None:
    """Write the file store's contents into the SQLite copy as chunk rows (a copy made before files had none)."""
    engine = make_engine(f"sqlite:///{copy}")
    try:
        if CHUNK_TABLE not in inspect(engine).get_table_names():
            return
        chunks = table_of(m.FileChunk)
        with engine.begin() as conn:
            for done, row in enumerate(blobs.dir_contents(conn), start=1):
                conn.execute(insert(chunks), [row])
                progress("files", done)
    finally:
        engine.dispose()


def _jsonl_backup(engine: Engine, revision: str, target: Path, *, compress: bool, progress: Progress) -> int:
    opener = gzip.open if compress else open
    total = 0
    # one read transaction: a consistent snapshot even while others write (REPEATABLE READ on PostgreSQL)
    with engine.connect() as opened:
        conn = opened if _is_sqlite(engine) else opened.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin(), opener(target, "wt", encoding="utf-8") as out:
            tables = schema_tables(conn)
            header = {"format": FORMAT, "version": FORMAT_VERSION, "revision": revision,
                      "source": engine.dialect.name, "created_at": datetime.now(UTC).isoformat(),
                      "tables": [t.name for t in tables]}
            out.write(json.dumps(header) + "\n")
            for table in tables:
                order = list(table.primary_key.columns) or list(table.columns)
                stmt = select(table).order_by(*order)
                if table.name == CHUNK_TABLE:  # a few chunks in memory at a time, never the whole table
                    stmt = stmt.execution_options(stream_results=True, max_row_buffer=8)
                for done, row in enumerate(conn.execute(stmt), start=1):
                    data = {k: encode(v) for k, v in row._mapping.items()}
                    out.write(json.dumps({"t": table.name, "r": data}, ensure_ascii=False) + "\n")
                    total += 1
                    if done % 500 == 0 or table.name == CHUNK_TABLE:
                        progress(table.name, done)
                progress(table.name, -1)
            if CHUNK_TABLE in {t.name for t in tables}:
                for done, data in enumerate(blobs.dir_contents(conn), start=1):
                    out.write(json.dumps({"t": CHUNK_TABLE, "r": {k: encode(v) for k, v in data.items()}}) + "\n")
                    total += 1
                    progress("files", done)
            out.write(json.dumps({"end": True, "rows": total}) + "\n")
    return total


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


def restore(path: str | Path, *, url: str | None = None, force: bool = False, unsigned: bool = False,
            who: str | None = None) -> BackupInfo:
    """Replace the database's contents with a backup; all or nothing, audited. The file is checked and read
    from a private copy (what is checked is what is restored); `unsigned=True` restores a file whose signature
    is missing or does not match."""
    original = Path(path)
    if not original.is_file():
        raise BackupError(f"{original}: no such file")
    engine = get_engine(url)
    check_reachable(engine)
    with tempfile.TemporaryDirectory(prefix="liaison-restore-") as tmp:
        copy = Path(tmp) / original.name
        shutil.copyfile(original, copy)
        source = inspect_file(copy)
        sig = signature_path(original)
        verdict = _verdict(copy, sig.read_bytes() if sig.is_file() else None, unsigned)
        audit = _audit_entry(original, source, verdict, who)
        refusal = ""
        if verdict.problem and not unsigned:
            refusal = (f"{original.name}: {verdict.problem}; not restored (restore it anyway with --unsigned only if "
                       "you know where it comes from)")
        elif not force and holds_records(engine):
            refusal = "the database already holds records; restore into an empty database, or pass --force"
        if refusal:
            _audit_refusal(engine, audit, refusal)
            raise BackupError(refusal)
        reader = sqlite_reader(copy) if source.fmt == "sqlite" else jsonl_reader(copy)
        try:
            if _is_sqlite(engine):
                count, ignored = _restore_sqlite(source, reader, _sqlite_path(engine), audit)
            else:
                with engine.begin() as conn:
                    count, ignored = _load(conn, source.revision, reader, audit)
                    conn.execute(delete(table_of(m.WebSession)))  # everyone signs in again on the restored data
        except SQLAlchemyError as exc:  # rows that do not fit the schema (a damaged or forged file)
            detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
            refusal = f"{original.name}: its rows do not fit Liaison's schema ({detail}); nothing restored"
            _audit_refusal(engine, audit, refusal)
            raise BackupError(refusal) from None
        except BackupError as exc:  # a truncated or damaged file, found while loading: nothing restored
            _audit_refusal(engine, audit, str(exc))
            raise
        finally:
            engine.dispose()
    return BackupInfo(original, source.fmt, source.revision, count, signed=verdict.signed, sha256=verdict.sha256,
                      problem=verdict.problem, ignored=ignored)


def _verdict(copy: Path, sig: bytes | None, unsigned: bool) -> Verdict:
    try:
        key = backup_key(create=False)
    except BackupError as exc:  # a key that cannot be used: the signature cannot be checked
        if not unsigned:
            raise
        return Verdict(verify(copy, None, None).sha256, False, str(exc))
    return verify(copy, sig, key)


def _audit_entry(original: Path, source: Source, verdict: Verdict, who: str | None) -> dict:
    """The audit entry of a restore (its row count and what was ignored are added once loaded)."""
    try:
        user = who or getpass.getuser()
    except (KeyError, OSError):  # no name for this uid
        user = f"uid {os.getuid()}"
    after = {"file": str(original.resolve()), "sha256": verdict.sha256, "signed": verdict.signed,
             "signature": verdict.problem or "valid", "format": source.fmt, "revision": source.revision,
             "host": socket.gethostname(), "command": "python -m crm restore"}
    summary = f"{original.name} sha256:{verdict.sha256[:16]} " + ("signed" if verdict.signed else "NOT SIGNED")
    return {"user_id": None, "username": user[:64], "action": "backup_restore", "kind": "backup",
            "record_id": None, "version": None, "before": None, "after": after, "batch_id": None,
            "summary": summary[:500]}


def _audit_refusal(engine: Engine, audit: dict, reason: str) -> None:
    """Record a refused restore in the database it was refused for, when that database has Liaison's schema."""
    entry = {**audit, "action": "backup_restore_refused", "at": m.utcnow(), "summary": reason[:500],
             "after": {**audit["after"], "refused": reason}}
    try:
        if current_revision(engine) is None:
            return
        with engine.begin() as conn:
            conn.execute(insert(table_of(m.AuditEntry)), [entry])
    except SQLAlchemyError:  # an old or damaged schema: the refusal still reaches the administrator
        return


def _restore_sqlite(source: Source, reader: Reader, target: str, audit: dict) -> tuple[int, list[str]]:
    """Build the restored database aside (schema made here, rows loaded, at head), then copy it over the target
    in one step: nothing of the backup file but its rows reaches the database."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "restore.db"
        engine = make_engine(f"sqlite:///{staged}")
        try:
            with engine.begin() as conn:
                result = _load(conn, source.revision, reader, audit)
        finally:
            engine.dispose()
        src = sqlite3.connect(staged)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    return result


def _load(conn, revision: str, reader: Reader, audit: dict) -> tuple[int, list[str]]:
    """Drop every table, create the schema at `revision`, insert the rows of its tables and columns, upgrade to
    head, add the audit entry; returns the rows loaded and what the file held besides."""
    from alembic import command

    old = MetaData()
    old.reflect(bind=conn)
    old.drop_all(bind=conn)
    cfg = alembic_config(conn.engine.url.render_as_string(hide_password=False))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)
    tables = {t.name: t for t in schema_tables(conn)}
    ignored: set[str] = set()
    count, batch_table = 0, ""
    batch: list[dict] = []
    for name, row in reader(tables, ignored):
        if batch and name != batch_table:
            conn.execute(tables[batch_table].insert(), batch)
            batch = []
        batch_table = name
        batch.append(row)
        count += 1
        if len(batch) >= (8 if name == CHUNK_TABLE else 500):
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
    blobs.materialise(conn)
    found = sorted(ignored)
    entry = {**audit, "at": m.utcnow(), "after": {**audit["after"], "rows": count, "ignored": found}}
    conn.execute(insert(table_of(m.AuditEntry)), [entry])
    return count, found
