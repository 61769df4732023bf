"""The country profile as a PDF. Pure: no ORM, no settings, no translation lookups.

:func:`render_pdf` lays out a :class:`PdfDocument` (already translated strings and values,
built by :mod:`sdg87.profiles.document`) with fpdf2 and returns the PDF bytes. Text is set in
DejaVu Sans (Unicode) when ``font_dir`` holds ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``;
otherwise in the PDF core font Helvetica, which only knows Latin-1: other characters are
replaced (typographic dashes and quotes by their ASCII look-alikes, the rest by ``?``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

REGULAR_FONT_FILE = "DejaVuSans.ttf"
BOLD_FONT_FILE = "DejaVuSans-Bold.ttf"
UNICODE_FAMILY = "DejaVu"
CORE_FAMILY = "Helvetica"
PAGES_ALIAS = "{nb}"

# Characters outside Latin-1 that have a close Latin-1 look-alike (for the core font).
LATIN1_LOOKALIKES = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2022": "\u00b7",
        "\u202f": "\u00a0",
        "\u2009": " ",
    }
)

TEXT_SIZE = 10
SMALL_SIZE = 8
HEADING_SIZE = 14
TITLE_SIZE = 20
LINE_HEIGHT = 5.5
ACCENT = (0, 94, 151)
MUTED = (90, 90, 90)
BANNER_FILL = (255, 244, 214)
BANNER_TEXT = (107, 71, 0)
HEADER_FILL = (234, 240, 246)


@dataclass(frozen=True)
class Paragraph:
    text: str
    url: str = ""
    muted: bool = False


@dataclass(frozen=True)
class Banner:
    """A highlighted warning, e.g. that the section shows example content."""

    text: str


@dataclass(frozen=True)
class Facts:
    """Label–value pairs, one per line."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[int] | None = None
    """Relative column widths (default: equal)."""
    links: Sequence[str] = ()
    """Per row, an address the first cell links to ("" for none)."""


Block = Paragraph | Banner | Facts | Table


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: Sequence[Block] = ()


@dataclass(frozen=True)
class PdfDocument:
    language: str
    title: str
    subtitle: str
    sections: Sequence[Section]
    footer: str = ""
    page_label: str = "%(page)s / %(pages)s"
    """Footer page number, with ``%(page)s`` and ``%(pages)s``."""
    author: str = "sdg87"
    links: Sequence[Paragraph] = field(default_factory=tuple)
    """Shown under the title (e.g. the address of the web page)."""


def unicode_fonts(font_dir: str | Path | None) -> tuple[Path, Path] | None:
    """The regular and bold DejaVu Sans files in ``font_dir``, or None if either is missing."""
    if not font_dir:
        return None
    directory = Path(font_dir)
    regular, bold = directory / REGULAR_FONT_FILE, directory / BOLD_FONT_FILE
    return (regular, bold) if regular.is_file() and bold.is_file() else None


def latin1(text: str) -> str:
    """``text`` in Latin-1 only: look-alikes where there are some, ``?`` for the rest."""
    return text.translate(LATIN1_LOOKALIKES).encode("latin-1", "replace").decode("latin-1")


class _ProfilePdf(FPDF):
    def __init__(self, document: PdfDocument, fonts: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.unicode = fonts is not None
        if fonts is not None:
            self.add_font(UNICODE_FAMILY, "", str(fonts[0]))
            self.add_font(UNICODE_FAMILY, "B", str(fonts[1]))
            self.text_family = UNICODE_FAMILY
        else:
            self.text_family = CORE_FAMILY
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages(PAGES_ALIAS)

    def text_of(self, text: str) -> str:
        return text if self.unicode else latin1(text)

    def use(self, size: float = TEXT_SIZE, *, bold: bool = False) -> None:
        self.set_font(self.text_family, "B" if bold else "", size)

    def footer(self) -> None:
        self.set_y(-14)
        self.use(SMALL_SIZE)
        self.set_text_color(*MUTED)
        page = self.document.page_label % {"page": self.page_no(), "pages": PAGES_ALIAS}
        width = self.epw / 2
        self.cell(width, 6, self.text_of(self.document.footer), align="L")
        self.cell(width, 6, self.text_of(page), align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(document: PdfDocument, *, font_dir: str | Path | None = None) -> bytes:
    """The PDF of ``document``."""
    pdf = _ProfilePdf(document, unicode_fonts(font_dir))
    pdf.set_title(pdf.text_of(document.title))
    pdf.set_author(pdf.text_of(document.author))
    pdf.set_creator("sdg87")
    pdf.set_lang(document.language)
    pdf.add_page()
    _title(pdf, document)
    for section in document.sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _title(pdf: _ProfilePdf, document: PdfDocument) -> None:
    pdf.use(TITLE_SIZE, bold=True)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 9, pdf.text_of(document.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    pdf.use(TEXT_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, pdf.text_of(document.subtitle), new_x=XPos.LMARGIN)
    pdf.set_text_color(0, 0, 0)
    for link in document.links:
        _paragraph(pdf, link)
    pdf.ln(2)


def _section(pdf: _ProfilePdf, section: Section) -> None:
    pdf.ln(4)
    # Keep a heading with the start of its content.
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.start_section(pdf.text_of(section.heading), level=0)
    pdf.use(HEADING_SIZE, bold=True)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 8, pdf.text_of(section.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _paragraph(pdf, block)
        elif isinstance(block, Banner):
            _banner(pdf, block)
        elif isinstance(block, Facts):
            _facts(pdf, block)
        else:
            _table(pdf, block)


def _paragraph(pdf: _ProfilePdf, paragraph: Paragraph) -> None:
    pdf.use(TEXT_SIZE)
    if paragraph.muted:
        pdf.set_text_color(*MUTED)
    elif paragraph.url:
        pdf.set_text_color(*ACCENT)
    pdf.multi_cell(
        0,
        LINE_HEIGHT,
        pdf.text_of(paragraph.text),
        link=paragraph.url or None,
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)


def _banner(pdf: _ProfilePdf, banner: Banner) -> None:
    pdf.use(TEXT_SIZE + 1, bold=True)
    pdf.set_fill_color(*BANNER_FILL)
    pdf.set_draw_color(*BANNER_TEXT)
    pdf.set_text_color(*BANNER_TEXT)
    pdf.multi_cell(
        0,
        7,
        pdf.text_of(banner.text),
        border=1,
        fill=True,
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _facts(pdf: _ProfilePdf, facts: Facts) -> None:
    label_width = pdf.epw * 0.32
    for label, value in facts.items:
        pdf.use(TEXT_SIZE, bold=True)
        top = pdf.get_y()
        pdf.multi_cell(label_width, LINE_HEIGHT, pdf.text_of(label), align="L", new_y=YPos.TOP)
        pdf.use(TEXT_SIZE)
        pdf.set_xy(pdf.l_margin + label_width, top)
        pdf.multi_cell(0, LINE_HEIGHT, pdf.text_of(value), align="L", new_x=XPos.LMARGIN)
        pdf.set_y(max(pdf.get_y(), top + LINE_HEIGHT))
    pdf.ln(1)


def _table(pdf: _ProfilePdf, table: Table) -> None:
    pdf.use(SMALL_SIZE + 1)
    headings = FontFace(emphasis="BOLD", fill_color=HEADER_FILL)
    with pdf.table(
        col_widths=tuple(table.widths) if table.widths else None,
        headings_style=headings,
        line_height=LINE_HEIGHT - 0.5,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        repeat_headings=1,
    ) as layout:
        heading_row = layout.row()
        for column in table.columns:
            heading_row.cell(pdf.text_of(column))
        for index, row in enumerate(table.rows):
            cells = layout.row()
            link = table.links[index] if index < len(table.links) else ""
            for position, value in enumerate(row):
                cells.cell(pdf.text_of(value), link=(link or None) if position == 0 else None)
    pdf.ln(2)
