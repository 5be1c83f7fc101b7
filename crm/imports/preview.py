"""The preview of an import, kept compact: a few bytes of verdict per row, the rest packed.

Per row the preview holds its line, status, the record on file or earlier line it duplicates, whether
a value was read by interpretation (in arrays of machine integers) and, packed (`crm.imports.spool.Packed`),
its label, reason, errors, normalised values and notes ("約53人" read as about 53: a change the user
sees and accepts before committing). `Preview.plans` gives the rows back as `Plan` objects, one chunk at a time,
so that a 100,000-row file costs a few megabytes, not one Python object graph per row.
"""

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from heapq import merge
from itertools import groupby, islice

from crm.i18n import t
from crm.imports.rows import Plan
from crm.imports.spool import Packed

STATUSES = ("new", "duplicate", "invalid")
NEW, DUPLICATE, INVALID = range(3)
_CODE = {status: code for code, status in enumerate(STATUSES)}
OUTCOMES = ("imported", "merged", "skipped", "rejected")
ADD, MERGE, SKIP, REJECT = range(4)
_CHOICE = {"add": ADD, "merge": MERGE, "skip": SKIP}


@dataclass
class Preview:
    kind: str
    filename: str
    headers: list[str]
    mapping: dict[str, str | None]
    pending: dict[tuple, dict] = field(default_factory=dict)  # records to create first (cities, organisations)
    blank_rows: int = 0
    labels: dict[int, dict] = field(default_factory=dict)  # record id on file → {language: label}
    lines: array = field(default_factory=lambda: array("q"))  # line of each row in the file
    codes: bytearray = field(default_factory=bytearray)  # status of each row: NEW, DUPLICATE, INVALID
    match_ids: array = field(default_factory=lambda: array("q"))  # record on file it duplicates, 0: none
    match_lines: array = field(default_factory=lambda: array("q"))  # earlier line it duplicates, 0: none
    details: Packed = field(default_factory=Packed)  # (label, reason, errors, data, needs, notes) of each row
    noted: bytearray = field(default_factory=bytearray)  # 1 where a row has notes (values read by interpretation)

    def add(self, p: Plan) -> None:
        """Keep one planned row (rows come in file order)."""
        self.lines.append(p.line)
        self.codes.append(_CODE[p.status])
        self.match_ids.append(p.match_id or 0)
        self.match_lines.append(p.match_line or 0)
        self.details.append((p.label, p.reason, p.errors or None, p.data if p.status != "invalid" else None,
                             p.needs or None, p.notes or None))
        self.noted.append(1 if p.notes and p.status != "invalid" else 0)

    def __len__(self) -> int:
        return len(self.lines)

    def counts(self) -> dict[str, int]:
        return {status: n for code, status in enumerate(STATUSES) if (n := self.codes.count(code))}

    @property
    def plans(self) -> "Plans":
        """Every row as a `Plan`, rebuilt on demand."""
        return Plans(self)

    def index_of(self, line: int) -> int | None:
        """Position of the row at `line` of the file, or None."""
        i = bisect_left(self.lines, line)
        return i if i < len(self.lines) and self.lines[i] == line else None

    def notes_count(self) -> int:
        """Rows to be written with a value read by interpretation (see `notes_text`)."""
        return self.noted.count(1)

    def shown(self, only_problems: bool, limit: int) -> list[Plan]:
        """The first `limit` rows (or rows that are duplicates, invalid or read with notes), for a preview table."""
        found: Iterator[int]
        if only_problems:
            found = (i for i, _ in groupby(merge(positions(self.codes, DUPLICATE), positions(self.codes, INVALID),
                                                 positions(self.noted, 1))))
        else:
            found = iter(range(len(self)))
        return [self.plan_at(i) for i in islice(found, limit)]

    def plan_at(self, index: int) -> Plan:
        return self.plan(index, self.details[index])

    def plan(self, i: int, detail: tuple) -> Plan:
        label, reason, errors, data, needs, notes = detail
        return Plan(self.lines[i], STATUSES[self.codes[i]], data or {}, None, label, self.match_ids[i] or None,
                    self.match_lines[i] or None, reason, errors or {}, needs or [], notes or {})

    def outcomes(self, on_duplicate: str = "skip", decisions: dict[int, str] | None = None) -> bytearray:
        """What becomes of each row: ADD, MERGE, SKIP or REJECT (`decisions[line]` else `on_duplicate` for a
        duplicate). A merge into an earlier row of the file that is not itself added is a skip."""
        if on_duplicate not in _CHOICE:
            raise ValueError(f"on_duplicate must be one of {sorted(_CHOICE)}")
        out = self.codes.translate(bytes([ADD, _CHOICE[on_duplicate], REJECT]) + bytes(253))
        for line, choice in (decisions or {}).items():
            i = self.index_of(int(line))
            if i is not None and self.codes[i] == DUPLICATE and choice in _CHOICE:
                out[i] = _CHOICE[choice]
        for i in positions(out, MERGE):
            if not self.match_ids[i]:
                target = self.index_of(self.match_lines[i])
                if target is None or out[target] != ADD:  # nothing to merge into
                    out[i] = SKIP
        return out


def notes_text(plan: Plan, lang: str) -> str:
    """How the row's values were read where they were interpreted, field by field, in `lang`."""
    return "; ".join(f"{t('import.field.' + k, lang)}: {t(key, lang, **params)}"
                     for k, (key, params) in plan.notes.items())


def positions(codes: bytes | bytearray, wanted: int) -> Iterator[int]:
    """Positions in `codes` (a preview's statuses, or outcomes) holding `wanted`, in order."""
    i = codes.find(wanted)
    while i != -1:
        yield i
        i = codes.find(wanted, i + 1)


class Plans(Sequence):
    """A preview's rows as `Plan` objects, built as they are read (none is kept)."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview

    def __len__(self) -> int:
        return len(self.preview)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.preview.plan_at(index)

    def __iter__(self) -> Iterator[Plan]:
        i = 0
        for chunk in self.preview.details.chunks():
            for detail in chunk:
                yield self.preview.plan(i, detail)
                i += 1
