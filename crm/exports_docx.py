"""Word documents with correct Traditional Chinese: briefings and the half-year report.

python-docx sets only the Latin font, so East Asian fonts are set on the Normal, Title,
Heading and table styles (`w:eastAsia`, theme attributes dropped) with `w:lang eastAsia
zh-TW`; the footer carries page numbers (PAGE / NUMPAGES fields).
"""

import io
import re
from datetime import date, datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from crm.i18n import t
from crm.periods import format_date
from crm.text import neutralise_formula

LATIN_FONT = "Calibri"
EAST_ASIA_FONT = "Microsoft JhengHei"  # 微軟正黑體 on office PCs; LibreOffice substitutes Noto Sans CJK TC
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "List Bullet")
HEADING_1 = re.compile(r"^(\([一二三四五六七八九十]+\)|[IVX]+\.)\s*\S")
HEADING_2 = re.compile(r"^\d+\.\s*\S")
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_run_fonts(rpr, latin: str = LATIN_FONT, east_asia: str = EAST_ASIA_FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in THEME_ATTRS:
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-TW")


def new_document(lang: str, *, landscape: bool = False) -> Document:
    """A document whose styles render Chinese in a CJK font, with page numbers in the footer."""
    doc = Document()
    for name in STYLES:
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = LATIN_FONT
        _set_run_fonts(style.element.get_or_add_rPr())
    doc.styles["Normal"].font.size = Pt(10.5)
    # the document defaults (docDefaults) also name theme fonts: override them too
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_run_fonts(rpr)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    _page_numbers(section.footer.paragraphs[0], lang)
    return doc


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if tag is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
            run._r.append(el)
        elif text == code:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run._r.append(instr)
        else:
            run._r.append(_text_el(text))


def _text_el(text: str):
    el = OxmlElement("w:t")
    el.text = text
    return el


def _page_numbers(paragraph, lang: str) -> None:
    """「第 X 頁，共 Y 頁」 / "Page X of Y" with live fields."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    template = t("doc.page_of", lang, page="\x00", pages="\x01")
    for piece in _split_keep(template):
        if piece == "\x00":
            _field(paragraph, "PAGE")
        elif piece == "\x01":
            _field(paragraph, "NUMPAGES")
        elif piece:
            paragraph.add_run(piece)


def _split_keep(text: str) -> list[str]:
    out, current = [], ""
    for ch in text:
        if ch in "\x00\x01":
            out += [current, ch]
            current = ""
        else:
            current += ch
    return [*out, current]


def cell_text(value, lang: str) -> str:
    """A value as document text: dates as the office writes them, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return format_date(value, lang)
    return str(neutralise_formula(value))


def add_table(doc, headers: list[str], rows: list[list], lang: str, widths: list[float] | None = None) -> None:
    """A bordered table with a bold, repeating header row."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(head.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = cell_text(value, lang)
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def briefing_docx(briefing) -> bytes:
    """The briefing as Word: title, summary, agenda, people, then each city's ties and history."""
    lang = briefing.lang
    doc = new_document(lang, landscape=True)
    doc.core_properties.title = briefing.title
    doc.add_heading(briefing.title, level=0)
    if briefing.subtitle:
        doc.add_paragraph(briefing.subtitle, style="Subtitle")
    for line in briefing.summary:
        doc.add_paragraph(line)
    for table in (briefing.agenda, briefing.people):
        doc.add_heading(table.title, level=1)
        if table.rows:
            add_table(doc, table.headers, table.rows, lang)
        else:
            doc.add_paragraph(t("ui.none", lang))
    if briefing.cities:
        doc.add_heading(t("brief.cities", lang), level=1)
    for city in briefing.cities:
        doc.add_heading(city.name, level=2)
        for fact in city.facts[1:]:
            doc.add_paragraph(fact, style="List Bullet")
        for table in city.tables:
            doc.add_heading(table.title, level=3)
            add_table(doc, table.headers, table.rows, lang)
    return to_bytes(doc)


def list_docx(doc_data) -> bytes:
    """A list of records as a landscape Word table."""
    lang = doc_data.lang
    doc = new_document(lang, landscape=True)
    doc.core_properties.title = doc_data.title
    doc.add_heading(doc_data.title, level=0)
    for line in ([doc_data.subtitle] if doc_data.subtitle else []) + doc_data.summary:
        doc.add_paragraph(line)
    add_table(doc, doc_data.people.headers, doc_data.people.rows, lang)
    return to_bytes(doc)


def heading_level(line: str) -> int:
    """1 for 「(三) …」 / "III. …", 2 for 「1. …」, 0 for a paragraph (the report's own layout)."""
    if HEADING_1.match(line):
        return 1
    if HEADING_2.match(line):
        return 2
    return 0


def text_docx(title: str, text: str, lang: str) -> bytes:
    """A text (the half-year report) as Word: a title, headings for numbered lines, paragraphs."""
    doc = new_document(lang)
    doc.core_properties.title = title
    doc.add_heading(title, level=0)
    for block in text.split("\n"):
        line = block.rstrip()
        if not line:
            continue
        level = heading_level(line)
        if level:
            doc.add_heading(line, level=level)
        else:
            paragraph = doc.add_paragraph(line[2:] if line.startswith("- ") else line)
            paragraph.paragraph_format.space_after = Pt(6)
    return to_bytes(doc)
