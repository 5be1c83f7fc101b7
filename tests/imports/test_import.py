"""Importing real-world-shaped spreadsheets: encodings, merged headers, ROC dates, duplicates, one transaction, undo."""

import csv
import io
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import Session

from crm import models as m
from crm.bench.imports import city_csv, city_rows
from crm.imports import flow as importer
from crm.imports.columns import COLUMNS, IMPORT_KINDS, auto_map, template_csv, template_headers
from crm.records.queries import get_record, list_records
from crm.store.engine import get_engine


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def visits_workbook() -> bytes:
    """A sheet as offices keep them: a title row merged across, a two-row header with merged cells,
    ROC dates as text, real date cells, headcounts in words, blank rows between blocks."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "外賓"
    book.create_sheet("其他")
    ws["A1"] = "臺北市政府 109 年上半年外賓來訪一覽表"
    ws.merge_cells("A1:F1")
    ws["A2"], ws["B2"], ws["D2"], ws["E2"], ws["F2"] = "日期", "名稱", "人數", "國家", "備註"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:C2")
    ws.merge_cells("D2:D3")
    ws.merge_cells("E2:E3")
    ws.merge_cells("F2:F3")
    ws["B3"], ws["C3"] = "中文", "英文"
    data = [
        ("民國109年1月13日", "首爾大學楊一模教授來訪", "Visit of Prof. Yang Il-mo", "3", "韓國", ""),
        (datetime(2020, 2, 5), "宏都拉斯大使拜會", "Ambassador of Honduras", "約5人", "Honduras", ""),
        (None, None, None, None, None, None),
        ("109.5.29", "六國駐台代表拜會市長", "", "１２", "", "紐、澳、英、美、加、星"),
        (43880, "", "Singapore Trade Office call", "2", "SGP", ""),
        ("109/13/40", "日期錯誤的列", "", "4", "日本", ""),
    ]
    for row in data:
        ws.append(list(row))
    ws.append([None] * 6)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(model) -> int:
    with Session(get_engine()) as s:
        return s.execute(select(func.count()).select_from(model).where(model.deleted_at.is_(None))).scalar()


def run_import(data: bytes, filename: str, kind: str, actor, **kw):
    preview = importer.plan(importer.read(data, filename, kind), kind, filename=filename)
    return preview, importer.commit(actor, preview, **kw)


def accounted(result) -> bool:
    c = result.counts
    return c["imported"] + c["merged"] + c["skipped"] + c["rejected"] == c["rows"]


def test_big5_csv_of_partner_cities_is_detected_and_imported(db_url, admin):
    data = csv_bytes([["城市", "國家", "類型", "締結日期", "備註"],
                      ["布拉格", "捷克", "姊妹市", "民國109年1月13日", "市長親簽"],
                      ["利馬", "秘魯", "友好城市", "109/02/10", ""],
                      ["Riga", "拉脫維亞", "sister", "2001", ""]], "cp950")
    sheet = importer.read(data, "姊妹市.csv", "partnerships")
    assert sheet.encoding == "cp950" and sheet.headers[0] == "城市"
    preview, result = run_import(data, "姊妹市.csv", "partnerships", admin)
    assert result.counts["rejected"] == 0 and result.counts["imported"] == 3 and accounted(result)
    assert result.counts["created_cities"] == 3
    rows = sorted(list_records("partnerships").rows, key=lambda r: str(r["established_on"] or ""))
    assert [(r["kind"], r["established_on"], r["established_year"]) for r in rows] == [
        ("sister", None, 2001), ("sister", date(2020, 1, 13), None), ("friendship", date(2020, 2, 10), None)]
    rows = rows[1:]
    prague = get_record("cities", rows[0]["city_id"])
    assert (prague["name_en"], prague["name_zh"], prague["country_code"], prague["coord_source"]) == (
        "Prague", "布拉格", "CZ", "gazetteer")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
def test_every_common_encoding_reads_the_same(encoding):
    data = csv_bytes([["姓名", "職稱", "機構"], ["柯文哲", "臺北市長", "臺北市政府"]], encoding)
    sheet = importer.read(data, "people.csv", "people")
    assert sheet.headers == ["姓名", "職稱", "機構"] and sheet.rows[0][1] == ["柯文哲", "臺北市長", "臺北市政府"]


def test_excel_with_merged_header_cells_roc_dates_and_blank_rows(db_url, admin):
    data = visits_workbook()
    sheet = importer.read(data, "外賓.xlsx", "visits")
    assert sheet.sheet_names == ["外賓", "其他"] and sheet.header_line == 3
    assert sheet.headers == ["日期", "名稱 中文", "名稱 英文", "人數", "國家", "備註"]
    assert sheet.blank_rows == 2 and len(sheet.rows) == 5
    assert auto_map("visits", sheet.headers) == {"日期": "start_on", "名稱 中文": "title_zh", "名稱 英文": "title_en",
                                                 "人數": "headcount", "國家": "country_code", "備註": "notes"}
    preview, result = run_import(data, "外賓.xlsx", "visits", admin)
    assert result.counts == {**result.counts, "rows": 5, "imported": 4, "rejected": 1, "blank_rows": 2}
    assert result.report[0]["line"] == 9 and result.report[0]["errors"]["start_on"][0] == "import.bad_date"
    rows = {r["start_on"]: r for r in list_records("visits", page_size=10).rows}
    assert set(rows) == {date(2020, 1, 13), date(2020, 2, 5), date(2020, 5, 29), date(2020, 2, 19)}
    assert (rows[date(2020, 2, 5)]["headcount"], rows[date(2020, 2, 5)]["headcount_approx"]) == (5, True)
    assert rows[date(2020, 5, 29)]["headcount"] == 12 and rows[date(2020, 2, 19)]["country_code"] == "SG"
    assert rows[date(2020, 1, 13)]["country_code"] == "KR"


def test_a_chosen_sheet_and_a_missing_sheet():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["ignored"])
    other = book.create_sheet("Cities")
    other.append(["City", "Country"])
    other.append(["Tallinn", "Estonia"])
    out = io.BytesIO()
    book.save(out)
    sheet = importer.read(out.getvalue(), "x.xlsx", "cities", sheet="Cities")
    assert sheet.sheet == "Cities" and sheet.rows == [(2, ["Tallinn", "Estonia"])]
    from crm.imports.read import UnreadableFile

    with pytest.raises(UnreadableFile) as info:
        importer.read(out.getvalue(), "x.xlsx", "cities", sheet="Nope")
    assert "Nope" in info.value.message("en")


def test_mixed_language_headers_for_people(db_url, admin):
    data = csv_bytes([["Name", "職稱", "Organisation", "國家", "E-mail"],
                      ["Zdeněk Hřib", "Mayor of Prague", "Prague City Hall", "CZ", "mayor@praha.eu"],
                      ["楊一模", "教授", "首爾大學", "Korea", ""],
                      ["Yang Il-mo", "Professor", "首爾大學", "South Korea", ""]])
    preview, result = run_import(data, "contacts.csv", "people", admin)
    assert preview.mapping == {"Name": "name", "職稱": "title", "Organisation": "organisation_id",
                               "國家": "country_code", "E-mail": "email"}
    assert result.counts["imported"] == 3 and result.counts["created_organisations"] == 2
    people = {r["name_en"] or r["name_zh"]: r for r in list_records("people").rows}
    assert people["楊一模"]["title_zh"] == "教授" and people["Zdeněk Hřib"]["title_en"] == "Mayor of Prague"
    assert people["楊一模"]["organisation_id"] == people["Yang Il-mo"]["organisation_id"]


def test_preview_marks_new_duplicates_and_invalid_rows(db_url, admin):
    from crm.store import writes

    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    data = csv_bytes([["City", "Country"], ["Praha", "Czech Republic"], ["PRAGUE ", ""], ["布拉格", "捷克"],
                      ["Prague, Czech Republic", ""], ["City of Prague", "CZE"], ["Riga", "Latvia"], ["RIGA", "LV"],
                      ["Nowhere-upon-Sea", ""], ["Lima", "Atlantis"]])
    preview = importer.plan(importer.read(data, "c.csv", "cities"), "cities")
    status = [(p.line, p.status) for p in preview.plans]
    assert status == [(2, "duplicate"), (3, "duplicate"), (4, "duplicate"), (5, "duplicate"), (6, "duplicate"),
                      (7, "new"), (8, "duplicate"), (9, "invalid"), (10, "invalid")]
    assert {p.match_id for p in preview.plans[:5]} == {prague}
    assert preview.plans[6].match_line == 7 and preview.plans[6].match_id is None
    assert importer.reason_text(preview.plans[6], "zh-TW") == "與本檔第 7 列相同"
    assert "Atlantis" in importer.reason_text(preview.plans[8], "en")
    assert importer.reason_text(preview.plans[7], "zh-TW")  # in the user's language, not a key
    assert preview.labels[prague]["en"].startswith("Prague") and preview.labels[prague]["zh-TW"].startswith("布拉格")


def test_duplicates_are_skipped_merged_or_added_as_chosen(db_url, admin):
    from crm.store import writes

    prague = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    data = csv_bytes([["City", "中文名稱", "Country", "Notes"], ["Prague", "布拉格", "CZ", ""],
                      ["Riga", "里加", "LV", ""], ["Riga", "", "LV", "reaffirmed 2020"], ["Tallinn", "", "EE", ""],
                      ["Tallinn", "塔林", "EE", ""]])
    preview = importer.plan(importer.read(data, "c.csv", "cities"), "cities")
    assert [p.status for p in preview.plans] == ["duplicate", "new", "duplicate", "new", "duplicate"]
    result = importer.commit(admin, preview, on_duplicate="skip", decisions={2: "merge", 4: "merge", 6: "add"})
    assert (result.counts["imported"], result.counts["merged"], result.counts["skipped"]) == (3, 2, 0)
    merged = get_record("cities", prague)
    assert merged["name_zh"] == "布拉格" and merged["version"] == 2
    riga = [r for r in list_records("cities", q="riga").rows]
    assert len(riga) == 1 and riga[0]["name_zh"] == "里加" and riga[0]["notes"] == "reaffirmed 2020"
    assert len(list_records("cities", q="tallinn").rows) == 2  # added anyway
    with Session(get_engine()) as s:
        actions = s.execute(select(m.AuditEntry.action).where(m.AuditEntry.batch_id == result.batch_id)).scalars().all()
        batch = s.get(m.ImportBatch, result.batch_id)
    assert sorted(actions) == ["create"] * 3 + ["import"] + ["merge"] * 2
    assert batch.counts["merged"] == 2 and batch.username == admin.username


def test_commit_is_all_or_nothing(db_url, admin, monkeypatch):
    from crm.store import batch as writes_batch

    data = csv_bytes([["城市", "國家"]] + [[name, "JP"] for name in ("Tokyo", "Osaka", "Kyoto", "Sapporo")])
    preview = importer.plan(importer.read(data, "c.csv", "cities"), "cities")
    monkeypatch.setattr(importer, "CHUNK", 2)
    real = writes_batch.create_many
    calls = []

    def failing(*args, **kw):
        calls.append(1)
        if len(calls) == 2:  # the first chunk of two rows is written, then this one fails
            raise RuntimeError("disk full")
        return real(*args, **kw)

    monkeypatch.setattr(importer, "create_many", failing)
    with pytest.raises(RuntimeError):
        importer.commit(admin, preview)
    assert len(calls) == 2 and count(m.City) == 0
    with Session(get_engine()) as s:
        assert s.execute(select(func.count()).select_from(m.ImportBatch)).scalar() == 0
        assert s.execute(select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.kind == "cities")).scalar() == 0


def test_an_import_is_undone_as_one_unit(db_url, admin):
    from crm.errors import ValidationFailed
    from crm.store import writes

    lima = writes.create(admin, "cities", {"name_en": "Lima", "country_code": "PE"})
    data = csv_bytes([["城市", "中文名稱", "國家"], ["Lima", "利馬", "Peru"], ["Quito", "基多", "Ecuador"]])
    _, result = run_import(data, "c.csv", "cities", admin, on_duplicate="merge")
    assert get_record("cities", lima)["name_zh"] == "利馬" and count(m.City) == 2
    touched = importer.undo(admin, result.batch_id)
    assert touched == 2 and count(m.City) == 1
    assert get_record("cities", lima)["name_zh"] == "" and list_records("cities", q="quito").total == 0
    batches = importer.list_batches()
    assert batches[0]["id"] == result.batch_id and batches[0]["undone_at"] is not None
    with pytest.raises(ValidationFailed):
        importer.undo(admin, result.batch_id)


def test_undo_refuses_when_a_record_was_edited_since(sqlite_url, admin):
    from crm.errors import ValidationFailed
    from crm.store import writes

    _, result = run_import(csv_bytes([["City", "Country"], ["Quito", "EC"]]), "c.csv", "cities", admin)
    quito = list_records("cities").rows[0]
    writes.update(admin, "cities", quito["id"], {"notes": "edited later"}, quito["version"])
    with pytest.raises(ValidationFailed) as info:
        importer.undo(admin, result.batch_id)
    assert "changed after the import" in info.value.message("en")
    assert count(m.City) == 1


def test_report_csv_has_counts_and_every_rejected_row_with_its_reason(sqlite_url, admin):
    data = csv_bytes([["日期", "名稱", "人數"], ["109/01/13", "來訪 A", "3"], ["不是日期", "來訪 B", "2"],
                      ["109/01/14", "來訪 C", "很多人"]])
    _, result = run_import(data, "v.csv", "visits", admin)
    text = importer.report_csv(result, "zh-TW").decode("utf-8-sig")
    assert "檔案資料列,3" in text and "已匯入,1" in text and "已拒絕,2" in text
    assert "無法辨識的日期：「不是日期」" in text and "無法辨識的人數：「很多人」" in text
    assert "Not a number of people" in importer.report_csv(result, "en").decode("utf-8-sig")


def test_leadership_cannot_import(sqlite_url, leader):
    from crm.errors import PermissionDenied

    preview = importer.plan(importer.read(csv_bytes([["City", "Country"], ["Quito", "EC"]]), "c.csv", "cities"), "cities")
    with pytest.raises(PermissionDenied):
        importer.commit(leader, preview)
    assert count(m.City) == 0


@pytest.mark.parametrize("kind", IMPORT_KINDS)
def test_each_template_maps_back_to_all_its_columns(kind):
    headers = template_headers(kind)
    assert template_csv(kind).decode("utf-8-sig").strip().split(",") == headers
    assert list(auto_map(kind, headers).values()) == [c.target for c in COLUMNS[kind]]


@pytest.mark.parametrize("kind", IMPORT_KINDS)
def test_a_kind_that_declares_no_columns_takes_them_from_its_form(kind, monkeypatch):
    """A new kind is importable with no change to crm/imports: its columns come from its form's fields."""
    from dataclasses import replace

    from crm.records.formspec import spec_for

    spec = spec_for(kind)
    monkeypatch.setattr(f"crm.records.kinds.{kind}.SPEC", replace(spec, import_columns=()))
    columns = COLUMNS[kind]
    assert columns != spec.import_columns and {"notes"} <= {c.target for c in columns}
    assert {c.target for c in columns} - {"name"} <= {f.name for f in spec.fields()}
    headers = template_headers(kind)
    assert list(auto_map(kind, headers).values()) == [c.target for c in columns]


CELL_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
ROW = st.lists(st.one_of(st.none(), CELL_TEXT, st.sampled_from(["Riga", "布拉格", "約53人", "109/01/13", "Japan"]),
                         st.integers(-5, 50000), st.dates(), st.floats()),
               min_size=6, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ROW, min_size=1, max_size=6))
def test_no_row_crashes_the_import_and_a_rejected_row_writes_nothing(sqlite_url, admin, rows):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["日期", "標題", "Title", "人數", "國家", "城市"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    before_visits, before_cities = count(m.Visit), count(m.City)
    preview, result = run_import(out.getvalue(), "v.xlsx", "visits", admin, on_duplicate="add")
    assert accounted(result)
    assert result.counts["rows"] == len(preview.plans)
    assert count(m.Visit) - before_visits == result.counts["imported"]
    rejected = {r["line"] for r in result.report if r["outcome"] == "rejected"}
    assert rejected == {p.line for p in preview.plans if p.status == "invalid"}
    # cities are only created for rows that were imported
    needed = {key for p in preview.plans if p.line not in rejected for _, key in p.needs}
    assert count(m.City) - before_cities == result.counts["created_cities"] == len(needed)


@pytest.mark.slow
def test_a_30000_row_file_is_accounted_for_row_by_row(sqlite_url, admin):
    rows = city_rows(30000, unique=3000, seed=3)
    data = city_csv(rows, blank_every=1000)
    preview, result = run_import(data, "cities.csv", "cities", admin)
    assert result.counts["rows"] == 30000 and result.counts["blank_rows"] == 30 and accounted(result)
    assert result.counts["imported"] == count(m.City)
    assert len(result.report) == result.counts["skipped"] + result.counts["rejected"]


@pytest.mark.slow
def test_26000_foreign_cities_spelled_many_ways_import_once(db_url, admin):
    """The done criterion: every row accounted for, and a second import of the same file adds nothing."""
    rows = city_rows(26000)
    data = city_csv(rows)
    _, first = run_import(data, "foreign-cities.csv", "cities", admin)
    assert accounted(first) and first.counts["rejected"] == 0
    cities = count(m.City)
    assert cities == first.counts["imported"] < 4500
    _, second = run_import(data, "foreign-cities.csv", "cities", admin)
    assert second.counts["imported"] == 0 and second.counts["skipped"] == 26000 and count(m.City) == cities


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_import_page_previews_then_commits_and_undoes(sqlite_url, lang):
    from tests.support.apptest import errors, open_page

    data = csv_bytes([["城市", "國家", "類型"], ["Praha", "捷克", "姊妹市"], ["Riga", "LV", "sister"],
                      ["RIGA", "Latvia", "sister"], ["Nowhere-upon-Sea", "", ""]])
    at = open_page("import", lang, session={"import_file": {"name": "p.csv", "data": data},
                                            "import_kind": "partnerships"})
    assert errors(at) == [] and not at.error
    assert [m.value for m in at.metric] == ["2", "1", "1"]
    assert at.selectbox(key="import_encoding").value == ""  # a CSV: its encoding detected unless chosen
    assert [s.label for s in at.selectbox][2:] == ["城市", "國家", "類型"]
    assert [s.value for s in at.selectbox][2:] == ["city_id", "country_code", "kind"]
    at.button(key="import_commit").click().run()
    assert errors(at) == [] and not at.error and at.success
    assert [m.value for m in at.metric][:5] == ["4", "2", "0", "1", "1"]
    assert list_records("partnerships").total == 2
    assert at.selectbox(key="import_report_pick").value.startswith("import-")  # its report, to download later
    assert at.get("download_button")  # this run's report and the earlier ones'
    at.button(key="import_undo_last").click().run()
    assert errors(at) == [] and list_records("partnerships").total == 0


def test_the_import_page_is_closed_to_leadership(sqlite_url, leader):
    from tests.support.apptest import open_page

    at = open_page("import", "en", user="mayor")
    assert at.info and "may not import" in at.info[0].value


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_import_in_a_real_browser(demo_template, tmp_path, browser_page, lang):
    """Upload a Big5 file on the real page, see the preview, import, see the report (screenshots kept)."""
    import shutil

    from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app

    db = tmp_path / "liaison.db"
    shutil.copy(demo_template, db)
    upload = tmp_path / "姊妹市.csv"
    upload.write_bytes(csv_bytes([["城市", "國家", "類型", "締結日期"], ["布拉格", "捷克", "姊妹市", "民國109年1月13日"],
                                  ["Tallinn", "Estonia", "partner", "109/05/01"], ["TALLINN ", "EE", "partner", ""],
                                  ["Atlantis", "", "sister", "2020-13-01"]], "cp950"))
    page = browser_page
    with start_app(db) as base:
        page.goto(f"{base}/import?lang={lang}")
        wait_for_app(page)
        page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="締盟關係" if lang == "zh-TW" else "partnership").first.click()
        wait_for_app(page)
        page.set_input_files('input[type="file"]', str(upload))
        page.wait_for_selector('[data-testid="stMetric"]')
        wait_for_app(page)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics == ["1", "2", "1"]
        screenshot(page, f"import-preview-{lang}")
        page.locator('[data-testid="stButton"] button', has_text="1").first.click()
        page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
        wait_for_app(page)
        screenshot(page, f"import-done-{lang}")
        assert page.locator('[data-testid="stDownloadButton"]').count() >= 2
    assert_only_local(page.requests)


def test_bench_import_reports_timings_and_a_second_import_adds_nothing(tmp_path):
    from crm.bench.imports import bench

    result = bench(1300, f"sqlite:///{tmp_path / 'bench.db'}")
    assert result["rows"] == 1300 and result["counts"]["rows"] == 1300 and result["counts"]["rejected"] == 0
    assert result["counts"]["imported"] + result["counts"]["skipped"] == 1300
    assert result["second_imported"] == 0
    assert result["import_s"] > 0 and result["baseline_executemany_s"] > 0 and result["ratio"] > 0
