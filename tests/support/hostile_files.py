"""Hostile and broken import files, generated at test time (never committed): workbooks written by openpyxl
and corrupted at the XML or zip level, compressed bombs, and CSVs in odd encodings and shapes.

`corpus()` yields (name, filename, bytes) — a few hundred files; `worst()` the ones the issue names
(a merged range A1:GR1048576, 300 MB of comments or shared strings, a 60k-row inline-string sheet,
a 100k-row city list). `run_corpus(files)` imports each (read, plan, commit) and reports the
outcome; it is run in a subprocess under a memory cap by tests/imports/test_hostile_files.py.
"""

import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator

SHEET = "xl/worksheets/sheet1.xml"
SHARED = "shared:"  # a mutation of the workbook written with shared strings
STRINGS = "xl/sharedStrings.xml"


def workbook(rows: list[list] | None = None, merges: tuple[str, ...] = ()) -> bytes:
    from datetime import datetime

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Cities"
    for row in rows or [["City", "Country", "Population", "Founded", "Sister"],
                        ["Prague", "CZ", 1300000, datetime(2001, 5, 3), True],
                        ["Riga", "LV", 600000, datetime(1998, 1, 2), False],
                        ["Quito", "EC", 2000000, datetime(2010, 7, 9), True]]:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_workbook() -> bytes:
    """The same sheet written with shared strings (as Excel and xlsxwriter write text; openpyxl writes it inline)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("Cities")
    for r, row in enumerate([["City", "Country", "Population"], ["Prague", "CZ", 1300000], ["Riga", "LV", 600000]]):
        ws.write_row(r, 0, row)
    book.close()
    return out.getvalue()


def rezip(data: bytes, changes: dict[str, bytes | Callable[[bytes], bytes] | None], *,
          stored: bool = False) -> bytes:
    """`data` (a zip) with members replaced (bytes), rewritten (a function of the old bytes) or dropped (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            change = changes.get(info.filename, ...)
            if change is None:
                continue
            body = src.read(info.filename)
            if change is not ...:
                body = change(body) if callable(change) else change
            dst.writestr(info.filename, body, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
        for name, change in changes.items():
            if name not in src.namelist() and isinstance(change, bytes):
                dst.writestr(name, change)
    return out.getvalue()


def bomb(data: bytes, member: str, head: bytes, unit: bytes, size: int, tail: bytes) -> bytes:
    """`data` with `member` replaced by `head`, `unit` repeated to about `size` bytes, `tail`: written through a
    deflate stream, so a 300 MB member costs a few hundred KB on disk and in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info.filename, src.read(info.filename))
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as sink:
            sink.write(head)
            block = unit * max(1, (1 << 20) // len(unit))
            for _ in range(max(1, size // len(block))):
                sink.write(block)
            sink.write(tail)
    return out.getvalue()


def sub(pattern: str, replacement: str, count: int = 1) -> Callable[[bytes], bytes]:
    return lambda body: re.sub(pattern.encode(), replacement.encode(), body, count=count)


def _xml_mutations() -> Iterator[tuple[str, str, Callable[[bytes], bytes]]]:
    """(name, member, rewrite) corruptions of the openpyxl-written base workbook."""
    for ref in ("ZZZZZZ2", "A0", "1A", "", "A99999999", "XFE1", "$", "A-1"):
        yield f"cell-ref-{ref or 'empty'}", SHEET, sub(r'<c r="B2"', f'<c r="{ref}"')
    for value in ("abc", "1..2", "1e999", "0x10", "--1", "1,5", "NaN", "١٢"):
        yield f"number-{value}", SHEET, sub(r'(<c r="C2"[^>]*>)<v>[^<]*</v>', rf"\1<v>{value}</v>")
    for value in ("99999-99-99T99:99", "2020-13-01", "yesterday", "2020-02-30T00:00:00", "0000-00-00"):
        yield f"date-{value}", SHEET, sub(r'<c r="D2"([^>]*) t="n"><v>[^<]*</v>', rf'<c r="D2"\1 t="d"><v>{value}</v>')
    for value in ("99999", "-1", "x", "1.5", ""):
        yield f"shared-{value or 'empty'}", SHARED + SHEET, sub(r'(<c r="A2"[^>]*t="s"[^>]*>)<v>[^<]*</v>',
                                                               rf"\1<v>{value}</v>")
    for value in ("x", "2.5", "yes"):
        yield f"bool-{value}", SHEET, sub(r'(<c r="E2"[^>]*t="b"[^>]*>)<v>[^<]*</v>', rf"\1<v>{value}</v>")
    for kind in ("zzz", "s", "inlineStr", "e", "str", "d", "b"):
        yield f"type-{kind}", SHEET, sub(r'<c r="C3"([^>]*?)(?: t="\w+")?>', rf'<c r="C3"\1 t="{kind}">')
    for ref in ("A1:XFD1048576", "garbage", "ZZZZZZ1:A1", "A1:B2:C3", ""):
        yield f"dimension-{ref or 'empty'}", SHEET, sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"')
    for r in ("abc", "0", "99999999", "-3", "1048576", "250001"):
        yield f"row-number-{r}", SHEET, sub(r'<row r="3"', f'<row r="{r}"')
    for s in ("x", "99999", "-1"):
        yield f"style-{s}", SHEET, sub(r'<c r="B3"', f'<c s="{s}" r="B3"')
    for ref in ("A1:GR1048576", "bad", "A1:A1", "B2:A1", "A1:XFD1", "ZZZZZZ1:ZZZZZZ2"):
        yield f"merge-{ref}", SHEET, sub(r"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/>'
                                                          "</mergeCells>")
    many = "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1, 10_002))
    yield "merge-10001-ranges", SHEET, sub(r"</sheetData>", f"</sheetData><mergeCells>{many}</mergeCells>")
    yield "far-column", SHEET, sub(r"</row>", '<c r="GT2" t="inlineStr"><is><t>far</t></is></c></row>')
    yield "far-column-empty", SHEET, sub(r"</row>", '<c r="XFD2" s="0"/></row>')
    yield "long-inline-text", SHEET, sub(r"</row>", '<c r="F1" t="inlineStr"><is><t>' + "x" * 40_000
                                         + "</t></is></c></row>")
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    yield "sheet-doctype-entities", SHEET, lambda b: laughs + b.replace(b"<t>Riga</t>", b"<t>&b;</t>", 1)
    yield "external-entity", SHEET, lambda b: b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + b.replace(
        b"<t>Riga</t>", b"<t>&e;</t>", 1)
    yield "strings-truncated", SHARED + STRINGS, lambda b: b[: len(b) // 2]
    yield "strings-long", SHARED + STRINGS, sub(r"<t>Prague</t>", "<t>" + "長" * 33_000 + "</t>")
    yield "strings-doctype", SHARED + STRINGS, lambda b: b'<!DOCTYPE x [<!ENTITY a "b">]>' + b
    yield "strings-garbage", SHARED + STRINGS, lambda _b: b"\x00\xff garbage"
    yield "styles-garbage", "xl/styles.xml", lambda _b: b"<styleSheet><numFmts count='x'><numFmt numFmtId='q'/>"
    yield "styles-bad-numfmt", "xl/styles.xml", sub(r"<cellXfs", '<numFmts count="1"><numFmt numFmtId="abc" '
                                                    'formatCode="yyyy"/></numFmts><cellXfs')
    yield "workbook-garbage", "xl/workbook.xml", lambda _b: b"<workbook><sheets><sheet"
    yield "workbook-no-sheets", "xl/workbook.xml", sub(r"<sheets>.*</sheets>", "<sheets/>")
    yield "workbook-bad-rid", "xl/workbook.xml", sub(r'r:id="rId1"', 'r:id="rId99"')
    yield "rels-garbage", "xl/_rels/workbook.xml.rels", lambda _b: b"<Relationships><Relationship Id="
    yield "rels-outside", "xl/_rels/workbook.xml.rels", sub(r'Target="[^"]*sheet1.xml"', 'Target="../../../etc/passwd"')
    yield "content-types-garbage", "[Content_Types].xml", lambda _b: b"<Types"
    yield "sheet-utf16-declared", SHEET, lambda b: b.replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)
    yield "sheet-nul", SHEET, lambda b: b.replace(b"<sheetData>", b"<sheetData>\x00", 1)
    yield "sheet-empty", SHEET, lambda _b: b""
    yield "sheet-not-xml", SHEET, lambda _b: b"PK\x03\x04 not xml at all"
    yield "sheet-deep-nesting", SHEET, sub(r"<sheetData>", "<sheetData>" + "<x>" * 5000 + "</x>" * 5000)
    for cut in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        yield f"sheet-truncated-{cut}", SHEET, lambda b, cut=cut: b[: int(len(b) * cut)]


def corpus(seed: int = 20) -> Iterator[tuple[str, str, bytes]]:
    """A few hundred hostile or broken files: (name, filename, content)."""
    base, shared = workbook(), shared_workbook()
    names = zipfile.ZipFile(io.BytesIO(base)).namelist()
    for name, member, rewrite in _xml_mutations():
        if member.startswith(SHARED):
            yield name, f"{name}.xlsx", rezip(shared, {member.removeprefix(SHARED): rewrite})
        else:
            yield name, f"{name}.xlsx", rezip(base, {member: rewrite})
    for member in zipfile.ZipFile(io.BytesIO(shared)).namelist():
        yield f"shared-missing-{member}", "missing.xlsx", rezip(shared, {member: None})
    for member in names:  # each part missing in turn
        yield f"missing-{member}", "missing.xlsx", rezip(base, {member: None})
    rng = random.Random(seed)
    for i in range(40):  # the zip itself cut or with bytes flipped
        data = bytearray(base)
        if i % 2:
            data = data[: rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        yield f"zip-damaged-{i}", "damaged.xlsx", bytes(data)
    for i in range(30):  # random XML damage inside the sheet
        def damage(body: bytes, i=i) -> bytes:
            local = random.Random(seed * 1000 + i)
            out = bytearray(body)
            for _ in range(local.randrange(1, 5)):
                at = local.randrange(len(out))
                junk = bytes(local.choice(b'<>&"=/ 0x9Z') for _ in range(local.randrange(0, 3)))
                out[at:at + local.randrange(1, 4)] = junk
            return bytes(out)
        yield f"sheet-random-damage-{i}", "random.xlsx", rezip(base, {SHEET: damage})
    yield "encrypted-flag", "enc.xlsx", _encrypted_flag(base)
    yield "old-xls", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    yield "cfb-named-xlsx", "enc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
    yield "not-a-zip", "x.xlsx", b"this is not a workbook"
    yield "empty-xlsx", "x.xlsx", b""
    yield "zip-no-workbook", "x.xlsx", rezip(base, {n: None for n in names if n != "[Content_Types].xml"})
    yield "many-members", "x.xlsx", rezip(base, {f"junk/{i}.bin": b"" for i in range(2_100)})
    yield "many-sheets", "x.xlsx", workbook_many_sheets(101)
    yield "lying-sizes", "x.xlsx", lying_sizes(base)
    yield from worst(small=True)
    yield from _csvs(rng)


def lying_sizes(data: bytes, member: str = SHEET, size: int = 40 << 20) -> bytes:
    """`member` replaced by `size` bytes of XML, its headers declaring 1,000 bytes: a bomb that lies about its size."""
    import struct

    body = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    out = bytearray(bomb(data, member, body, b'<row><c t="inlineStr"><is><t>Riga</t></is></c></row>', size,
                         b"</sheetData></worksheet>"))
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory: sizes
        at = out.find(sig + b"")
        while at != -1:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", out, at + offset, 1000)
            at = out.find(sig, at + 4)
    return bytes(out)


def _encrypted_flag(data: bytes) -> bytes:
    """The zip's entries marked encrypted (general purpose flag bit 0), as a password-protected zip is."""
    out = bytearray(data)
    for match in re.finditer(rb"PK\x01\x02|PK\x03\x04", bytes(out)):
        at = match.start() + (8 if match.group() == b"PK\x01\x02" else 6)
        out[at] |= 1
    return bytes(out)


def workbook_many_sheets(n: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for i in range(n - 1):
        book.create_sheet(f"S{i}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inline_sheet(rows: int, cells: Callable[[int], list[str]]) -> bytes:
    """A workbook whose one sheet holds `rows` rows of inline strings (as some exporters write them)."""
    base = workbook([["x"]])
    body = io.StringIO()
    body.write('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><sheetData>')
    for r in range(1, rows + 1):
        body.write(f'<row r="{r}">')
        for c, text in enumerate(cells(r)):
            body.write(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>')
        body.write("</row>")
    body.write("</sheetData></worksheet>")
    return rezip(base, {SHEET: body.getvalue().encode()})


def city_list_csv(n: int) -> bytes:
    from crm.bench.imports import city_csv, city_rows

    return city_csv(city_rows(n))


def worst(small: bool = False) -> Iterator[tuple[str, str, bytes]]:
    """The files the issue names. `small`: the bombs only (the 60k and 100k-row files are slow to import)."""
    base = workbook()
    yield "merged-A1:GR1048576", "merged.xlsx", rezip(base, {SHEET: sub(
        r"</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:GR1048576"/></mergeCells>')})
    yield "comments-300MB", "comments.xlsx", bomb(
        base, "xl/comments/comment1.xml", b'<?xml version="1.0"?><comments xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><commentList><comment ref="A1"><text><t>', b"spam " * 50, 300 << 20,
        b"</t></text></comment></commentList></comments>")
    yield "sharedStrings-300MB", "strings.xlsx", bomb(
        base, STRINGS, b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<si><t>City</t></si>" * 20, 300 << 20, b"</sst>")
    yield "sheet-300MB", "sheet.xlsx", bomb(
        base, SHEET, b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main"><sheetData>', b'<row><c t="inlineStr"><is><t>Riga</t></is></c></row>' * 10, 300 << 20,
        b"</sheetData></worksheet>")
    yield "sharedStrings-one-huge-text-90MB", "strings.xlsx", bomb(
        base, STRINGS, b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>", b"A" * 1000, 90 << 20, b"</t></si></sst>")
    if not small:
        yield "inline-60k-rows", "inline.xlsx", inline_sheet(60_000, lambda r: (
            ["City", "Country", "Notes"] if r == 1 else [f"Town {r % 997}", "CZ", f"row {r}"]))
        yield "city-list-100k", "cities.csv", city_list_csv(100_000)


def _csvs(rng: random.Random) -> Iterator[tuple[str, str, bytes]]:
    rows = "城市 City,國家 Country,備註 Notes\n布拉格,捷克,姊妹市\nRiga,LV,\nQuito,EC,\"a, b\"\n"
    for enc in ("utf-8", "utf-8-sig", "cp950", "big5hkscs", "gb18030", "utf-16", "utf-16-le", "utf-16-be",
                "utf-32", "cp1252", "shift_jis", "euc-kr", "koi8-r", "latin-1"):
        yield f"csv-{enc}", "c.csv", rows.encode(enc, errors="replace")
    yield "csv-nul", "c.csv", rows.replace("Riga", "Ri\x00ga").encode()
    yield "csv-nuls-only", "c.csv", b"\x00" * 5000
    yield "csv-ragged", "c.csv", b"a,b,c\n1\n1,2,3,4,5,6,7\n,,\n\"x\",\"y\n"
    yield "csv-unclosed-quote", "c.csv", b'City,Country\n"Prague,CZ\n' + b"x" * 200_000
    yield "csv-huge-line", "c.csv", b"City,Country\n" + b"Prague" * 200_000 + b",CZ\n"
    yield "csv-huge-cell-quoted", "c.csv", b'City,Country\n"' + b"y" * 40_000 + b'",CZ\n'
    yield "csv-300-columns", "c.csv", (",".join(f"c{i}" for i in range(300)) + "\n" + ",".join("v" * 300) + "\n").encode()
    yield "csv-300-columns-trailing-empty", "c.csv", ("City,Country" + "," * 300 + "\nRiga,LV" + "," * 300 + "\n").encode()
    yield "csv-too-many-rows", "c.csv", b"City,Country\n" + b"Riga,LV\n" * 250_001
    yield "csv-sniffer-quadratic", "c.csv", b'",' * 200_000
    yield "csv-cr-only", "c.csv", rows.replace("\n", "\r").encode()
    yield "csv-mixed-newlines", "c.csv", rows.replace("\n", "\r\n", 2).encode()
    yield "csv-empty", "c.csv", b""
    yield "csv-bom-only", "c.csv", b"\xef\xbb\xbf"
    yield "csv-header-only", "c.csv", b"City,Country\n"
    yield "csv-formulas", "c.csv", b"City,Country\n=cmd|' /C calc'!A0,CZ\n+1+1,LV\n@SUM(A1),EC\n"
    yield "csv-broken-utf8", "c.csv", rows.encode() + b"\xff\xfe\xfa bad\n"
    yield "csv-binary", "c.csv", bytes(rng.randrange(256) for _ in range(4000))
    yield "csv-control-chars", "c.csv", ("City,Country\n" + "".join(chr(i) for i in range(1, 32)) + ",CZ\n").encode()
    yield "csv-rtl-zero-width", "c.csv", "City,Country\n\u202eagiR\u200b,LV\n\ufeffQuito,EC\n".encode()
    yield "csv-semicolons", "c.csv", rows.replace(",", ";").encode()
    yield "csv-numbers-odd", "visits.csv", ("日期,名稱,人數\n99999-99-99,x,1e999\n民國999年99月99日,y,-5\n"
                                            "0000-00-00,z,NaN\n").encode()
    for i in range(60):  # random mixtures of the pieces above
        pieces = [b"City,Country\n", b"Riga,LV\n", b"\x00", b'"', b"\r", b"\xff", b",,,,", "布拉格".encode(),
                  "布拉格".encode("cp950"), b"\n", b"x" * rng.randrange(1, 50), b"\xef\xbb\xbf", b";", b"\t"]
        yield f"csv-random-{i}", "r.csv", b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 80)))


def run_corpus(files, kind: str = "cities") -> list[dict]:
    """Import each file (read, plan, commit) in this process: its outcome, message in both languages, and the
    rows of the database before and after (records, audit entries, import batches)."""
    import time

    from crm.accounts.users import ensure_local_user
    from crm.errors import LiaisonError
    from crm.imports import flow

    actor = ensure_local_user()
    out = []
    for name, filename, data in files:
        before = table_counts()
        started = time.process_time()
        entry: dict = {"name": name}
        try:
            sheet = flow.read(data, filename, kind)
            preview = flow.plan(sheet, kind, filename=filename)
            result = flow.commit(actor, preview)
            entry.update(outcome="imported", counts=result.counts)
        except LiaisonError as exc:
            entry.update(outcome="refused", key=exc.key, en=exc.message("en"), zh=exc.message("zh-TW"))
        except Exception as exc:  # noqa: BLE001 - what the test looks for: an error escaping
            entry.update(outcome="crashed", error=f"{type(exc).__name__}: {exc}"[:300])
        entry.update(cpu=time.process_time() - started, before=before, after=table_counts())
        out.append(entry)
    return out


def table_counts() -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlmodel import Session

    from crm import models as m
    from crm.store.engine import get_engine

    with Session(get_engine()) as s:
        return {model.__tablename__: s.execute(select(func.count()).select_from(model)).scalar() or 0
                for model in (m.City, m.Organisation, m.AuditEntry, m.ImportBatch)}
