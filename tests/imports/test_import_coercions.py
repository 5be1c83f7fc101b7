"""Import coercions that would lose meaning are refused (with the row and the column) or shown in the preview as a
note the user sees before committing: an impossible time of day, worded headcounts ("5 people", "約53人"), a file
that is not valid UTF-8, a postponed or cancelled activity without a reason, a date that reads either way round."""

import csv
import io
from datetime import date

import pytest

from crm.commands.cli import main
from crm.i18n import t
from crm.imports import flow as importer
from crm.imports import normalise as nz
from crm.imports.preview import notes_text
from crm.imports.read import UnreadableFile
from crm.records.queries import get_record, list_records, status_history


def csv_bytes(rows: list[list], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def preview_of(data: bytes, kind: str = "visits", **kw):
    return importer.plan(importer.read(data, "visits.csv", kind, **kw), kind, filename="visits.csv")


def by_line(preview) -> dict:
    return {p.line: p for p in preview.plans}


@pytest.mark.parametrize("cell", ["2020-02-29T25:61:61", "2020-02-29 24:00", "2020-02-29T23:60", "2020/2/29 9:61",
                                  "2020-02-29T10:00:00+99:00"])
def test_an_impossible_time_of_day_is_refused_not_dropped(cell):
    with pytest.raises(nz.Unreadable) as caught:
        nz.parse_date(cell)
    assert caught.value.key == "import.bad_time" and caught.value.params["value"] == cell


@pytest.mark.parametrize("cell", ["2020-02-29T23:59:59", "2020-02-29 00:00", "2020-02-29T10:00:00.5+08:00",
                                  "2020/2/29 9:30", "109/02/29 09:30"])
def test_a_possible_time_of_day_is_checked_and_left_out(cell):
    assert nz.parse_date(cell) == date(2020, 2, 29)


def test_an_impossible_time_rejects_its_row_naming_the_row_and_the_column(db_url, admin):
    data = csv_bytes([["日期", "名稱", "人數"], ["2020-02-28T10:00", "Good row", "3"],
                      ["2020-02-29T25:61:61", "Bad time", "4"]])
    preview = preview_of(data)
    bad = by_line(preview)[3]
    assert bad.status == "invalid" and list(bad.errors) == ["start_on"]
    for lang in ("en", "zh-TW"):
        text = importer.reason_text(bad, lang)
        assert text.startswith(t("import.field.start_on", lang) + ": ") and "2020-02-29T25:61:61" in text
    result = importer.commit(admin, preview)
    assert result.counts["imported"] == 1 and result.counts["rejected"] == 1
    assert [(r["line"], r["outcome"]) for r in result.report] == [(3, "rejected")]
    assert [r["title_en"] for r in list_records("visits").rows] == ["Good row"]


def test_worded_headcounts_are_read_as_numbers_with_a_note_in_the_preview(db_url, admin):
    data = csv_bytes([["日期", "名稱", "人數"], ["2020-01-13", "Five people", "5 people"],
                      ["2020-01-14", "About 53", "約53人"], ["2020-01-15", "Plain", "12"],
                      ["2020-01-16", "In words", "五十三人"]])
    preview = preview_of(data)
    plans = by_line(preview)
    assert plans[4].notes == {} and preview.notes_count() == 3
    assert notes_text(plans[2], "en") == 'Headcount: "5 people" read as 5'
    assert notes_text(plans[3], "en") == 'Headcount: "約53人" read as about 53 (approximate)'
    assert notes_text(plans[3], "zh-TW") == "人數: 「約53人」讀作約 53（概數）"
    assert notes_text(plans[5], "zh-TW") == "人數: 「五十三人」讀作 53"
    assert [p.line for p in preview.shown(only_problems=True, limit=10)] == [2, 3, 5]  # shown with the problems
    importer.commit(admin, preview)
    rows = {r["title_en"]: r for r in list_records("visits").rows}
    assert (rows["Five people"]["headcount"], rows["Five people"]["headcount_approx"]) == (5, False)
    assert (rows["About 53"]["headcount"], rows["About 53"]["headcount_approx"]) == (53, True)
    assert (rows["Plain"]["headcount"], rows["Plain"]["headcount_approx"]) == (12, False)


def test_a_date_that_reads_either_way_round_is_noted():
    preview = preview_of(csv_bytes([["日期", "名稱"], ["03/04/2020", "Ambiguous"], ["13/04/2020", "Clear"]]))
    plans = by_line(preview)
    assert plans[2].data["start_on"] == date(2020, 4, 3) and plans[3].notes == {}
    assert notes_text(plans[2], "en") == 'Date: "03/04/2020" read as 2020-04-03 (day first)'


def _broken_utf8() -> bytes:
    good = csv_bytes([["城市", "國家"], ["布拉格", "捷克"], ["利馬", "秘魯"], ["里加", "拉脫維亞"]])
    cut = good.index("利馬".encode())
    return good[:cut] + good[cut:cut + 2] + good[cut + 3:]  # one byte of 利 lost: line 3 is not UTF-8


def test_a_file_that_is_not_valid_utf8_is_refused_with_its_line_not_read_as_mojibake(db_url, admin):
    with pytest.raises(UnreadableFile) as caught:
        importer.read(_broken_utf8(), "cities.csv", "cities")
    assert caught.value.key == "import.bad_utf8" and caught.value.params["line"] == 3
    assert "Line 3 " in caught.value.message("en") and "第 3 行" in caught.value.message("zh-TW")
    with pytest.raises(UnreadableFile) as chosen:  # an encoding the user chose is kept to as strictly
        importer.read(_broken_utf8(), "cities.csv", "cities", encoding="cp950")
    assert chosen.value.key == "import.bad_bytes" and "Big5 (CP950)" in chosen.value.message("en")
    assert list_records("cities").total == 0


def test_a_big5_file_is_detected_and_said_so_and_a_chosen_encoding_reads_a_legacy_file():
    big5 = csv_bytes([["城市", "國家"], ["布拉格", "捷克"]], "cp950")
    assert importer.read(big5, "c.csv", "cities").encoding == "cp950"
    latin = csv_bytes([["name", "notes"], ["Café Prague", "élan"]], "cp1252")
    with pytest.raises(UnreadableFile) as caught:  # neither UTF-8 nor Big5 / GB18030: never guessed
        importer.read(latin, "c.csv", "cities")
    assert caught.value.key == "import.unknown_encoding"
    sheet = importer.read(latin, "c.csv", "cities", encoding="cp1252")
    assert sheet.encoding == "cp1252" and sheet.rows[0][1] == ["Café Prague", "élan"]


def test_the_import_page_refuses_a_broken_file_with_its_line_and_notes_worded_headcounts(sqlite_url):
    from tests.support.apptest import errors, open_page

    at = open_page("import", "en", session={"import_file": {"name": "c.csv", "data": _broken_utf8()},
                                            "import_kind": "cities"})
    assert errors(at) == [] and any("Line 3 " in e.value for e in at.error) and not at.metric
    data = csv_bytes([["日期", "名稱", "人數"], ["2020-01-13", "Five people", "5 people"]])
    at = open_page("import", "zh-TW", session={"import_file": {"name": "v.csv", "data": data},
                                               "import_kind": "visits"})
    assert errors(at) == [] and t("import.noted", "zh-TW", n=1) in [w.value for w in at.warning]
    table = at.dataframe[0].value
    assert list(table[t("import.col.notes", "zh-TW")]) == ["人數: 「5 people」讀作 5"]
    big5 = csv_bytes([["日期", "名稱"], ["2020-01-13", "臺北市長接見"]], "cp950")
    at = open_page("import", "en", session={"import_file": {"name": "v.csv", "data": big5}, "import_kind": "visits"})
    assert t("import.encoding_detected", "en", encoding="Big5 (CP950)") in [i.value for i in at.info]


def test_the_command_line_refuses_a_broken_file_in_one_line(sqlite_url, tmp_path, capsys):
    path = tmp_path / "cities.csv"
    path.write_bytes(_broken_utf8())
    assert main(["import", "cities", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Line 3 of the file is not valid UTF-8") and err.count("\n") == 1
    path.write_bytes(csv_bytes([["城市", "國家"], ["布拉格", "捷克"]], "cp950"))
    assert main(["import", "cities", str(path), "--dry-run"]) == 0
    assert "not UTF-8, read as Big5 (CP950)" in capsys.readouterr().err
    path.write_bytes(csv_bytes([["city", "country"], ["Orléans", "France"], ["Yaoundé", "Cameroon"]], "cp1252"))
    assert main(["import", "cities", str(path), "--dry-run"]) == 2
    assert main(["import", "cities", str(path), "--dry-run", "--encoding", "cp1252"]) == 0  # chosen: read
    assert "Imported: 2" in capsys.readouterr().out


@pytest.mark.parametrize("status", ["cancelled", "postponed", "取消", "延期"])
def test_a_postponed_or_cancelled_row_without_a_reason_is_refused(db_url, admin, status):
    data = csv_bytes([["日期", "名稱", "狀態", "原因"], ["2020-03-01", "With reason", status, "COVID-19"],
                      ["2020-03-02", "No reason", status, ""], ["2020-03-03", "Held", "held", ""]])
    preview = preview_of(data)
    plans = by_line(preview)
    assert plans[3].status == "invalid" and list(plans[3].errors) == ["status"]
    assert importer.reason_text(plans[3], "en") == "Status: " + t("import.status_needs_reason", "en")
    assert plans[2].status == "new" and plans[4].status == "new"
    result = importer.commit(admin, preview)
    assert result.counts["imported"] == 2 and [r["line"] for r in result.report] == [3]
    kept = next(r for r in list_records("visits").rows if r["title_en"] == "With reason")
    record = get_record("visits", kept["id"])
    assert record["status_reason"] == "COVID-19" and status_history("visits", kept["id"])[-1]["to_status"] == (
        "cancelled" if status in ("cancelled", "取消") else "postponed")
