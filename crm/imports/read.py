"""Reading an uploaded spreadsheet: CSV in any common encoding, or an Excel workbook.

Returns a `Sheet`: column labels (merged header cells and two-row headers joined) and the data
rows as lists of cell values, each with its line number in the file. Blank rows are dropped
(and counted); a row shorter than the header is padded. The file is read as a stream and its
rows kept packed (`crm.imports.spool.Packed`): memory stays flat however long the file.
"""

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from crm.errors import LiaisonError
from crm.imports import limits
from crm.imports.refusals import TooLarge, UnreadableFile
from crm.imports.spool import Packed

# the encodings a CSV may be read in (the user may choose one), by the name the preview shows
ENCODINGS = {"utf-8": "UTF-8", "cp950": "Big5 (CP950)", "big5hkscs": "Big5-HKSCS", "gb18030": "GB18030",
             "utf-16": "UTF-16", "cp1252": "Windows-1252"}
DETECTED = ("cp950", "big5hkscs", "gb18030")  # tried, in this order, on a file that is not UTF-8 at all
HEADER_SCAN = 12
SNIFF = 4096  # characters of a CSV file its dialect is guessed from
MAX_COLUMNS = limits.MAX_COLUMNS
log = logging.getLogger("liaison")
__all__ = ["ENCODINGS", "Sheet", "TooLarge", "UnreadableFile", "decode", "read_csv", "read_file", "read_xlsx", "to_sheet"]


@dataclass
class Sheet:
    headers: list[str]
    rows: Packed  # (line number in the file, cells), a sequence read chunk by chunk
    blank_rows: int = 0
    encoding: str = ""
    sheet_names: list[str] = field(default_factory=list)
    sheet: str = ""
    header_line: int = 1


def _strict(data: bytes, encoding: str) -> str:
    """`data` decoded in `encoding`, or `UnreadableFile` naming the line (and byte) that is not."""
    try:
        return data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n" if encoding != "utf-16" else "\n".encode(_utf16(data))) + 1
        byte = data[exc.start:exc.start + 1].hex().upper()
        key = "import.bad_utf8" if encoding == "utf-8" else "import.bad_bytes"
        raise UnreadableFile(key, line=line, byte=byte, encoding=ENCODINGS[encoding]) from None


def _utf16(data: bytes) -> str:
    return "utf-16-be" if data.startswith(b"\xfe\xff") else "utf-16-le"


def _mostly_utf8(data: bytes) -> bool:
    """Whether a file that is not valid UTF-8 is still mostly UTF-8 (a damaged or mixed file, not Big5):
    more well-formed multi-byte characters than broken bytes."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return wide > broken


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it: `encoding` when the user chose one, else UTF-8
    (with or without BOM), UTF-16 with a BOM, or a Chinese encoding (Big5/CP950...) detected in a file that is
    not UTF-8 at all. Bytes that do not decode are refused with their line, never replaced or guessed round:
    a UTF-8 file with a broken line is refused, not read as Big5 mojibake."""
    if encoding is not None:
        if encoding not in ENCODINGS:
            raise UnreadableFile("import.bad_encoding")
        return _strict(data, encoding), encoding
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        if data.startswith(b"\xef\xbb\xbf") or _mostly_utf8(data):
            _strict(data, "utf-8")  # raises, naming the first line that is not UTF-8
    for candidate in DETECTED:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("import.unknown_encoding")


def _blank(cells: list) -> bool:
    from crm.imports.normalise import is_blank

    return all(is_blank(c) for c in cells)


def read_csv(data: bytes, encoding: str | None = None) -> tuple[Iterator[list], str]:
    """The rows of a CSV file (a stream of lists of cells) and its encoding (`encoding`, else detected)."""
    text, encoding = decode(data, encoding)
    limits.check_csv(text)
    sample = text[:SNIFF]  # the sniffer is quadratic in quotes: a short sample (about 50 lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return _csv_rows(csv.reader(io.StringIO(text, newline=""), dialect)), encoding


def _csv_rows(reader) -> Iterator[list]:
    """The rows of a CSV reader, each checked against the limits (columns, cell text); a line the CSV parser
    refuses becomes a message naming it."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise TooLarge("import.limit.csv_cell", line=reader.line_num, limit=limits.MAX_CELL_TEXT) from None
            raise UnreadableFile("import.bad_csv", line=reader.line_num) from None
        if len(row) > MAX_COLUMNS:
            if any(cell.strip() for cell in row[MAX_COLUMNS:]):
                limits.check_columns(len(row), reader.line_num)
            row = row[:MAX_COLUMNS]
        if any(len(cell) > limits.MAX_CELL_TEXT for cell in row):
            column = next(i for i, cell in enumerate(row, start=1) if len(cell) > limits.MAX_CELL_TEXT)
            raise TooLarge("import.limit.csv_cell_at", line=reader.line_num, column=column, limit=limits.MAX_CELL_TEXT)
        yield row


def _merge_filled(rows: Iterable, ranges: list[tuple[int, int, int, int]]) -> Iterator[list]:
    """Rows with each merged range (min_col, min_row, max_col, max_row) filled with its top-left value; only the
    ranges covering the current row are looked at, so a range down the whole sheet costs nothing per row."""
    pending = sorted(ranges, key=lambda r: r[1], reverse=True)  # next to open at the end
    active: list[tuple[tuple[int, int, int, int], object]] = []
    for r_index, row in enumerate(rows, start=1):
        cells = list(row[:MAX_COLUMNS])
        while pending and pending[-1][1] <= r_index:
            bounds = pending.pop()
            if bounds[1] == r_index:
                col = bounds[0]
                active.append((bounds, cells[col - 1] if col - 1 < len(cells) else None))
        if active:
            active = [(b, v) for b, v in active if b[3] >= r_index]
            for (min_col, _r, max_col, _m), value in active:
                top = min(max_col, MAX_COLUMNS)
                if top >= min_col:
                    cells += [None] * (top - len(cells))
                    cells[min_col - 1:top] = [value] * (top - min_col + 1)
        yield cells


def read_xlsx(data: bytes, sheet: str | None = None) -> tuple[Iterator[list], list[str], str]:
    """Cell values of one sheet (the first, or `sheet`), merged ranges filled with their top-left value:
    a stream of rows, the sheet names and the sheet's title.

    Read-only (streaming) mode: a 30,000-row sheet reads in about a second.
    """
    import warnings

    import openpyxl

    from crm.imports.xlsxscan import scan

    merged = scan(data)  # limits and damage, before openpyxl reads anything
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a workbook we can read"
        log.info("workbook not readable: %r", exc)
        raise UnreadableFile("import.bad_file") from None
    names = book.sheetnames
    if sheet and sheet not in names:
        book.close()
        raise UnreadableFile("import.no_sheet", sheet=sheet, sheets=", ".join(names))
    ws = book[sheet] if sheet else book[names[0]]
    ranges = merged.get(str(getattr(ws, "_worksheet_path", "")).lstrip("/"), [])
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # some writers store a wrong sheet size; read what is there

    def rows() -> Iterator[list]:
        done = 0

        def counted() -> Iterator:
            nonlocal done
            for row in ws.iter_rows(values_only=True):
                done += 1
                yield row

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a date cell out of range is read as an error value: no warning
                yield from _merge_filled(counted(), ranges)
        except LiaisonError:
            raise
        except Exception as exc:  # noqa: BLE001 - a cell openpyxl cannot read: say which sheet and row
            log.info("sheet %r row %s not readable: %r", ws.title, done + 1, exc)
            raise UnreadableFile("import.bad_row", sheet=ws.title, row=done + 1) from None
        finally:
            book.close()

    return rows(), names, ws.title


def _labels(upper: list | None, lower: list) -> list[str]:
    """Header labels; a row above the header whose cells repeat over columns (a merged cell) is joined in."""
    from crm.imports.normalise import text

    if upper is not None and len({text(c) for c in upper if text(c)}) < 2:
        upper = None  # a title row merged across the sheet is not part of the header
    labels = []
    for i, cell in enumerate(lower):
        low = text(cell)
        up = text(upper[i]) if upper and i < len(upper) else ""
        spans = upper is not None and up and (
            (i > 0 and text(upper[i - 1]) == up) or (i + 1 < len(upper) and text(upper[i + 1]) == up))
        labels.append(f"{up} {low}".strip() if spans and low and low != up else (low or up))
    return labels


def to_sheet(raw: Iterable[list], score_label, **info) -> Sheet:
    """Find the header row (the early row naming most known columns) and the data rows under it.

    `raw` is read once, as a stream: only the first rows (where the header is looked for) are held.
    """
    stream = iter(raw)
    head = [cells for _, cells in zip(range(HEADER_SCAN), stream, strict=False)]

    def upper_of(index: int) -> list | None:
        return head[index - 1] if index > 0 and not _blank(head[index - 1]) else None

    best, best_score = 0, 0
    for index, cells in enumerate(head[:HEADER_SCAN]):
        named = {score_label(label) for label in _labels(upper_of(index), cells) if label} - {None}
        if len(named) > best_score:
            best, best_score = index, len(named)
    if best_score == 0:  # nothing recognised: the first non-blank row is the header
        if all(_blank(cells) for cells in head):  # all blank so far: look further down
            for more in stream:
                head.append(more)
                if not _blank(more):
                    break
        best = next((i for i, cells in enumerate(head) if not _blank(cells)), 0)
    headers = _labels(upper_of(best), head[best] if head else [])
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = [h or f"#{i + 1}" for i, h in enumerate(headers[:width])]
    rows, blank = Packed(), 0
    for line, raw in enumerate(chain(head[best + 1:], stream), start=best + 2):
        cells = list(raw[:width]) + [None] * (width - len(raw))
        if _blank(cells):
            blank += 1
            continue
        rows.append((line, cells))
    return Sheet(headers=headers, rows=rows, blank_rows=blank, header_line=best + 1, **info)


def read_file(data: bytes, filename: str, score_label, sheet: str | None = None, encoding: str | None = None) -> Sheet:
    """Read an upload by its name and content: .xlsx/.xlsm as Excel, anything else as CSV (in `encoding`, one of
    `ENCODINGS`, when the user chose it; else detected)."""
    limits.check_size(len(data))
    name = (filename or "").lower()
    try:
        if name.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
            raw, names, title = read_xlsx(data, sheet)
            return to_sheet(raw, score_label, sheet_names=names, sheet=title)
        if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise UnreadableFile("import.old_excel")
        raw, found = read_csv(data, encoding)
        return to_sheet(raw, score_label, encoding=found)
    except LiaisonError:
        raise
    except Exception as exc:
        log.error("import of %r failed", filename, exc_info=True)  # for the administrator; the user gets a message
        raise UnreadableFile("import.unreadable", file=(filename or "-")[:80]) from exc
