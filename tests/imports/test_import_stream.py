"""Imports kept compact: rows and the preview packed in chunks, the commit walking them chunk by chunk."""

import csv
import io

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.imports import flow as importer
from crm.imports import spool as import_store
from crm.imports.spool import Packed
from crm.records.queries import list_records
from crm.store import batch as writes_batch
from crm.store.batch import batch_report
from crm.store.engine import get_engine


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 3 packed rows, writes of 2 records and report rows written and read 2 at a time, so that a
    short file spans many chunks."""
    monkeypatch.setattr(import_store, "CHUNK", 3)
    monkeypatch.setattr(importer, "CHUNK", 2)
    monkeypatch.setattr(writes_batch, "CHUNK", 2)


CITIES = [["City", "中文名稱", "Country", "Notes"],
          ["Prague", "布拉格", "CZ", ""],  # 2: on file
          ["Riga", "里加", "LV", ""],  # 3
          ["Tallinn", "", "EE", ""],  # 4
          ["Nowhere-upon-Sea", "", "", ""],  # 5: unknown place
          ["Riga", "", "LV", "reaffirmed 2020"],  # 6: as line 3
          ["Vilnius", "", "LT", ""],  # 7
          ["TALLINN", "塔林", "EE", ""],  # 8: as line 4
          ["Lima", "", "Atlantis", ""],  # 9: unknown country
          ["Quito", "", "EC", ""],  # 10
          ["Vilnius", "維爾紐斯", "LT", ""]]  # 11: as line 7


def test_packed_is_a_sequence_across_chunks():
    items = [{"n": i, "text": "布拉格" * (i % 3)} for i in range(10)]
    packed = Packed(items, chunk=4)
    assert len(packed) == 10 and list(packed) == items and packed == items and packed != items[:9]
    assert packed[0] == items[0] and packed[5] == items[5] and packed[-1] == items[-1] and packed[3:6] == items[3:6]
    assert [len(c) for c in packed.chunks()] == [4, 4, 2]
    with pytest.raises(IndexError):
        packed[10]


def test_packed_chunks_live_on_a_temporary_file_not_in_memory():
    import copy
    import pickle

    items = [(i, f"row {i}" * 20) for i in range(25)]
    packed = Packed(items, chunk=10)
    assert len(packed._buffer) == 5 and len(packed._chunks) == 2  # two full chunks written out, five rows held
    assert all(isinstance(c, tuple) for c in packed._chunks) and packed._spill.tell() > 2 * 10 * 100
    assert list(packed) == items and packed[12] == items[12] and packed[24] == items[24]
    clone = pickle.loads(pickle.dumps(packed))
    deep = copy.deepcopy(packed)
    assert list(clone) == items == list(deep) and clone._spill is not packed._spill
    assert Packed([1, 2])._spill is None  # a short list never opens a file
    spill = packed._spill
    del packed
    assert spill.closed


def test_a_sheet_is_read_as_a_stream_and_kept_packed(small_chunks):
    data = csv_bytes([[""]] * 15 + [["Alpha", "Beta"], ["a", "b"], ["", ""], ["c", "d"]])
    sheet = importer.read(data, "x.csv", "cities")
    assert isinstance(sheet.rows, Packed) and sheet.header_line == 16 and sheet.headers == ["Alpha", "Beta"]
    assert list(sheet.rows) == [(17, ["a", "b"]), (19, ["c", "d"])] and sheet.blank_rows == 1


def test_a_preview_kept_in_chunks_commits_what_it_showed(db_url, admin, small_chunks):
    from crm.store import writes

    prague = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    preview = importer.plan(importer.read(csv_bytes(CITIES), "c.csv", "cities"), "cities")
    assert len(preview) == 10 and isinstance(preview.details, Packed) and len(list(preview.details.chunks())) == 4
    assert [(p.line, p.status, p.match_id, p.match_line) for p in preview.plans] == [
        (2, "duplicate", prague, None), (3, "new", None, None), (4, "new", None, None), (5, "invalid", None, None),
        (6, "duplicate", None, 3), (7, "new", None, None), (8, "duplicate", None, 4), (9, "invalid", None, None),
        (10, "new", None, None), (11, "duplicate", None, 7)]
    assert [p.line for p in preview.shown(True, 4)] == [2, 5, 6, 8] and preview.plans[7].line == 9
    assert preview.counts() == {"new": 4, "duplicate": 4, "invalid": 2}

    decisions = {2: "merge", 8: "add", 11: "skip", 3: "skip"}  # line 3 is new: a choice does not apply to it
    expected = importer.dry_run(preview, "merge", decisions)
    assert importer.dry_run(preview, "merge", decisions, details=False).counts.items() <= expected.counts.items()
    result = importer.commit(admin, preview, on_duplicate="merge", decisions=decisions)
    assert result.counts == expected.counts and list(result.report) == list(expected.report)
    assert {k: result.counts[k] for k in ("rows", "imported", "merged", "skipped", "rejected")} == {
        "rows": 10, "imported": 5, "merged": 2, "skipped": 1, "rejected": 2}
    assert [(r["line"], r["outcome"]) for r in result.report] == [(5, "rejected"), (9, "rejected"), (11, "skipped")]
    assert result.report[2]["same_as_line"] == 7 and result.report[2]["reason"] == "import.same_as_row"

    cities = list_records("cities", page_size=50).rows
    assert sorted(c["name_en"] for c in cities) == ["Prague", "Quito", "Riga", "Tallinn", "Tallinn", "Vilnius"]
    by_name = {c["name_en"]: c for c in cities}
    assert by_name["Prague"]["name_zh"] == "布拉格" and by_name["Riga"]["notes"] == "reaffirmed 2020"
    assert by_name["Riga"]["name_zh"] == "里加" and by_name["Vilnius"]["name_zh"] == ""
    assert {c["name_zh"] for c in cities if c["name_en"] == "Tallinn"} == {"", "塔林"}  # line 8 added anyway
    with Session(get_engine()) as s:
        batch = s.get(m.ImportBatch, result.batch_id)
        assert batch.counts == result.counts and batch.report is None  # the report is kept row by row:
    assert list(batch_report(result.batch_id)) == list(result.report) and len(result.report) == 3
    for lang in ("en", "zh-TW"):  # an earlier import's report, downloaded later, is the one given at the time
        assert importer.saved_report_csv(result.batch_id, lang) == importer.report_csv(result, lang)
    with Session(get_engine()) as s:
        merges = s.execute(select(func.count()).select_from(m.AuditEntry)
                           .where(m.AuditEntry.batch_id == result.batch_id, m.AuditEntry.action == "merge")).scalar()
    assert merges == 2
    assert importer.undo(admin, result.batch_id) == 6 and list_records("cities").total == 1


@pytest.mark.parametrize("kind", ["people", "organisations"])
def test_people_and_organisations_repeat_in_a_file_only_when_both_names_do(sqlite_url, admin, kind):
    data = csv_bytes([["英文名稱 English Name", "中文名稱 Chinese Name"],
                      ["Wang Wei", "王偉"],  # 2
                      ["Wang Wei", "王薇"],  # 3: another one who shares the English name
                      ["WANG WEI ", "王偉"],  # 4: line 2 again
                      ["", "王薇"],  # 5: only the Chinese name
                      ["", "王薇"]])  # 6: line 5 again
    preview = importer.plan(importer.read(data, "p.csv", kind), kind)
    assert [(p.line, p.status, p.match_line) for p in preview.plans] == [
        (2, "new", None), (3, "new", None), (4, "duplicate", 2), (5, "new", None), (6, "duplicate", 5)]
    result = importer.commit(admin, preview)
    assert result.counts["imported"] == 3 and list_records(kind).total == 3
