"""Write-path operations over many records at once: import batches, undoing a batch, moving links.

Everything here goes through `crm.store.writes` (so every changed record gets its audit entry) and
works in the caller's session when given one.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, cast

from sqlalchemy import insert, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import InstrumentedAttribute, defer
from sqlmodel import Session, SQLModel, col

from crm import models as m
from crm.errors import NotFound, ValidationFailed
from crm.models.base import HIDDEN_FIELDS, table_of
from crm.models.kinds import KIND_BY_TABLE, KINDS, ChildSpec, Kind, get_kind
from crm.store.prepare import add_audit
from crm.store.writes import (
    Actor,
    create,
    delete,
    require_write,
    restore,
    snapshot,
    unit,
    update,
)

if TYPE_CHECKING:
    from crm.store.staged import Bulk, Spool

CHUNK = 1000


def new_batch_id(prefix: str = "import") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _pin_references(s: Session, rows: list[dict]) -> list:
    """Load what `rows` refer to in a few queries, so the per-row checks find it in the identity map."""
    from crm.store.validation import REFERENCES

    wanted: dict = {}
    for row in rows:
        for name, value in row.items():
            target = m.Country if name == "country_code" else REFERENCES.get(name)
            ok = isinstance(value, str) if target is m.Country else isinstance(value, int) and not isinstance(value, bool)
            if target is not None and ok:
                wanted.setdefault(target, set()).add(value)
    pinned: list = []
    for target, values in wanted.items():
        key = col(target.code) if target is m.Country else target.id
        ordered = sorted(values)
        for start in range(0, len(ordered), 500):
            pinned += s.execute(select(target).where(key.in_(ordered[start:start + 500]))).scalars().all()
    return pinned


def stage(actor: Actor, batch_id: str | None, *, session: Session, spool: "Callable[[], Spool]" = list) -> "Bulk":
    """A bulk write to stage in `session` (crm.store.staged.Bulk): rows and changes checked first, reading only,
    then written together by its `write()`, so that the write itself is short."""
    from crm.store.staged import Bulk

    return Bulk(actor, batch_id, session=session, spool=spool)


def create_many(actor: Actor, kind_name: str, rows: list[dict], *, session: Session | None = None,
                batch_id: str | None = None, is_demo: bool = False, into: "Bulk | None" = None) -> list:
    """Create many records of one kind: the same checks and audit as `create`, in a few round trips.

    Every row is checked before the first is written. Rows with child collections go through `create` one by
    one. A `ValidationFailed` carries `row_index`, the position of the refused row; nothing is written then
    (the caller's unit rolls back). With `into` (a bulk write being staged, see `stage`) the rows are only
    checked and staged, and their `Later` references are returned: `into.write()` writes them.
    """
    if into is not None:
        return into.create_many(kind_name, rows, is_demo=is_demo)
    kind = get_kind(kind_name)
    if any(spec.key in row for row in rows for spec in kind.children):
        return [create(actor, kind_name, row, session=session, batch_id=batch_id, is_demo=is_demo) for row in rows]
    with unit(session) as s:
        bulk = stage(actor, batch_id, session=s)
        refs = bulk.create_many(kind_name, rows, is_demo=is_demo)
        bulk.write()
        return [bulk.id_of(ref) for ref in refs]


def _insert_rows(s: Session, table, rows: list[dict]) -> list[int]:
    """INSERT the rows in a few statements; returns their new ids in order.

    PostgreSQL returns the ids of a batched INSERT in parameter order. SQLite cannot (SQLAlchemy would
    fall back to one statement per row), so there the first row is inserted alone: that takes the
    database's write lock, which this transaction holds until it ends, and its id is the highest in the
    table, so the following ids are free and are given explicitly.
    """
    if not rows:
        return []
    if s.connection().dialect.name != "sqlite":
        ids: list[int] = []
        for start in range(0, len(rows), CHUNK):
            result = s.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows[start:start + CHUNK])
            ids += [r[0] for r in result]
        return ids
    first = s.execute(insert(table).returning(table.c.id), rows[:1]).scalar_one()
    ids = list(range(first, first + len(rows)))
    for start in range(1, len(rows), CHUNK):
        s.execute(insert(table), [{**row, "id": rid} for row, rid in
                                  zip(rows[start:start + CHUNK], ids[start:start + CHUNK], strict=True)])
    return ids


def save_batch(actor: Actor, batch_id: str, kind_name: str, filename: str, counts: dict, report: Iterable[dict],
               *, session: Session | None = None) -> None:
    """Record an import (or merge) run as one unit, with an audit entry that names it, and its report
    row by row (`report` is walked once, a chunk at a time: the whole report is never one text)."""
    with unit(session) as s:
        actor = require_write(actor, session=s)
        s.add(m.ImportBatch(id=batch_id, username=actor.username, kind=kind_name, filename=(filename or "")[:255],
                            counts=counts))
        s.flush()  # the batch before the rows that name it
        rows: list[dict] = []
        for entry in report:
            rows.append({"batch_id": batch_id, "line": int(entry.get("line") or 0),
                         "outcome": str(entry.get("outcome") or ""), "entry": entry})
            if len(rows) == CHUNK:
                s.execute(insert(table_of(m.ImportReportRow)), rows)
                rows = []
        if rows:
            s.execute(insert(table_of(m.ImportReportRow)), rows)
        action = next((a for a in ("merge", "bulk") if batch_id.startswith(f"{a}-")), "import")
        add_audit(s, actor, action, get_kind(kind_name), None, None, None, {"counts": counts}, batch_id,
               summary=f"{filename or ''} {counts}")
        s.flush()


def undo_batch(actor: Actor, batch_id: str, *, session: Session | None = None) -> int:
    """Undo a whole import, merge or bulk change of a list (crm.store.bulk): delete what it created, put back what
    it changed; returns records touched.

    Refuses (nothing changed) when a record the batch changed has been edited since, or when the batch has
    been undone meanwhile (each write checks the version read here; the batch is marked undone only if it
    was not).
    """
    with unit(session) as s:
        actor = require_write(actor, session=s)
        not_report = defer(cast(InstrumentedAttribute, m.ImportBatch.report))  # not its long report
        batch = s.get(m.ImportBatch, batch_id, options=[not_report])
        if batch is None:
            raise NotFound("err.not_found", kind="page.import", id=batch_id)
        if batch.undone_at is not None:
            raise ValidationFailed({"batch": ("import.already_undone", {})})
        kind_name = batch.kind
        entries = s.execute(select(m.AuditEntry).where(col(m.AuditEntry.batch_id) == batch_id,
                                                       col(m.AuditEntry.record_id).is_not(None))
                            .order_by(col(m.AuditEntry.id).desc())).scalars().all()
        latest: dict[tuple, int] = {}
        for entry in entries:
            latest.setdefault((entry.kind, entry.record_id), entry.version or 0)
        for (name, record_id), version in latest.items():
            record = s.get(get_kind(name).model, record_id)
            if record is None or record.version != version:
                raise ValidationFailed({"batch": ("import.undo_changed", {"kind": name, "id": record_id})})
        touched = set()
        for entry in entries:
            kind = get_kind(entry.kind)
            key = (entry.kind, entry.record_id)
            touched.add(key)
            version = latest[key]  # the version checked above; each write of this undo claims the next
            if entry.action in ("tags", "owner"):  # a record's tags or owner (crm.store.labels)
                from crm.store import labels

                before = entry.before or {}
                if entry.action == "tags":
                    labels.set_tags(actor, kind.name, entry.record_id, before.get("tags") or [], version, session=s,
                                    batch_id=f"undo-{batch_id}", action="undo")
                else:
                    labels.set_owner(actor, kind.name, entry.record_id, before.get("owner"), version, session=s,
                                     batch_id=f"undo-{batch_id}", action="undo")
            elif entry.action == "create":
                delete(actor, kind.name, entry.record_id, version, session=s, batch_id=f"undo-{batch_id}")
            elif entry.action == "delete":
                restore(actor, kind.name, entry.record_id, version, session=s)
            elif entry.before:
                data = {k: v for k, v in entry.before.items() if k not in HIDDEN_FIELDS}
                update(actor, kind.name, entry.record_id, data, version, session=s, action="undo",
                       batch_id=f"undo-{batch_id}")
            else:
                continue
            latest[key] = version + 1
        marked = s.execute(sql_update(m.ImportBatch).where(col(m.ImportBatch.id) == batch_id,
                                                           col(m.ImportBatch.undone_at).is_(None))
                           .values(undone_at=m.utcnow()).execution_options(synchronize_session=False))
        if marked.rowcount != 1:
            raise ValidationFailed({"batch": ("import.already_undone", {})})
        add_audit(s, actor, "undo", get_kind(kind_name), None, None, None, {"batch": batch_id}, f"undo-{batch_id}",
               summary=f"undo {batch_id}")
        s.flush()
        return len(touched)


def child_spec(table: str) -> tuple[Kind, ChildSpec] | None:
    for kind in KINDS.values():
        for spec in kind.children:
            if spec.model.__tablename__ == table:
                return kind, spec
    return None


def references_to(kind_name: str) -> list[tuple[str, str]]:
    """Every (table, column) whose foreign key points at records of `kind_name`."""
    target = get_kind(kind_name).table
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == target for fk in column.foreign_keys):
                found.append((table.name, column.name))
    return found


def relink(actor: Actor, kind_name: str, from_id: int, to_id: int, *, session: Session,
           batch_id: str | None = None, action: str = "merge") -> int:
    """Point every link to record `from_id` of `kind_name` at `to_id` instead, through the write path.

    Each referencing record gets one update (its fields, and its child collections rewritten with
    the new ids; a child row that would then repeat another is dropped), checked against the version read
    here. Returns the records changed.
    """
    s = session
    actor = require_write(actor, session=s)
    changes: dict[tuple[str, int], dict] = {}
    versions: dict[tuple[str, int], int] = {}
    child_columns: dict[str, list[str]] = {}
    for table_name, column in references_to(kind_name):
        owner = KIND_BY_TABLE.get(table_name)
        if owner is not None:
            model = owner.model
            for rid, version in s.execute(select(col(model.id), col(model.version)).where(
                    getattr(model, column) == from_id, col(model.deleted_at).is_(None))).all():
                changes.setdefault((owner.name, rid), {})[column] = to_id
                versions[(owner.name, rid)] = version
        elif child_spec(table_name) is not None:
            child_columns.setdefault(table_name, []).append(column)
    for table_name, columns in child_columns.items():
        found = child_spec(table_name)
        assert found is not None  # child_columns holds only the tables child_spec knows
        parent_kind, spec = found
        parent_fk = getattr(spec.model, spec.parent_fk)
        condition = or_(*(getattr(spec.model, c) == from_id for c in columns))
        for pid in s.execute(select(parent_fk).where(condition).distinct()).scalars().all():
            parent = s.get(parent_kind.model, pid)
            if parent is None or parent.deleted_at is not None:
                continue
            rows, seen = [], set()
            for stored in snapshot(s, parent_kind, parent)[spec.key]:
                row = {k: (to_id if k in columns and v == from_id else v) for k, v in stored.items() if k != "seq"}
                marker = tuple(sorted((k, str(v)) for k, v in row.items()))
                if marker not in seen:
                    seen.add(marker)
                    rows.append(row)
            changes.setdefault((parent_kind.name, pid), {})[spec.key] = rows
            versions[(parent_kind.name, pid)] = parent.version
    for (owner_name, rid), data in sorted(changes.items()):
        update(actor, owner_name, rid, data, versions[(owner_name, rid)], session=s, action=action,
               batch_id=batch_id)
    return len(changes)


def batch_counts(batch_id: str, *, session: Session | None = None) -> dict:
    """An import's counts (NotFound when there is no such import)."""
    with unit(session) as s:
        counts = s.execute(select(col(m.ImportBatch.counts)).where(col(m.ImportBatch.id) == batch_id)).first()
        if counts is None:
            raise NotFound("err.not_found", kind="page.import", id=batch_id)
        return dict(counts[0] or {})


def batch_report(batch_id: str, *, session: Session | None = None) -> Iterator[dict]:
    """The report rows of an import, in the file's order, read a chunk at a time."""
    r = m.ImportReportRow
    with unit(session) as s:
        last = 0
        while True:
            chunk = s.execute(select(col(r.id), col(r.entry)).where(col(r.batch_id) == batch_id, col(r.id) > last)
                              .order_by(col(r.id)).limit(CHUNK)).all()
            for row in chunk:
                yield row.entry
            if len(chunk) < CHUNK:
                return
            last = chunk[-1].id


def list_batches(*, prefix: str = "", limit: int = 50, session: Session | None = None) -> list[dict]:
    """Recent import (or merge) runs, newest first, as plain dicts (without the full report)."""
    with unit(session) as s:
        b = m.ImportBatch
        stmt = select(col(b.id), col(b.at), col(b.username), col(b.kind), col(b.filename), col(b.counts),
                      col(b.undone_at))
        if prefix:
            stmt = stmt.where(col(b.id).startswith(prefix))
        rows = s.execute(stmt.order_by(col(b.at).desc()).limit(limit))
        return [dict(r._mapping) for r in rows]
