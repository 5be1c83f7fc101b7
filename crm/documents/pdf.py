"""PDF documents (fpdf2) in the CJK font found on the machine or named in settings.

When no Chinese font exists, `crm.documents.fonts.NoCjkFont` is raised before anything is written: a
clear, translated message instead of a PDF full of empty boxes.
"""

import io

from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from crm.documents.docx import cell_text
from crm.documents.fonts import add_cjk_font
from crm.i18n import t

FAMILY = "cjk"
HEADER_FILL = (221, 230, 240)


class _Pdf(FPDF):
    def __init__(self, lang: str, title: str, orientation: str = "L") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.lang = lang
        self.doc_title = title
        # Chinese has no spaces between words: wrap at any character (English wraps at spaces)
        self.wrap = WrapMode.CHAR if lang == "zh-TW" else WrapMode.WORD
        add_cjk_font(self, FAMILY)  # raises NoCjkFont first: no broken file is ever produced
        self.set_title(title)
        self.set_creator("Liaison")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        self.alias_nb_pages("{nb}")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, t("doc.page_of", self.lang, page=self.page_no(), pages="{nb}"), align="C")

    def heading(self, text: str, size: float) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L",
                        wrapmode=self.wrap)
        self.ln(1.5)
        self.set_font(FAMILY, size=9.5)

    def para(self, text: str, size: float = 9.5) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT", align="L",
                        wrapmode=self.wrap)

    def grid(self, headers: list[str], rows: list[list]) -> None:
        self.set_font(FAMILY, size=8.5)
        widths = _widths(headers, rows)
        with self.table(col_widths=widths, line_height=4.6, text_align="LEFT", first_row_as_headings=True,
                        headings_style=FontFace(emphasis=None, fill_color=HEADER_FILL),
                        repeat_headings=1, wrapmode=self.wrap) as table:
            head = table.row()
            for h in headers:
                head.cell(h)
            for row in rows:
                line = table.row()
                for value in row:
                    line.cell(cell_text(value, self.lang))
        self.ln(3)


def _widths(headers: list[str], rows: list[list]) -> tuple[float, ...]:
    """Column widths in proportion to content length (bounded), so short columns stay narrow."""
    sizes = []
    for i, h in enumerate(headers):
        longest = max([_visual(h)] + [_visual(str(r[i] or "")) for r in rows[:200]])
        sizes.append(min(max(longest, 6), 40))
    return tuple(sizes)


def _visual(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def briefing_pdf(briefing) -> bytes:
    """The briefing laid out as the Word version is: title, agenda, people, cities with tables."""
    lang = briefing.lang
    pdf = _Pdf(lang, briefing.title)
    pdf.add_page()
    pdf.heading(briefing.title, 18)
    if briefing.subtitle:
        pdf.para(briefing.subtitle, 11)
    for line in briefing.summary:
        pdf.para(line)
    pdf.ln(3)
    for table in (briefing.agenda, briefing.people):
        pdf.heading(table.title, 14)
        if table.rows:
            pdf.grid(table.headers, table.rows)
        else:
            pdf.para(t("ui.none", lang))
    if briefing.cities:
        pdf.heading(t("brief.cities", lang), 14)
    for city in briefing.cities:
        pdf.heading(city.name, 12)
        for fact in city.facts[1:]:
            pdf.para("• " + fact)
        pdf.ln(2)
        for table in city.tables:
            pdf.heading(table.title, 10.5)
            pdf.grid(table.headers, table.rows)
    if briefing.photos:
        pdf.heading(t("brief.photos", lang), 14)
        for photo in briefing.photos:
            pdf.image(io.BytesIO(photo["data"]), w=90)
            pdf.para(photo["caption"])
    return bytes(pdf.output())


def text_pdf(title: str, text: str, lang: str) -> bytes:
    """A text (such as the half-year report) as a portrait PDF."""
    from crm.documents.docx import heading_level

    pdf = _Pdf(lang, title, orientation="P")
    pdf.add_page()
    pdf.heading(title, 16)
    for line in text.split("\n"):
        level = heading_level(line)
        if level:
            pdf.heading(line, 14 if level == 1 else 12)
        elif line.strip():
            pdf.para(line[2:] if line.startswith("- ") else line, 10.5)
            pdf.ln(1.5)
    return bytes(pdf.output())


def list_pdf(doc) -> bytes:
    """A list of records as a landscape PDF table."""
    pdf = _Pdf(doc.lang, doc.title)
    pdf.add_page()
    pdf.heading(doc.title, 16)
    for line in ([doc.subtitle] if doc.subtitle else []) + doc.summary:
        pdf.para(line)
    pdf.ln(2)
    pdf.grid(doc.people.headers, doc.people.rows)
    return bytes(pdf.output())
