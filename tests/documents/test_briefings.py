"""Briefings read back from every format: Chinese text, row counts, formulas neutralised, fonts, page numbers."""

import csv
import io
import subprocess
from datetime import date

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from crm.documents import fonts
from crm.documents.briefings.build import build
from crm.documents.briefings.files import briefing_file
from crm.documents.docx import briefing_docx
from crm.documents.fonts import NoCjkFont
from crm.errors import NotFound
from crm.records.queries import options
from crm.store import writes


def _europe_trip() -> int:
    return next(i for i, label in options("delegations", "en").items() if "Europe" in label)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "b.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_europe_trip_briefing_gathers_people_ties_and_agenda(demo_url):
    b = build("delegations", record_id=_europe_trip(), lang="zh-TW", today=date(2020, 12, 31))
    assert b.title == "柯市長率團訪問歐洲 4 國 4 城市"
    names = {(row[0], row[1]): row[7] for row in b.people.rows}
    assert names[("柯文哲", "Ko Wen-je")] == "團長" and names[("賀吉普", "Zdeněk Hřib")] == "會見"
    assert [c.name for c in b.cities] == ["布拉格 Prague", "里加 Riga", "塔林 Tallinn", "赫爾辛基 Helsinki"]
    prague = b.cities[0]
    assert any("姊妹市" in f and "2020年1月13日" in f for f in prague.facts)
    assert any(f.startswith("最近聯繫") for f in prague.facts)
    tables = {t.key: t for t in prague.tables}
    assert len(tables["agreements"].rows) == 3
    assert "異地" not in tables["partnerships"].rows[0][4] and "親自簽署" in tables["partnerships"].rows[0][4]
    assert [r[2] for r in b.agenda.rows][:2] == ["Sister-city signing", "動物園交流合作備忘錄"]
    assert len(b.agenda.rows) == 7  # 4 stops + 3 MOUs signed in Prague
    assert "尚無締盟紀錄。" in b.cities[2].facts  # Tallinn


def test_other_starting_points(demo_url):
    visit = next(i for i, label in options("visits", "en").items() if "Seoul National" in label)
    b = build("visits", record_id=visit, lang="en")
    assert [r[1] for r in b.people.rows] == ["Yang Il-mo"] and b.cities[0].name == "Seoul 首爾"
    lima = next(i for i, label in options("cities", "en", q="Lima").items())
    b = build("cities", record_id=lima, lang="en")
    assert b.title == "Lima" and "Jorge Muñoz Wells" in [r[1] for r in b.people.rows]
    signings = b.cities[0].tables[0].rows[0][4]
    assert "February 10, 2020" in signings and "February 25, 2020" in signings and "remotely" in signings
    people = list(options("people", "en", q="Kao"))
    b = build("selection", person_ids=people, lang="zh-TW")
    assert [r[0] for r in b.people.rows] == ["高英茂"] and [c.name for c in b.cities] == ["臺北 Taipei"]
    with pytest.raises(NotFound):
        build("delegations", record_id=9999, lang="en")


def test_word_briefing_has_chinese_fonts_tables_and_page_numbers(demo_url):
    data = briefing_docx(build("delegations", record_id=_europe_trip(), lang="zh-TW"))
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "柯市長率團訪問歐洲 4 國 4 城市" and "人員名單" in texts and "布拉格 Prague" in texts
    people = next(t for t in document.tables if t.rows[0].cells[0].text == "中文姓名")
    assert len(people.rows) == 3 and people.rows[2].cells[1].text == "Zdeněk Hřib"
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        rpr = document.styles[name].element.rPr
        fonts_el = rpr.find(qn("w:rFonts"))
        assert fonts_el.get(qn("w:eastAsia")) and fonts_el.get(qn("w:eastAsiaTheme")) is None
        assert fonts_el.get(qn("w:asciiTheme")) is None
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-TW"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "頁" in footer


def test_pdf_briefing_reads_back_with_chinese_and_accents(demo_url, tmp_path):
    fonts.reset()
    fonts._parsed.cache_clear()
    b = build("delegations", record_id=_europe_trip(), lang="zh-TW")
    text = _pdf_text(briefing_file(b, "pdf"), tmp_path)
    for expected in ("柯市長率團訪問歐洲 4 國 4 城市", "人員名單", "賀吉普", "Zdeněk Hřib", "動物園交流合作備忘錄",
                     "第 1 頁"):
        assert expected in text
    english = _pdf_text(briefing_file(build("delegations", record_id=_europe_trip(), lang="en"), "pdf"), tmp_path)
    assert "Mayor's visit to Europe 2020" in english and "Page 1 of" in english
    assert fonts._parsed.cache_info().misses <= 2  # the CJK face (and the Latin fallback) parsed once, not per file


def test_excel_and_csv_briefings_have_one_section_each(demo_url):
    b = build("delegations", record_id=_europe_trip(), lang="zh-TW")
    book = openpyxl.load_workbook(io.BytesIO(briefing_file(b, "xlsx")))
    assert book.sheetnames == ["行程", "人員名單", "締盟與簽署", "合作備忘錄", "歷次互訪與聯繫"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2"
    assert book["人員名單"].max_row == 3 and book["合作備忘錄"].max_row == 4
    agreements = book["合作備忘錄"]
    assert agreements.cell(2, 1).value == "布拉格 Prague" and agreements.cell(2, 5).value.year == 2020
    rows = list(csv.reader(io.StringIO(briefing_file(b, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["柯市長率團訪問歐洲 4 國 4 城市"]
    assert ["人員名單"] in rows and ["合作備忘錄"] in rows


def test_formulas_are_neutralised_in_briefings(engine, admin):
    city = writes.create(admin, "cities", {"name_en": "=1+1", "name_zh": "+測試市", "country_code": "CZ"})
    person = writes.create(admin, "people", {"name_en": "@SUM(A1)", "name_zh": "-王", "city_id": city,
                                             "protocol_notes": "=HYPERLINK(\"http://evil\")"})
    b = build("selection", person_ids=[person], lang="zh-TW")
    ws = openpyxl.load_workbook(io.BytesIO(briefing_file(b, "xlsx")))["人員名單"]
    values = [c.value for c in ws[2]]
    assert values[0] == "'-王" and values[1] == "'@SUM(A1)" and values[6].startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    text = briefing_file(b, "csv").decode("utf-8-sig")
    assert "'@SUM(A1)" in text and "\n=" not in text and ",=" not in text and ",@" not in text
    assert "'+測試市" in text


def test_no_chinese_font_gives_a_clear_message_and_no_file(demo_url, monkeypatch, tmp_path):
    b = build("delegations", record_id=_europe_trip(), lang="zh-TW")
    monkeypatch.setenv("LIAISON_CJK_FONT", str(tmp_path / "missing.ttc"))
    fonts.reset()
    try:
        with pytest.raises(NoCjkFont) as info:
            briefing_file(b, "pdf")
        assert "missing.ttc" in info.value.message("zh-TW") and "無法讀取中文字型" in info.value.message("zh-TW")
        monkeypatch.delenv("LIAISON_CJK_FONT")
        monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
        monkeypatch.setattr(fonts, "_windows_candidates", lambda: [])
        fonts.reset()
        with pytest.raises(NoCjkFont) as info:
            briefing_file(b, "pdf")
        assert "LIAISON_CJK_FONT" in info.value.message("en") and "找不到中文字型" in info.value.message("zh-TW")
    finally:
        fonts.reset()


def test_font_named_in_settings_is_used(monkeypatch):
    monkeypatch.setenv("LIAISON_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    fonts.reset()
    try:
        found = fonts.find_cjk_font()
        assert found.index == 3 and found.path.endswith("NotoSansCJK-Regular.ttc")
    finally:
        fonts.reset()


def test_briefing_calendar_and_contacts(demo_url, admin):
    import vobject
    from icalendar import Calendar

    from crm.documents.calendar import briefing_ics, people_vcf

    b = build("delegations", record_id=_europe_trip(), lang="en")
    events = Calendar.from_ical(briefing_ics(b)).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["delegation: Mayor's visit to Europe 2020"]
    assert str(events[0]["LOCATION"]) == "Prague, Riga, Tallinn, Helsinki"
    cards = list(vobject.readComponents(people_vcf("en", ids=b.person_ids).decode("utf-8")))
    assert sorted(c.fn.value for c in cards) == ["Ko Wen-je", "Zdeněk Hřib"]
    prague = next(i for i, label in options("cities", "en", q="Prague").items())
    writes.create(admin, "visits", {"title_en": "Prague councillors", "start_on": date(2031, 3, 1), "status": "planned",
                                    "origin_city_id": prague})
    writes.create(admin, "visits", {"title_en": "Old visit", "start_on": date(2019, 3, 1), "status": "held",
                                    "origin_city_id": prague})
    city = build("cities", record_id=prague, lang="en", today=date(2030, 1, 1))
    assert [r[2] for r in city.agenda.rows] == ["Prague councillors"]
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(briefing_ics(city, today=date(2030, 1, 1))).walk("VEVENT")]
    assert summaries == ["visit: Prague councillors"]


def test_briefings_page_renders_a_chosen_trip(demo_url):
    from tests.support.apptest import errors, open_page

    at = open_page("briefings", "en", query={"source": "delegations", "id": str(_europe_trip())})
    assert not errors(at)
    assert any("Mayor's visit to Europe 2020" in s.value for s in at.subheader)
    assert len(at.get("download_button")) == 6



MARKUP = "**bold** [link](http://127.0.0.2:9/l) ![img](http://127.0.0.2:9/i.png) <b>b</b> $x^2$ :red[r]"


def test_markup_in_names_is_text_in_every_briefing_format(engine, admin, tmp_path):
    """Markdown, HTML and a bare URL in names come out of Word, PDF, Excel and CSV as typed: no link, no bold."""
    city = writes.create(admin, "cities", {"name_en": MARKUP, "name_zh": "<i>市</i>", "country_code": "CZ"})
    person = writes.create(admin, "people", {"name_en": "http://127.0.0.2:9/p", "name_zh": "**王**", "city_id": city,
                                             "protocol_notes": MARKUP})
    b = build("selection", person_ids=[person], city_ids=[city], lang="en")
    word = docx.Document(io.BytesIO(briefing_file(b, "docx")))
    cells = [c.text for table in word.tables for row in table.rows for c in row.cells]
    assert MARKUP in cells and "http://127.0.0.2:9/p" in cells
    assert "w:hyperlink" not in word.element.xml
    runs = [r for table in word.tables for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert all(not r.bold for r in runs if "bold" in r.text)
    pdf = briefing_file(b, "pdf")
    assert b"/URI" not in pdf and b"/Link" not in pdf  # fpdf2 writes no link annotation from text
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    assert "**bold**" in text and "$x^2$" in text and "<b>b</b>" in text
    book = openpyxl.load_workbook(io.BytesIO(briefing_file(b, "xlsx")))
    values = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert MARKUP in [c.value for c in values] and "http://127.0.0.2:9/p" in [c.value for c in values]
    assert not any(c.hyperlink for c in values) and not any(c.font and c.font.b for c in values if c.row > 1)
    assert MARKUP in briefing_file(b, "csv").decode("utf-8-sig")


def test_every_formula_prefix_is_neutralised():
    from crm.text import neutralise_formula

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise_formula(f"{start}1+1") == f"'{start}1+1"
    assert neutralise_formula("1+1") == "1+1" and neutralise_formula(7) == 7 and neutralise_formula("") == ""
