"""Work on one database file from a test's own process: `DATABASE_URL` pointed at it for the block, then put back
(and the file's engine closed, so an app server or a copy sees everything written)."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def using_database(path: Path | str) -> Iterator[str]:
    """Point `DATABASE_URL` at the SQLite file `path` (yielding its URL) for the block; restore it afterwards."""
    from crm.store.engine import get_engine

    url = f"sqlite:///{path}"
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        get_engine(url).dispose()
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
