"""A bulk write staged before it is written: everything checked first, then written in one short burst.

An import of 100 000 rows spends nearly all its time checking rows (validation, references, search keys)
and preparing their audit entries. Done inside the write, that would hold SQLite's write lock (one writer
at a time) for the whole import, and every other save would wait for it or give up. A `Bulk` does that
work first, reading only, and keeps the prepared rows in a spool of the caller's choosing (a list, or the
imports' `Packed` on a temporary file, so memory stays flat); `write()` then inserts them, applies the
staged changes and records the batch in a few statements, in the caller's transaction: still all or nothing.

    bulk = Bulk(actor, batch_id, session=s)
    places = bulk.create_many("cities", new_places)       # `Later` references, not ids yet
    visits = bulk.create_many("visits", [{"title_en": "x", "origin_city_id": places[0]}])
    bulk.update("cities", 12, {"notes": "filled"}, 3, action="merge")   # 3: the version read
    bulk.save_batch("visits", "visits.xlsx", counts, report)
    bulk.write(progress)                                  # the short part
    bulk.id_of(visits[0])

Every row gets the checks and the audit entry `crm.store.writes.create` / `update` give one record, and every
staged change names the version it read: the write refuses it (`StaleRecord`) if the record moved on.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from types import SimpleNamespace
from typing import Any, NamedTuple, Protocol

from sqlalchemy import insert
from sqlalchemy import update as sql_update
from sqlmodel import Session, col

from crm import models as m
from crm.errors import NotFound, ValidationFailed
from crm.models.base import table_of
from crm.models.kinds import Kind, get_kind
from crm.store import batch
from crm.store.prepare import Actor, jsonable, snapshot, validate
from crm.store.search import LINK_NAME_FIELDS, search_text_for
from crm.store.writes import require_write, stale_error


class Spool(Protocol):
    """Where staged rows wait: appended to in order, walked once in order, read by position now and then."""

    def append(self, item: Any, /) -> None: ...
    def __getitem__(self, index: int, /) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Any]: ...


class Later(NamedTuple):
    """A record staged in a `Bulk` (row `row` of its staged part `part`): a value for a reference field of a
    row or change staged after it, given the record's id when the bulk is written. `names` feed the search
    keys of the records that refer to it."""

    part: int
    row: int
    names: tuple[str, ...] = ()


@dataclass
class _Part:
    kind: str
    count: int
    ids: list[int] = field(default_factory=list)


def _apart(data: dict) -> tuple[dict, dict[str, Later]]:
    """`data` with each `Later` value replaced by a placeholder id (its target is checked where it was staged)."""
    later = {k: v for k, v in data.items() if isinstance(v, Later)}
    return ({**data, **dict.fromkeys(later, 1)} if later else data), later


def _stand_ins(later: dict[str, Later]) -> dict[str, object] | None:
    return {k: SimpleNamespace(**dict(zip(LINK_NAME_FIELDS, v.names, strict=False))) for k, v in later.items()} or None


class Bulk:
    """Records to create and changes to make, checked now and written together by `write()` (see the module)."""

    def __init__(self, actor: Actor, batch_id: str | None, *, session: Session,
                 spool: Callable[[], Spool] = list) -> None:
        self.actor = require_write(actor, session=session)
        self.s, self.batch_id = session, batch_id
        self._rows: Spool = spool()  # (row, its dates as text, {field: (part, row)} or None) of every part, in order
        self._changes: Spool = spool()  # staged updates, in order
        self._changed: dict[tuple, tuple[int, dict, dict]] = {}  # (kind, target): (changes, values set, Later refs)
        self._last: dict[tuple, dict] = {}  # while writing: the last state written of a record changed more than once
        self._parts: list[_Part] = []
        self._batch: tuple | None = None
        self._written = False

    # ------------------------------------------------------------------ staging (reads only)

    def create_many(self, kind_name: str, rows: list[dict], *, is_demo: bool = False) -> list[Later]:
        """Check and stage new records of one kind; returns their `Later` references, in order.

        A `ValidationFailed` carries `row_index`, the position of the refused row in `rows`.
        """
        kind = get_kind(kind_name)
        if any(spec.key in row for row in rows for spec in kind.children):
            raise ValueError("a record with child rows is created on its own (crm.store.writes.create)")
        model = kind.model
        defaults = {name: f.get_default(call_default_factory=True)
                    for name, f in model.model_fields.items() if name != "id"}
        pinned = batch._pin_references(self.s, rows)  # noqa: F841 - held so that reference checks hit the identity map
        now = m.utcnow()
        number = len(self._parts)
        refs = []
        for index, given in enumerate(rows):
            data, later = _apart(given)
            try:
                values, _ = validate(self.s, kind, data, None, unresolved=later)
            except ValidationFailed as exc:
                exc.row_index = index
                raise
            if kind.is_event and values.get("planned_start") is None and values.get("start_on") is not None:
                values.setdefault("planned_start", values["start_on"])
                values.setdefault("planned_end", values.get("end_on"))
            row = {**defaults, "created_at": now, "updated_at": now, **values, "is_demo": is_demo}
            row["search_text"] = search_text_for(self.s, kind, SimpleNamespace(**row), children=False,
                                                 linked_to=_stand_ins(later))
            dates = {k: jsonable(v) for k, v in row.items() if isinstance(v, date)}  # as the audit log keeps them
            self._rows.append((row, dates, {k: (v.part, v.row) for k, v in later.items()} or None))
            refs.append(Later(number, index, tuple(str(row.get(f) or "") for f in LINK_NAME_FIELDS)))
        self._parts.append(_Part(kind.name, len(rows)))
        return refs

    def _staged(self, ref: Later) -> tuple:
        start = sum(p.count for p in self._parts[:ref.part])
        return self._rows[start + ref.row]

    def _later(self, part: int, row: int) -> Later:
        staged = self._staged(Later(part, row))[0]
        return Later(part, row, tuple(str(staged.get(f) or "") for f in LINK_NAME_FIELDS))

    @staticmethod
    def _key(kind: Kind, target: int | Later) -> tuple:
        return kind.name, ((target.part, target.row) if isinstance(target, Later) else target)

    def _current(self, kind: Kind, target: int | Later) -> tuple[dict, dict[str, Later]]:
        """The record as the changes staged so far leave it (as the audit log shows it), and those of its reference
        fields that hold records staged here (placeholders until written)."""
        if isinstance(target, Later):
            row, dates, refs = self._staged(target)
            children: dict[str, list] = {spec.key: [] for spec in kind.children}
            current = {"id": None, **row, **dates, **children}
            pending = {k: self._later(p, i) for k, (p, i) in (refs or {}).items()}
        else:
            record = self.s.get(kind.model, target)
            if record is None or record.deleted_at is not None:
                raise NotFound("err.not_found", kind=f"kind.{kind.name}", id=target)
            current, pending = snapshot(self.s, kind, record), {}
        changes, values, later = self._changed.get(self._key(kind, target), (0, {}, {}))
        if changes:
            current = {**current, **{k: jsonable(v) for k, v in values.items()}, "version": current["version"] + changes}
            pending = {**{k: v for k, v in pending.items() if k not in values}, **later}
        return current, pending

    def current(self, kind_name: str, target: int | Later) -> dict:
        """What a record holds, as the audit log shows it: one on file (by id) or one staged here, with the changes
        staged for it so far."""
        return self._current(get_kind(kind_name), target)[0]

    def update(self, kind_name: str, target: int | Later, data: dict, expected_version: int, *,
               action: str = "update") -> None:
        """Check and stage a change of fields of a record on file at `expected_version` (the version the caller
        read, counting the changes staged for it here), or of one staged here (version 1, and so on). Child
        collections are changed one record at a time (crm.store.writes.update)."""
        kind = get_kind(kind_name)
        before, pending = self._current(kind, target)
        if before.get("version") != expected_version:
            if isinstance(target, Later) or self._key(kind, target) in self._changed:
                raise ValueError(f"the record is at version {before.get('version')} in this bulk write")
            raise stale_error(self.s, kind, self.s.get(kind.model, target))
        fields, later = _apart(data)
        values, children = validate(self.s, kind, fields, before, unresolved=later)
        if children:
            raise ValueError("child collections are changed one record at a time (crm.store.writes.update)")
        linked = {**{k: v for k, v in pending.items() if k not in values}, **later}
        search = search_text_for(self.s, kind, SimpleNamespace(**{**before, **values}),
                                 children=not isinstance(target, Later), linked_to=_stand_ins(linked))
        key = self._key(kind, target)
        changes, set_before, later_before = self._changed.get(key, (0, {}, {}))
        self._changed[key] = (changes + 1, {**set_before, **values, "search_text": search},
                              {**{k: v for k, v in later_before.items() if k not in values}, **later})
        self._changes.append((kind.name, key[1], expected_version, values, before, search, action,
                              {k: (v.part, v.row) for k, v in later.items()},
                              {k: (v.part, v.row) for k, v in pending.items()}))

    def save_batch(self, kind_name: str, filename: str, counts: dict, report: Iterable[dict]) -> None:
        """Record the run (crm.store.batch.save_batch) when the bulk is written."""
        self._batch = (kind_name, filename, counts, report)

    # ------------------------------------------------------------------ writing

    def id_of(self, ref: Later) -> int:
        """The id a staged record got (after `write()`)."""
        return self._parts[ref.part].ids[ref.row]

    def _resolve(self, values: dict, refs: dict | None) -> dict:
        if refs:
            values = {**values, **{k: self._parts[p].ids[i] for k, (p, i) in refs.items()}}
        return values

    def write(self, progress: Callable[[float], None] | None = None) -> None:
        """Write everything staged, in the caller's session (its transaction commits or rolls back all of it)."""
        if self._written:
            raise RuntimeError("a bulk write is written once")
        self._written = True
        self.s.flush()  # whatever the caller added to the session goes first (and is not expired below)
        tick = progress or (lambda _f: None)
        total, done = max(1, len(self._rows) + len(self._changes)), 0
        staged = iter(self._rows)
        for part in self._parts:
            kind = get_kind(part.kind)
            left = part.count
            while left:
                chunk = list(islice(staged, min(batch.CHUNK, left)))
                left -= len(chunk)
                rows = [self._resolve(row, refs) for row, _, refs in chunk]
                ids = batch._insert_rows(self.s, table_of(kind.model), rows)
                part.ids += ids
                self._audit_created(kind, ids, rows, [dates for _, dates, _ in chunk])
                done += len(rows)
                tick(done / total)
        changes = iter(self._changes)
        while chunk := list(islice(changes, batch.CHUNK)):
            self._apply(chunk)
            done += len(chunk)
            tick(done / total)
        if self._changes:
            self.s.expire_all()  # records read while staging were changed underneath the session
        if self._batch is not None:
            batch.save_batch(self.actor, self.batch_id or "", *self._batch, session=self.s)
        self.s.flush()

    def _audit_created(self, kind: Kind, ids: list[int], rows: list[dict], dates: list[dict]) -> None:
        actor, now = self.actor, m.utcnow()
        empty: dict[str, list] = {spec.key: [] for spec in kind.children}
        audits, statuses = [], []
        for rid, row, as_text in zip(ids, rows, dates, strict=True):
            after = {"id": rid, **row, **as_text, **empty}
            audits.append({"at": now, "user_id": actor.id, "username": actor.username, "action": "create",
                           "kind": kind.name, "record_id": rid, "version": row["version"], "before": None,
                           "after": after, "batch_id": self.batch_id, "summary": ""})
            if kind.statuses and row.get("status"):
                statuses.append({"kind": kind.name, "record_id": rid, "from_status": "", "to_status": row["status"],
                                 "reason": "", "at": now, "user_id": actor.id, "username": actor.username})
        self.s.execute(insert(table_of(m.AuditEntry)), audits)
        if statuses:
            self.s.execute(insert(table_of(m.StatusChange)), statuses)

    def _apply(self, chunk: list[tuple]) -> None:
        """Each staged change: claim the next version of its record if it still has the one read, else refuse."""
        actor, now = self.actor, m.utcnow()
        audits, statuses = [], []
        for kind_name, where, version, staged_values, staged_before, search, action, refs, before_refs in chunk:
            kind = get_kind(kind_name)
            model = kind.model
            rid = self._parts[where[0]].ids[where[1]] if isinstance(where, tuple) else where
            values = self._resolve(staged_values, refs)
            result = self.s.exec(
                sql_update(model).where(col(model.id) == rid, col(model.version) == version)
                .values(**values, search_text=search, updated_at=now, version=col(model.version) + 1)
                .execution_options(synchronize_session=False))
            if result.rowcount != 1:
                record = self.s.get(model, rid)
                if record is None:
                    raise NotFound("err.not_found", kind=f"kind.{kind.name}", id=rid)
                self.s.refresh(record)
                raise stale_error(self.s, kind, record)
            key = (kind.name, where)
            before = self._last.pop(key, None) or self._resolve({**staged_before, "id": rid}, before_refs)
            after = {**before, **{k: jsonable(v) for k, v in values.items()}, "search_text": search,
                     "updated_at": jsonable(now), "version": version + 1}
            if self._changed[key][0] > 1:  # changed again later in this bulk: that change starts from here
                self._last[key] = after
            audits.append({"at": now, "user_id": actor.id, "username": actor.username, "action": action,
                           "kind": kind.name, "record_id": rid, "version": version + 1, "before": before,
                           "after": after, "batch_id": self.batch_id, "summary": ""})
            if kind.statuses and before.get("status") != after.get("status"):
                statuses.append({"kind": kind.name, "record_id": rid, "from_status": before.get("status") or "",
                                 "to_status": after.get("status") or "", "reason": "", "at": now,
                                 "user_id": actor.id, "username": actor.username})
        self.s.execute(insert(table_of(m.AuditEntry)), audits)
        if statuses:
            self.s.execute(insert(table_of(m.StatusChange)), statuses)
