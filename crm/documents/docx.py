"""Word documents with correct Traditional Chinese: briefings and the half-year report.

python-docx sets only the Latin font, so East Asian fonts are set on the Normal, Title,
Heading and table styles (`w:eastAsia`, theme attributes dropped) with `w:lang eastAsia
zh-TW`; the footer carries page numbers (PAGE / NUMPAGES fields).
"""

import io
import re
from datetime import date, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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


def new_document(lang: str, *, landscape: bool = False) -> DocxDocument:
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
        elif text is not None:
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


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_xml(text: str, width: int, bold: bool = False) -> str:
    text = _XML_BAD.sub("", text)
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            runs.append("<w:r><w:br/></w:r>")
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        runs.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>{"".join(runs)}</w:p></w:tc>')


def _insert(doc, element) -> None:
    """Append a block to the body, before its final section properties."""
    body = doc.element.body
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        body.append(element)


def _style_id(doc, name: str) -> str:
    """Style ids looked up once per document (python-docx looks a style name up by scanning every style)."""
    cache = doc.__dict__.setdefault("style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


def paragraph(doc, text: str, style: str | None = None, *, after_pt: float | None = None) -> None:
    """A paragraph (style by name: "Heading 1", "List Bullet"...) written as XML, fast in long documents."""
    props = f'<w:pStyle w:val="{_style_id(doc, style)}"/>' if style else ""
    if after_pt is not None:
        props += f'<w:spacing w:after="{int(after_pt * 20)}"/>'
    runs = "".join(("<w:r><w:br/></w:r>" if i else "") + f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                   for i, line in enumerate(_XML_BAD.sub("", text).split("\n")))
    _insert(doc, parse_xml(f'<w:p {nsdecls("w")}><w:pPr>{props}</w:pPr>{runs}</w:p>'))


def heading(doc, text: str, level: int) -> None:
    paragraph(doc, text, "Title" if level == 0 else f"Heading {level}")


def add_table(doc, headers: list[str], rows: list[list], lang: str, widths: list[float] | None = None) -> None:
    """A bordered table with a bold header row repeated on every page.

    Written as one XML fragment: python-docx's add_table/add_row/cell.text cost ~0.5 ms a cell.
    """
    usable = doc.__dict__.get("usable_twips")
    if usable is None:  # doc.sections scans the whole body: measure once per document
        section = doc.sections[-1]
        usable = doc.usable_twips = int((section.page_width - section.left_margin - section.right_margin) / 635)
    weights = widths or _weights(headers, rows)
    total = sum(weights) or 1
    twips = [max(400, int(usable * w / total)) for w in weights]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    head = "".join(_cell_xml(h, w, bold=True) for h, w in zip(headers, twips, strict=True))
    body = ["<w:tr><w:trPr><w:tblHeader/></w:trPr>" + head + "</w:tr>"]
    for row in rows:
        body.append("<w:tr>" + "".join(_cell_xml(cell_text(v, lang), w) for v, w in zip(row, twips, strict=True))
                    + "</w:tr>")
    style = _style_id(doc, "Table Grid")
    _insert(doc, parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style}"/>'
                           f'<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr>'
                           f'<w:tblGrid>{grid}</w:tblGrid>' + "".join(body) + "</w:tbl>"))


def _weights(headers: list[str], rows: list[list]) -> list[float]:
    """Column weights from content length (bounded), so short columns stay narrow."""
    out: list[float] = []
    for i, h in enumerate(headers):
        longest = max([len(h) * 2] + [len(str(r[i] or "")) * (2 if _wide(r[i]) else 1) for r in rows[:200]])
        out.append(min(max(longest, 6), 40))
    return out


def _wide(value) -> bool:
    return isinstance(value, str) and any(ord(ch) > 0x2E80 for ch in value[:20])


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def briefing_docx(briefing) -> bytes:
    """The briefing as Word: title, summary, agenda, people, then each city's ties and history."""
    lang = briefing.lang
    doc = new_document(lang, landscape=True)
    doc.core_properties.title = briefing.title
    heading(doc, briefing.title, 0)
    if briefing.subtitle:
        paragraph(doc, briefing.subtitle, "Subtitle")
    for line in briefing.summary:
        paragraph(doc, line)
    for table in (briefing.agenda, briefing.people):
        heading(doc, table.title, 1)
        if table.rows:
            add_table(doc, table.headers, table.rows, lang)
        else:
            paragraph(doc, t("ui.none", lang))
    if briefing.cities:
        heading(doc, t("brief.cities", lang), 1)
    for city in briefing.cities:
        heading(doc, city.name, 2)
        for fact in city.facts[1:]:
            paragraph(doc, fact, "List Bullet")
        for table in city.tables:
            heading(doc, table.title, 3)
            add_table(doc, table.headers, table.rows, lang)
    _photos(doc, t("brief.photos", lang), briefing.photos)
    return to_bytes(doc)


def _photos(doc, title: str, photos: list[dict]) -> None:
    """Pictures ({"caption", "data": JPEG}) under a heading, each with its caption."""
    if not photos:
        return
    from docx.shared import Cm

    heading(doc, title, 1)
    for photo in photos:
        doc.add_picture(io.BytesIO(photo["data"]), width=Cm(9))
        paragraph(doc, photo["caption"])


def list_docx(doc_data) -> bytes:
    """A list of records as a landscape Word table."""
    lang = doc_data.lang
    doc = new_document(lang, landscape=True)
    doc.core_properties.title = doc_data.title
    heading(doc, doc_data.title, 0)
    for line in ([doc_data.subtitle] if doc_data.subtitle else []) + doc_data.summary:
        paragraph(doc, line)
    add_table(doc, doc_data.people.headers, doc_data.people.rows, lang)
    return to_bytes(doc)


def heading_level(line: str) -> int:
    """1 for 「(三) …」 / "III. …", 2 for 「1. …」, 0 for a paragraph (the report's own layout)."""
    if HEADING_1.match(line):
        return 1
    if HEADING_2.match(line):
        return 2
    return 0


def text_docx(title: str, text: str, lang: str, photos: list[dict] | None = None) -> bytes:
    """A text (the half-year report) as Word: a title, headings for numbered lines, paragraphs; then `photos`
    ({"caption", "data": JPEG}) under a heading of their own."""
    doc = new_document(lang)
    doc.core_properties.title = title
    heading(doc, title, 0)
    for block in text.split("\n"):
        line = block.rstrip()
        if not line:
            continue
        level = heading_level(line)
        if level:
            heading(doc, line, level)
        else:
            paragraph(doc, line[2:] if line.startswith("- ") else line, after_pt=6)
    _photos(doc, t("report.photos", lang), photos or [])
    return to_bytes(doc)
