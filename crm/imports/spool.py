"""A list kept out of memory: items pickled in chunks on a temporary file, so a file's rows cost no RAM.

A row of three short cells held as a list of strings costs about 300 bytes; pickled with a
thousand others it costs about 35, and those bytes go to an anonymous temporary file (deleted
when the list is, or when the process ends). `Packed` is appended to while a file is read or
planned and then iterated chunk by chunk (a chunk is unpickled only while it is walked), so
memory stays flat in the number of rows: one chunk in memory, the rest on disk. Items are
whatever pickle handles (tuples, dicts, dates...).
"""

import pickle
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

CHUNK = 1000


class Packed(Sequence):
    """An append-only sequence stored as pickled chunks of `chunk` items."""

    def __init__(self, items: Iterable = (), chunk: int | None = None) -> None:
        self._chunks: list[tuple[int, int]] = []  # (offset, length) of each full chunk in the spill file
        self._spill: IO[bytes] | None = None  # the temporary file, opened with the first full chunk
        self._lock = threading.Lock()
        self._buffer: list = []
        self._size = chunk or CHUNK
        self._n = 0
        self._cached: tuple[int, list] | None = None  # the last chunk read by index
        self.extend(items)

    def append(self, item) -> None:
        self._buffer.append(item)
        self._n += 1
        if len(self._buffer) >= self._size:
            self._write(pickle.dumps(self._buffer, protocol=5))
            self._buffer = []

    def _write(self, blob: bytes) -> None:
        with self._lock:
            if self._spill is None:
                self._spill = tempfile.TemporaryFile(prefix="liaison-import-")  # noqa: SIM115 (lives as long as the spool)
            self._spill.seek(0, 2)
            self._chunks.append((self._spill.tell(), len(blob)))
            self._spill.write(blob)

    def _read(self, number: int) -> list:
        offset, length = self._chunks[number]
        with self._lock:
            assert self._spill is not None  # a chunk on file was written there, opening it
            self._spill.seek(offset)
            blob = self._spill.read(length)
        return pickle.loads(blob)

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return self._n

    def _chunk(self, number: int) -> list:
        if number == len(self._chunks):
            return self._buffer
        if self._cached is None or self._cached[0] != number:
            self._cached = (number, self._read(number))
        return self._cached[1]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._n))]
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(index)
        return self._chunk(index // self._size)[index % self._size]

    def chunks(self) -> Iterator[list]:
        """The items, a chunk (list) at a time; each chunk is a fresh copy."""
        for number in range(len(self._chunks)):
            yield self._read(number)
        if self._buffer:
            yield list(self._buffer)

    def __iter__(self) -> Iterator:
        for chunk in self.chunks():
            yield from chunk

    def __eq__(self, other) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=False))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a list is; mypy types __hash__ as a method

    def __getstate__(self) -> dict:
        """Pickled (copied) with its items in memory; the copy spills them to a file of its own."""
        return {"items": list(self), "chunk": self._size}

    def __setstate__(self, state: dict) -> None:
        Packed.__init__(self, state["items"], state["chunk"])

    def __del__(self) -> None:
        spill = getattr(self, "_spill", None)
        if spill is not None:
            spill.close()

    def __repr__(self) -> str:
        return f"Packed({self._n} items in {len(self._chunks) + bool(self._buffer)} chunks)"
