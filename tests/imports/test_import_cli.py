"""`python -m crm import`: templates, dry runs, sheets, duplicates, exit codes."""

import csv
import io

import openpyxl
import pytest

from crm.commands.cli import main
from crm.records.queries import list_records


def write_csv(path, rows, encoding="utf-8-sig"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return str(path)


def test_template_is_written_to_a_file_and_to_stdout(tmp_path, capsys):
    target = tmp_path / "visits-template.csv"
    assert main(["import", "visits", "--template", "-o", str(target)]) == 0
    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert "日期 Date" in header and "人數 Headcount" in header
    assert main(["import", "cities", "--template"]) == 0
    assert "國家 Country" in capsys.readouterr().out


def test_dry_run_writes_nothing_and_reports(sqlite_url, tmp_path, capsys):
    path = write_csv(tmp_path / "c.csv", [["城市", "國家"], ["Praha", "捷克"], ["Riga", "LV"], ["", ""], ["Riga", "Latvia"]])
    assert main(["import", "cities", path, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run" in out and "Imported: 2" in out and "Skipped: 1" in out and "Blank rows ignored: 1" in out
    assert list_records("cities").total == 0


def test_rejected_rows_give_a_non_zero_exit_and_their_reasons(sqlite_url, tmp_path, capsys):
    path = write_csv(tmp_path / "v.csv", [["日期", "名稱", "人數"], ["109/01/13", "來訪", "約8人"],
                                          ["109/02/30", "日期錯", "2"]], encoding="cp950")
    assert main(["import", "visits", path, "--lang", "zh-TW"]) == 1
    out = capsys.readouterr().out
    assert "已匯入: 1" in out and "已拒絕: 1" in out and "無法辨識的日期：「109/02/30」" in out and "batch: import-" in out
    assert list_records("visits").rows[0]["headcount"] == 8


def test_a_named_sheet_and_merge_on_duplicate(sqlite_url, tmp_path, capsys):
    book = openpyxl.Workbook()
    book.active.append(["nothing here"])
    ws = book.create_sheet("Contacts")
    ws.append(["姓名", "職稱", "Email"])
    ws.append(["Yip Wei Kiat", "Representative", ""])
    path = tmp_path / "people.xlsx"
    book.save(path)
    assert main(["import", "people", str(path), "--sheet", "Contacts"]) == 0
    ws.append(["Yip Wei Kiat", "", "yip@example.sg"])
    ws.delete_rows(2)
    book.save(path)
    assert main(["import", "people", str(path), "--sheet", "Contacts", "--on-duplicate", "merge"]) == 0
    assert "Merged: 1" in capsys.readouterr().out
    rows = list_records("people").rows
    assert len(rows) == 1 and rows[0]["email"] == "yip@example.sg" and rows[0]["title_en"] == "Representative"


@pytest.mark.parametrize("args, message", [
    (["import", "cities", "/no/such/file.csv"], "no such file"),
    (["import", "cities"], "give a FILE"),
    (["import", "cities", "FILE", "--sheet", "Nope"], "No sheet called"),
])
def test_errors_are_one_line_with_exit_code_2(sqlite_url, tmp_path, capsys, args, message):
    if "FILE" in args:
        book = openpyxl.Workbook()
        book.save(tmp_path / "x.xlsx")
        args = [str(tmp_path / "x.xlsx") if a == "FILE" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
