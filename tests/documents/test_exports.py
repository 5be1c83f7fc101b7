"""List exports read back: Chinese text, row counts, names not ids, formulas neutralised."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from crm.documents.exports import ExportError, list_export
from crm.periods import parse_period
from crm.store import writes


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def records(engine, admin):
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    org = writes.create(admin, "organisations", {"name_en": "=HYPERLINK(\"http://x\")", "name_zh": "惡意機構",
                                                 "city_id": prague})
    writes.create(admin, "people", {"name_en": "@Evil", "name_zh": "測試人", "organisation_id": org, "city_id": prague,
                                    "title_zh": "市長"})
    for day, status in ((date(2020, 6, 30), "held"), (date(2020, 7, 1), "held"), (date(2020, 3, 1), "cancelled")):
        writes.create(admin, "visits", {"title_zh": f"來訪 {day}", "title_en": f"+visit {day}", "start_on": day,
                                        "status": status, "headcount": 4, "origin_city_id": prague,
                                        "organisation_id": org})
    return {"prague": prague, "org": org}


def test_csv_names_related_records_and_neutralises_formulas(records):
    rows = _csv(list_export("people", "csv", "zh-TW"))
    header, body = rows[0], rows[1:]
    assert "機構" in header and "城市" in header
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["英文名稱"] == "'@Evil" and row["中文名稱"] == "測試人"
    assert row["機構"] == "惡意機構" and row["城市"] == "布拉格"
    en = _csv(list_export("people", "csv", "en"))
    row = dict(zip(en[0], en[1], strict=True))
    assert row["Organisation"] == "'=HYPERLINK(\"http://x\")" and row["City"] == "Prague"
    assert str(records["prague"]) not in (row["City"], row["Organisation"])


def test_csv_applies_the_list_filters(records):
    h1 = _csv(list_export("visits", "csv", "zh-TW", period=parse_period("2020H1")))
    assert len(h1) - 1 == 2  # 30 June and the cancelled one in March; 1 July is H2
    held = _csv(list_export("visits", "csv", "zh-TW", period=parse_period("2020H1"), status="held"))
    assert [r[1] for r in held[1:]] == ["來訪 2020-06-30"]
    assert held[1][held[0].index("狀態")] == "已辦理"


def test_xlsx_is_typed_frozen_and_neutralised(records):
    book = openpyxl.load_workbook(io.BytesIO(list_export("visits", "xlsx", "zh-TW")))
    assert len(book.worksheets) == 1
    ws = book.worksheets[0]
    assert ws.title == "外賓來訪" and ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 3
    first = next(r for r in rows if r["中文標題"] == "來訪 2020-07-01")
    assert first["英文標題"] == "'+visit 2020-07-01"
    assert isinstance(first["開始日期"], datetime) and first["開始日期"].date() == date(2020, 7, 1)
    assert first["人數"] == 4 and isinstance(first["人數"], int)
    assert first["來訪城市"] == "布拉格" and first["機構"] == "惡意機構"
    for ws_row in ws.iter_rows(min_row=2):
        for cell in ws_row:
            assert cell.data_type != "f"


def test_export_reads_every_page(engine, admin, monkeypatch):
    import crm.documents.exports as exports

    monkeypatch.setattr(exports, "CHUNK", 3)
    calls = []
    original = exports.list_records
    monkeypatch.setattr(exports, "list_records", lambda *a, **k: calls.append(k["page"]) or original(*a, **k))
    city = writes.create(admin, "cities", {"name_en": "Lima", "name_zh": "利馬", "country_code": "PE"})
    for i in range(8):
        writes.create(admin, "people", {"name_zh": f"人{i}", "city_id": city})
    assert len(_csv(list_export("people", "csv", "zh-TW"))) == 9
    assert calls == [1, 2, 3]
    book = openpyxl.load_workbook(io.BytesIO(list_export("people", "xlsx", "en")))
    assert book.worksheets[0].max_row == 9


def test_unknown_kind_or_format_is_a_clear_error(engine):
    with pytest.raises(ExportError) as info:
        list_export("planets", "csv", "en")
    assert "planets" in info.value.message("en")
    with pytest.raises(ExportError) as info:
        list_export("people", "exe", "zh-TW")
    assert "exe" in info.value.message("zh-TW")


def test_calendar_and_contacts_read_back(demo_url):
    import vobject
    from icalendar import Calendar

    from crm.documents.calendar import events_ics, people_vcf

    cal = Calendar.from_ical(events_ics(("visits", "delegations"), "zh-TW", period=parse_period("2020H1")))
    events = cal.walk("VEVENT")
    assert len(events) == 15 + 1  # 14 held visits + the cancelled one, and the Europe trip
    trip = next(e for e in events if "歐洲" in str(e["SUMMARY"]))
    assert trip.decoded("DTSTART") == date(2020, 1, 12) and trip.decoded("DTEND") == date(2020, 1, 23)
    assert str(trip["LOCATION"]) == "布拉格, 里加, 塔林, 赫爾辛基" and str(trip["UID"]).startswith("delegations-")
    cancelled = next(e for e in events if "取消" in str(e["SUMMARY"]))
    assert str(cancelled["STATUS"]) == "CANCELLED"
    cards = list(vobject.readComponents(people_vcf("zh-TW").decode("utf-8")))
    assert len(cards) == 8
    hrib = next(c for c in cards if c.fn.value == "賀吉普")
    assert hrib.org.value == ["布拉格市政府"] and hrib.title.value == "布拉格市長" and hrib.nickname.value == "Zdeněk Hřib"


def test_list_documents_in_word_and_pdf(demo_url, tmp_path):
    import subprocess

    import docx

    from crm.documents.list_documents import list_document

    document = docx.Document(io.BytesIO(list_document("visits", "docx", "zh-TW", period=parse_period("2020H1"),
                                                      status="held")))
    table = document.tables[0]
    assert len(table.rows) == 15 and table.rows[0].cells[0].text == "中文標題"
    assert "黃金海岸觀光訪問團" in [r.cells[0].text for r in table.rows]
    path = tmp_path / "v.pdf"
    path.write_bytes(list_document("people", "pdf", "en"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "高英茂" in text and "Zdeněk Hřib" in text and "Page 1 of 1" in text


def test_cli_export_every_format(demo_url, tmp_path, capsys):
    from crm.commands.cli import main

    for fmt in ("csv", "xlsx", "docx", "pdf"):
        out = tmp_path / f"p.{fmt}"
        assert main(["export", "partnerships", "--format", fmt, "--period", "2020H1", "-o", str(out)]) == 0
        assert out.stat().st_size > 0
    rows = _csv((tmp_path / "p.csv").read_bytes())
    assert sorted(r[0] for r in rows[1:]) == ["利馬", "布拉格"]
    assert main(["export", "delegations", "--format", "ics", "-o", str(tmp_path / "d.ics")]) == 0
    assert b"BEGIN:VEVENT" in (tmp_path / "d.ics").read_bytes()
    assert main(["export", "people", "-o", str(tmp_path / "p.vcf")]) == 0
    assert main(["export", "planets", "-o", str(tmp_path / "x.csv")]) == 2
    assert main(["export", "people", "--format", "ics", "-o", str(tmp_path / "x.ics")]) == 2
    assert main(["export", "visits", "--period", "2020Q1", "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "unknown kind 'planets'" in err and "not a period" in err
