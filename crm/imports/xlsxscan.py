"""A workbook inspected before openpyxl opens it: its zip, then its XML streamed through expat.

`scan(data)` refuses, with a message naming the sheet and cell, a workbook past a limit of
crm.imports.limits or one openpyxl would stumble on: XML that breaks off, a DTD (entity tricks),
cell references that are no cell ("ZZZZZZ1"), numbers, booleans and dates that are none
("99999-99-99T99:99"), shared strings that do not exist, oversized merged ranges. The parser
keeps no tree: memory is one chunk of XML and one cell's text, whatever the file.
"""

import io
import posixpath
import re
import zipfile
import zlib
from xml.parsers import expat

from crm.imports import limits
from crm.imports.refusals import TooLarge, UnreadableFile

CHUNK = 1 << 16
MAX_PART = 32 * 2**20  # bytes of a part openpyxl reads whole (styles, workbook, theme, relationships...)
MAX_SHARED_BYTES = 64 * 2**20
WHOLE = re.compile(r"(\.rels$|^\[Content_Types\]\.xml$|workbook\.xml$|styles\.xml$|theme\d*\.xml$|^docProps/)")
REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
EXCEL_COLUMNS, EXCEL_ROWS = 16_384, 1_048_576
WORKBOOK_TYPES = ("sheet.main+xml", "sheet.macroEnabled.main+xml", "template.main+xml", "template.macroEnabled.main+xml")


def cell_ref(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference, or None when it names no cell of a sheet."""
    found = REF.fullmatch(ref or "")
    if not found:
        return None
    column = 0
    for letter in found.group(1).upper():
        column = column * 26 + ord(letter) - 64
    row = int(found.group(2))
    return (row, column) if 1 <= row <= EXCEL_ROWS and 1 <= column <= EXCEL_COLUMNS else None


def range_ref(ref: str) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of "A1:C3" (or "A1"), or None."""
    parts = (ref or "").split(":")
    if len(parts) > 2:
        return None
    cells = [cell_ref(p) for p in parts]
    if any(c is None for c in cells):
        return None
    (r1, c1), (r2, c2) = cells[0], cells[-1]  # type: ignore[misc]  # None excluded above
    return (r1, c1, r2, c2) if r1 <= r2 and c1 <= c2 else None  # B2:A1 is no range


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _stream(archive: zipfile.ZipFile, name: str, label: str, start, end=None, text=None) -> None:
    """Feed one member to expat in chunks, calling the handlers (local element names, attributes)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def doctype(*_args) -> None:
        raise UnreadableFile("import.doctype", part=label)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = lambda tag, attrs: start(_local(tag), attrs)
    if end is not None:
        parser.EndElementHandler = lambda tag: end(_local(tag))
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with archive.open(name) as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFile("import.bad_xml", part=label, line=exc.lineno, column=exc.offset + 1) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):  # a damaged member (CRC, inflate...)
        raise UnreadableFile("import.damaged_zip", part=label) from None


def _attribute(attrs: dict, local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local:
            return value
    return None


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels(archive: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Id → (type, member name) of a part's relationships."""
    path = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    out: dict[str, tuple[str, str]] = {}
    if path not in names:
        return out

    def start(tag: str, attrs: dict) -> None:
        if tag == "Relationship" and attrs.get("Id") and attrs.get("Target") and attrs.get("TargetMode") != "External":
            out[attrs["Id"]] = (attrs.get("Type", ""), _resolve(part, attrs["Target"]))

    _stream(archive, path, path, start)
    return out


def _parts(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, list[tuple[str, str]], str | None]:
    """The workbook part, its sheets (name, member) and its shared strings member."""
    if "[Content_Types].xml" not in names:
        raise UnreadableFile("import.not_a_workbook")
    overrides: dict[str, str] = {}
    _stream(archive, "[Content_Types].xml", "[Content_Types].xml",
            lambda tag, a: overrides.__setitem__(a.get("PartName", "").lstrip("/"), a.get("ContentType", ""))
            if tag == "Override" else None)
    book = next((p for p, kind in overrides.items() if kind.endswith(WORKBOOK_TYPES)), "xl/workbook.xml")
    if book not in names:
        raise UnreadableFile("import.not_a_workbook")
    rels = _rels(archive, book, names)
    sheets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict) -> None:
        if tag == "sheet":
            rel = rels.get(_attribute(attrs, "id") or "")
            if rel and rel[0].endswith("/worksheet"):
                sheets.append((attrs.get("name", "")[:100], rel[1]))

    _stream(archive, book, "workbook", start)
    strings = next((p for p, kind in overrides.items() if kind.endswith("sharedStrings+xml")),  # as openpyxl finds it
                   next((target for kind, target in rels.values() if kind.endswith("/sharedStrings")), None))
    return book, sheets, strings if strings in names else None


def _shared_strings(archive: zipfile.ZipFile, name: str) -> int:
    state = {"count": 0, "length": 0}

    def start(tag: str, _attrs: dict) -> None:
        if tag == "si":
            state["count"] += 1
            state["length"] = 0
            if state["count"] > limits.MAX_SHARED_STRINGS:
                raise TooLarge("import.limit.shared_strings", limit=limits.MAX_SHARED_STRINGS)

    def text(data: str) -> None:
        state["length"] += len(data)
        if state["length"] > limits.MAX_CELL_TEXT:
            raise TooLarge("import.limit.shared_text", index=state["count"], limit=limits.MAX_CELL_TEXT)

    _stream(archive, name, "sharedStrings", start, text=text)
    return state["count"]


def scan(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Refuse (`TooLarge`, `UnreadableFile`) a workbook past a limit or damaged where openpyxl would fail;
    else the merged ranges (min_col, min_row, max_col, max_row) of each worksheet, by zip member."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise UnreadableFile("import.not_a_workbook") from None
    with archive:
        limits.check_zip(archive)
        infos = {info.filename: info for info in archive.infolist()}
        names = set(infos)
        for name, info in infos.items():
            if WHOLE.search(name) and info.file_size > MAX_PART:
                raise TooLarge("import.limit.part", part=name[:80], size=limits._mb(info.file_size),
                               limit=limits._mb(MAX_PART))
        _book, sheets, strings = _parts(archive, names)
        if not sheets:
            raise UnreadableFile("import.no_sheets")
        if len(sheets) > limits.MAX_SHEETS:
            raise TooLarge("import.limit.sheets", sheets=len(sheets), limit=limits.MAX_SHEETS)
        shared = 0
        if strings:
            if infos[strings].file_size > MAX_SHARED_BYTES:
                raise TooLarge("import.limit.part", part=strings, size=limits._mb(infos[strings].file_size),
                               limit=limits._mb(MAX_SHARED_BYTES))
            shared = _shared_strings(archive, strings)
        merged = {}
        for sheet, member in sheets:
            if member not in names:
                raise UnreadableFile("import.missing_sheet", sheet=sheet)
            checked = SheetScan(sheet, shared)
            checked.run(archive, member)
            merged[member] = checked.ranges
        return merged


class SheetScan:
    """One worksheet's XML checked as it streams: rows, columns, cells, merged ranges, cell text."""

    def __init__(self, sheet: str, shared: int) -> None:
        self.sheet, self.shared = sheet, shared
        self.rows = self.merged = self.merged_cells = self.cells = 0
        self.ranges: list[tuple[int, int, int, int]] = []  # (min_col, min_row, max_col, max_row) merged
        self.row = self.column = 0
        self.cell: dict | None = None  # the open <c>: ref, type, text so far
        self.collect = False  # inside <v> or an inline string's <t>

    def _bad(self, problem: str, value: str = "", ref: str = "") -> UnreadableFile:
        return UnreadableFile(f"import.bad_cell.{problem}", sheet=self.sheet, cell=ref or self._ref(), row=self.row,
                              value=value[:40])

    def _ref(self) -> str:
        if self.cell and self.cell["ref"]:
            return self.cell["ref"][:20]
        from openpyxl.utils.cell import get_column_letter

        return f"{get_column_letter(max(1, min(self.column, EXCEL_COLUMNS)))}{self.row}"

    def start(self, tag: str, attrs: dict) -> None:
        if tag == "c":
            self._start_cell(attrs)
        elif tag in ("v", "t") and self.cell is not None:
            self.collect = True
        elif tag == "row":
            self._start_row(attrs)
        elif tag == "mergeCell":
            self._merge(attrs.get("ref", ""))
        elif tag == "dimension" and range_ref(attrs.get("ref", "")) is None:
            raise UnreadableFile("import.bad_dimension", sheet=self.sheet, value=attrs.get("ref", "")[:40])

    def _start_row(self, attrs: dict) -> None:
        self.rows += 1
        given = attrs.get("r")
        if given is not None:
            if not given.isdigit() or not 1 <= int(given) <= EXCEL_ROWS:
                raise UnreadableFile("import.bad_row_number", sheet=self.sheet, value=given[:20], after=self.row)
            self.row = int(given)
        else:
            self.row += 1
        self.column = 0
        if max(self.rows, self.row) > limits.MAX_ROWS:
            raise TooLarge("import.limit.rows", sheet=self.sheet, row=self.row, limit=limits.MAX_ROWS)

    def _start_cell(self, attrs: dict) -> None:
        ref = attrs.get("r")
        if ref is not None:
            where = cell_ref(ref)
            if where is None:
                self.cell = None
                raise self._bad("ref", ref, ref=ref[:20] or "-")
            self.column = where[1]
        else:
            self.column += 1
        style = attrs.get("s")
        self.cell = {"ref": ref, "type": attrs.get("t", "n"), "text": [], "length": 0}
        if style is not None and not style.isdigit():
            raise self._bad("style", style)

    def text(self, data: str) -> None:
        if self.collect and self.cell is not None:
            self.cell["length"] += len(data)
            if self.cell["length"] > limits.MAX_CELL_TEXT:
                raise TooLarge("import.limit.cell_text", sheet=self.sheet, cell=self._ref(), limit=limits.MAX_CELL_TEXT)
            self.cell["text"].append(data)

    def end(self, tag: str) -> None:
        if tag in ("v", "t"):
            self.collect = False
        elif tag == "c" and self.cell is not None:
            value = "".join(self.cell["text"]).strip()
            if value:
                self.cells += 1
                if self.column > limits.MAX_COLUMNS:  # an empty styled cell far right is no column
                    raise TooLarge("import.limit.sheet_columns", sheet=self.sheet, cell=self._ref(),
                                   limit=limits.MAX_COLUMNS)
                if self.cells > limits.MAX_CELLS:
                    raise TooLarge("import.limit.cells", sheet=self.sheet, cell=self._ref(), limit=limits.MAX_CELLS)
            self._check_value(self.cell["type"], value)
            self.cell = None

    def _check_value(self, kind: str, value: str) -> None:
        if not value or kind in ("str", "inlineStr", "e"):
            return
        try:
            if kind == "n":
                float(value) if any(ch in value for ch in ".eE") else int(value)
            elif kind == "b":
                int(value)
            elif kind == "s":
                if not 0 <= int(value) < self.shared:
                    raise self._bad("shared", value)
            elif kind == "d":
                from openpyxl.utils.datetime import from_ISO8601

                from_ISO8601(value)
            else:
                raise self._bad("type", kind)
        except ValueError:
            raise self._bad({"n": "number", "b": "bool", "s": "shared", "d": "date"}[kind], value) from None

    def _merge(self, ref: str) -> None:
        self.merged += 1
        if self.merged > limits.MAX_MERGED:
            raise TooLarge("import.limit.merged", sheet=self.sheet, limit=limits.MAX_MERGED)
        bounds = range_ref(ref)
        if bounds is None:
            raise self._bad("ref", ref, ref=ref[:20] or "-")
        r1, c1, r2, c2 = bounds
        self.merged_cells += (r2 - r1 + 1) * (c2 - c1 + 1)
        if self.merged_cells > limits.MAX_MERGED_CELLS:  # the cells all merged ranges cover, together
            raise TooLarge("import.limit.merged_cells", sheet=self.sheet, range=ref[:30],
                           cells=self.merged_cells, limit=limits.MAX_MERGED_CELLS)
        self.ranges.append((c1, r1, c2, r2))

    def run(self, archive: zipfile.ZipFile, member: str) -> None:
        _stream(archive, member, self.sheet, self.start, self.end, self.text)
