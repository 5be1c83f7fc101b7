"""Property-based: broken workbooks (openpyxl- or xlsxwriter-written, then corrupted at the XML level inside the
zip) and CSVs (odd encodings, NULs, ragged rows, long lines) each end in a clear message in both languages or a
clean import: never an exception escaping, never a half-written import."""

import io
import os
import re
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.errors import LiaisonError
from crm.imports import flow as importer
from crm.imports.columns import template_headers
from tests.imports.test_hostile_files import check_message
from tests.support.hostile_files import rezip, table_counts

EXAMPLES = int(os.environ.get("LIAISON_IMPORT_EXAMPLES", "60"))
# the same examples on every run (the suite stays steady); LIAISON_IMPORT_RANDOM=1 with more examples to hunt
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("LIAISON_IMPORT_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
KINDS = st.sampled_from(["cities", "visits", "people", "partnerships"])
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=16)
ODD = st.sampled_from(["99999-99-99T99:99", "ZZZZZZ1", "1e999", "-1", "NaN", "", "0", "民國999年99月99日", "&amp;",
                       "A1:GR1048576", "\u202e", "s", "inlineStr", "d", "b", "e", "x" * 40, "<", "\"", "&#0;", "]]>"])
CELLS = st.one_of(st.none(), TEXT, ODD, st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False),
                  st.booleans(), st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)))
MEMBERS = st.sampled_from(["xl/worksheets/sheet1.xml"] * 6 + ["xl/sharedStrings.xml"] * 2 + [
    "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"])
CORRUPTIONS = st.lists(st.tuples(st.sampled_from(["truncate", "insert", "attribute", "value", "type", "dimension",
                                                  "drop"]), MEMBERS, st.floats(0, 1), st.one_of(ODD, TEXT)),
                       min_size=1, max_size=3)


def _book(kind: str, rows: list[list], shared: bool) -> bytes:
    header = template_headers(kind)[:6]
    out = io.BytesIO()
    if shared:
        import xlsxwriter

        book = xlsxwriter.Workbook(out, {"in_memory": True, "default_date_format": "yyyy-mm-dd"})
        ws = book.add_worksheet("Sheet1")
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        book.close()
    else:
        import openpyxl

        book = openpyxl.Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        book.save(out)
    return out.getvalue()


def _corrupt(body: bytes, how: str, at: float, payload: str) -> bytes:
    raw = payload.encode("utf-8", "surrogatepass")
    spots = {"attribute": rb'="[^"]*"', "value": rb"<v>[^<]*</v>", "type": rb' t="\w+"', "dimension": rb'ref="[^"]*"'}
    if how == "truncate":
        return body[: int(len(body) * at)]
    if how == "insert":
        cut = int(len(body) * at)
        return body[:cut] + raw + body[cut:]
    found = list(re.finditer(spots[how], body))
    if not found:
        return body
    hit = found[min(len(found) - 1, int(len(found) * at))]
    new = {"attribute": b'="' + raw + b'"', "value": b"<v>" + raw + b"</v>", "type": b' t="' + raw + b'"',
           "dimension": b'ref="' + raw + b'"'}[how]
    return body[: hit.start()] + new + body[hit.end():]


def _try_import(actor, data: bytes, filename: str, kind: str) -> str:
    """'refused' (with a clear message and nothing written) or 'imported' (every row accounted for)."""
    before = table_counts()
    try:
        preview = importer.plan(importer.read(data, filename, kind), kind, filename=filename)
        result = importer.commit(actor, preview)
    except LiaisonError as exc:
        check_message({"en": exc.message("en"), "zh": exc.message("zh-TW")})
        assert table_counts() == before
        return "refused"
    c = result.counts
    assert c["imported"] + c["merged"] + c["skipped"] + c["rejected"] == c["rows"]
    return "imported"


def test_broken_workbooks_end_in_a_message_or_a_clean_import(sqlite_url, admin):
    seen: set[str] = set()

    @FUZZ
    @given(kind=KINDS, rows=st.lists(st.lists(CELLS, max_size=6), max_size=6), shared=st.booleans(),
           corruptions=CORRUPTIONS)
    def run(kind, rows, shared, corruptions) -> None:
        data = _book(kind, rows, shared)
        for how, member, at, payload in corruptions:
            if how == "drop":
                data = rezip(data, {member: None})
            else:
                data = rezip(data, {member: lambda body, h=how, a=at, p=payload: _corrupt(body, h, a, p)})
        seen.add(_try_import(admin, data, "broken.xlsx", kind))

    run()
    assert seen == {"refused", "imported"}  # both ends were reached


PIECES = st.sampled_from(["\n", "\r\n", "\r", ",", ";", "\t", '"', '""', "\x00", "\ufeff", "布拉格", "Riga", "LV",
                          "捷克", "109/13/40", "約5人", "=SUM(A1)", ",,,,,,,,", "x" * 300, "\u200b", "🙂"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp950", "gb18030", "utf-16", "cp1252", "latin-1", "shift_jis"])


def test_broken_csvs_end_in_a_message_or_a_clean_import(sqlite_url, admin):
    seen: set[str] = set()

    @FUZZ
    @given(kind=KINDS, header=st.booleans(), pieces=st.lists(st.one_of(PIECES, TEXT, ODD), max_size=60),
           encoding=ENCODINGS, noise=st.binary(max_size=8), at=st.floats(0, 1))
    def run(kind, header, pieces, encoding, noise, at) -> None:
        text = (",".join(template_headers(kind)) + "\n" if header else "") + "".join(pieces)
        data = text.encode(encoding, errors="replace")
        cut = int(len(data) * at)
        data = data[:cut] + noise + data[cut:]
        seen.add(_try_import(admin, data, "broken.csv", kind))

    run()
    assert seen == {"refused", "imported"}
