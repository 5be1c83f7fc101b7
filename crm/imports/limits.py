"""What an import accepts, checked before the file is parsed: one home for every limit.

A file past a limit is refused with `TooLarge` (which limit, the file's figure, the limit), before a
single row is read, so that neither a careless nor a hostile file can make an import run for minutes or
take gigabytes. The size limit is an office setting (`import_max_mb`, default `config.UPLOAD_LIMIT_MB`,
which the deployment's Streamlit `server.maxUploadSize` must match); the others are fixed here.
A workbook is inspected as a zip (declared sizes, compression ratio, members) and its XML streamed
with a bounded expat parser (crm.imports.xlsxscan) before openpyxl opens it.
"""

from crm import config
from crm.imports.refusals import TooLarge, UnreadableFile

MAX_SHEETS = 100
MAX_ROWS = 250_000  # rows of a sheet or lines of a CSV file (a 100,000-row city list is a legitimate file)
MAX_COLUMNS = 200
MAX_CELLS = 1_500_000  # cells holding a value in one sheet (100,000 rows of 15 columns; openpyxl reads ~100k a second)
MAX_MERGED = 10_000  # merged ranges in a sheet
MAX_MERGED_CELLS = 1_000_000  # cells a sheet's merged ranges cover together (A1:GR1048576 alone: 209 million)
MAX_SHARED_STRINGS = 1_000_000
MAX_CELL_TEXT = 32_767  # characters in one cell: Excel's own limit
MAX_UNPACKED = 160 * 2**20  # bytes of a workbook once unzipped
MAX_RATIO = 100  # unzipped / zipped size of one member (past 1 MB unzipped): a zip bomb's mark
RATIO_FROM = 2**20
MAX_MEMBERS = 2_000  # files inside a workbook's zip
MAX_LINE = 1_000_000  # characters in one line of a CSV file


def max_bytes() -> int:
    """The size limit of an upload or CLI import, in bytes (the office's setting, else the default)."""
    from crm.accounts import settings

    value = settings.get(settings.IMPORT_MAX_MB)
    megabytes = int(value) if value.isdigit() and int(value) > 0 else config.UPLOAD_LIMIT_MB
    return megabytes * 2**20


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}"


def check_size(size: int) -> None:
    """A file of `size` bytes (an upload, or a file on disk before it is read) against the size limit."""
    limit = max_bytes()
    if size > limit:
        raise TooLarge("import.limit.size", size=_mb(size), limit=_mb(limit))


def check_csv(text: str) -> None:
    """Lines and line length of a CSV file's text, before the CSV parser reads it."""
    sep = "\n" if "\n" in text or "\r" not in text else "\r"  # old Mac files end lines with CR alone
    lines = text.count(sep) + 1
    if lines > MAX_ROWS + 1:
        raise TooLarge("import.limit.csv_rows", rows=lines, limit=MAX_ROWS)
    if len(text) <= MAX_LINE:
        return
    start, line = 0, 1
    while True:  # linear: one find per line
        end = text.find(sep, start)
        stop = len(text) if end == -1 else end
        if stop - start > MAX_LINE:
            raise TooLarge("import.limit.line", line=line, length=stop - start, limit=MAX_LINE)
        if end == -1:
            return
        start, line = end + 1, line + 1


def check_columns(count: int, line: int, sheet: str = "") -> None:
    if count > MAX_COLUMNS:
        raise TooLarge("import.limit.columns", line=line, columns=count, limit=MAX_COLUMNS, sheet=sheet or "-")


def check_zip(archive) -> None:
    """Members, declared unzipped sizes and compression ratios of a workbook's zip (`zipfile.ZipFile`).
    Python's zipfile never gives more bytes than a member declares (it fails on the CRC), so the
    declared sizes bound what openpyxl will read."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise TooLarge("import.limit.members", members=len(members), limit=MAX_MEMBERS)
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED:
        raise TooLarge("import.limit.unpacked", size=_mb(total), limit=_mb(MAX_UNPACKED))
    for info in members:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise TooLarge("import.limit.ratio", part=info.filename[:80], ratio=info.file_size // max(1, info.compress_size),
                           limit=MAX_RATIO)
    if any(info.flag_bits & 0x1 for info in members):
        raise UnreadableFile("import.encrypted")
