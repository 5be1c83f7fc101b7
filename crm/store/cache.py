"""A per-process cache of plain read results, invalidated by any write to the database.

Every write goes through `crm.store.writes`, and every write records an `AuditEntry`. So the data
version of a database is the audit log's (highest id, row count): it changes with each committed
write, from this process or any other (another app server, the CLI, an import), on SQLite and
PostgreSQL alike. The version is read at most once per `VERSION_TTL` seconds per database, and at
once after this process commits anything. Results are kept per (database, version, arguments).

Use for reads that aggregate or scan (counts, charts, map and timeline data); never for reads
inside a caller's transaction (`session=` given: the cache is bypassed), and return plain data only.
"""

import copy
import dataclasses
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from crm.config import today as office_today

VERSION_TTL = 1.0  # seconds: how long another process's write may go unseen
MAX_ENTRIES = 256  # per function

_lock = threading.Lock()
_versions: dict[str, tuple[float, tuple]] = {}  # url -> (read at, version)
_generation = 0  # bumped by every commit in this process
_caches: list[OrderedDict] = []


def _bump(*_args) -> None:
    global _generation  # noqa: PLW0603 (one counter per process, guarded by _lock)
    with _lock:
        _generation += 1
        _versions.clear()


def _note_write(conn, _cursor, statement: str, *_args) -> None:
    if not statement.lstrip()[:6].upper().startswith(("SELECT", "PRAGMA", "WITH", "SAVEPO", "RELEAS", "BEGIN")):
        conn.info["_liaison_wrote"] = True


def _committed(conn) -> None:
    if conn.info.pop("_liaison_wrote", False):
        _bump()


def _rolled_back(conn) -> None:
    conn.info.pop("_liaison_wrote", None)


# Any commit that wrote, in this process (ORM sessions and Core connections alike), makes the next read
# re-check the version at once; reads that commit an empty transaction do not.
event.listen(Engine, "after_cursor_execute", _note_write)
event.listen(Engine, "commit", _committed)
event.listen(Engine, "rollback", _rolled_back)


def data_version(url: str | None = None) -> tuple:
    """(highest audit id, audit rows) of the database at `url` (default: the configured one)."""
    from crm import config
    from crm import models as m
    from crm.store.engine import ensure_ready, get_engine

    url = url or config.database_url()
    now = time.monotonic()
    with _lock:
        known = _versions.get(url)
        generation = _generation
    if known is not None and now - known[0] < VERSION_TTL:
        return known[1]
    engine = ensure_ready(get_engine(url))
    with engine.connect() as conn:
        row = conn.execute(select(func.max(m.AuditEntry.id), func.count()).select_from(m.AuditEntry)).one()
        conn.rollback()
    version = (row[0] or 0, row[1] or 0)
    with _lock:
        if generation == _generation:  # no commit happened while reading
            _versions[url] = (now, version)
    return version


def _freeze(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(_freeze(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set)):
        return tuple(_freeze(v) for v in value)
    return value


_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime, Decimal, bytes})


def _immutable(value) -> bool:
    """Plain values, frozen dataclasses (which must hold only immutable values) and tuples of them."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    if kind is tuple:
        return all(_immutable(v) for v in value)
    params = getattr(kind, "__dataclass_params__", None)
    return params is not None and params.frozen


def _copy(value):
    """A copy the caller may change. Immutable values (plain values, frozen dataclasses, tuples of them)
    are handed out as they are; rows (dicts of plain immutable values), lists of rows or of immutable
    values, and dataclasses holding them (ListResult) are copied row by row, much faster than
    deepcopy; anything else is deep-copied."""
    if _immutable(value):
        return value
    kind = type(value)
    if kind is dict and all(type(v) in _PLAIN for v in value.values()):
        return dict(value)
    if kind is list and all(_immutable(v) or (type(v) is dict and all(type(x) in _PLAIN for x in v.values()))
                            for v in value):
        return [dict(v) if type(v) is dict else v for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and not hasattr(value, "__slots__"):
        out = copy.copy(value)
        for f in dataclasses.fields(value):
            object.__setattr__(out, f.name, _copy(getattr(value, f.name)))
        return out
    return copy.deepcopy(value)


def cached(fn: Callable | None = None, *, copy_result: bool = True, max_entries: int = MAX_ENTRIES):
    """Decorate a read: same database, data version, day and arguments → the kept result (a copy).

    `copy_result=False` hands out the kept object itself (for plotly figures, which are costly to copy):
    callers must not change it.
    """
    def wrap(f: Callable) -> Callable:
        store: OrderedDict = OrderedDict()
        _caches.append(store)

        @functools.wraps(f)
        def inner(*args, **kwargs):
            if kwargs.get("session") is not None:
                return f(*args, **kwargs)
            from crm import config

            url = config.database_url()
            given = {k: v for k, v in kwargs.items() if not (k == "session" and v is None)}
            try:
                key = (url, data_version(url), office_today(), _freeze(args), _freeze(given))
                hash(key)
            except TypeError:
                return f(*args, **kwargs)
            with _lock:
                if key in store:
                    store.move_to_end(key)
                    value = store[key]
                    return _copy(value) if copy_result else value
            value = f(*args, **kwargs)
            with _lock:
                store[key] = value
                while len(store) > max_entries:
                    store.popitem(last=False)
            return _copy(value) if copy_result else value

        inner.__dict__["uncached"] = f  # a function attribute (mypy types none set on a function)
        return inner

    return wrap(fn) if fn is not None else wrap


def clear() -> None:
    """Forget every kept result (tests; after restoring a backup in place)."""
    _bump()
    with _lock:
        for store in _caches:
            store.clear()
