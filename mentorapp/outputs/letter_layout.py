"""Letters laid out with reportlab platypus on A4 in the bundled Unicode fonts
(:mod:`mentorapp.outputs.pdf_fonts`), so every name prints as typed, escaped: the letterhead with its
logo, the address and date, the body, the signature, and the footer on every page."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.outputs.files import Monitor
from mentorapp.outputs.letter_text import Letter
from mentorapp.outputs.letterhead import Letterhead
from mentorapp.outputs.pdf_fonts import BOLD, ITALIC, REGULAR, markup, register_fonts

log = logging.getLogger(__name__)

ACCENT = colors.HexColor("#1F4E79")
GREY = colors.HexColor("#555555")


class _Styles:
    """The letters' paragraph styles, made once per process (:func:`_styles`)."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, spaceAfter=7, alignment=TA_LEFT)
        self.body = base
        self.society = ParagraphStyle(
            "society",
            parent=base,
            fontName=BOLD,
            fontSize=17,
            leading=21,
            textColor=ACCENT,
            alignment=TA_RIGHT,
            spaceAfter=2,
        )
        self.small_right = ParagraphStyle(
            "small_right", parent=base, fontSize=8.5, leading=11.5, textColor=GREY, alignment=TA_RIGHT, spaceAfter=0
        )
        self.address = ParagraphStyle("address", parent=base, spaceAfter=0, leading=14)
        self.date = ParagraphStyle("date", parent=base, alignment=TA_RIGHT, spaceAfter=0)
        self.subject = ParagraphStyle("subject", parent=base, fontName=BOLD, fontSize=11, spaceBefore=4, spaceAfter=10)
        self.goal = ParagraphStyle(
            "goal", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3, bulletFontName=REGULAR
        )
        self.sign = ParagraphStyle("sign", parent=base, spaceAfter=0)
        self.sign_name = ParagraphStyle("sign_name", parent=base, fontName=BOLD, spaceAfter=0)
        self.sign_role = ParagraphStyle("sign_role", parent=base, fontName=ITALIC, textColor=GREY, spaceAfter=0)


@functools.cache
def _styles() -> _Styles:
    return _Styles()


class _Logo(Flowable):
    """The letterhead logo, drawn from one shared ImageReader (embedded once in the PDF)."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


class _Drawn(Flowable):
    """Flowables laid out once and drawn once per document as a form XObject, then reused on every page.

    The letterhead (logo, society, address, rule) is the same on every letter: as one form it is laid
    out, its logo hashed and encoded, and its text set once per PDF instead of once per letter.
    """

    def __init__(self, name: str, parts: list[Flowable], width: float) -> None:
        super().__init__()
        self.name, self.parts = name, parts
        self.sizes = [part.wrap(width, 10_000) for part in parts]
        self.width = width
        self.height = sum(h for _w, h in self.sizes) + sum(p.getSpaceBefore() + p.getSpaceAfter() for p in parts)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        if not canvas.hasForm(self.name):
            canvas.beginForm(self.name)
            y = self.height
            for part, (_w, h) in zip(self.parts, self.sizes):
                y -= part.getSpaceBefore() + h
                part.drawOn(canvas, 0, y)
                y -= part.getSpaceAfter()
            canvas.endForm()
        canvas.doForm(self.name)


class _Tick(Flowable):
    """A zero-size flowable that reports progress when laid out (and lets Cancel stop the build)."""

    def __init__(self, monitor: Monitor) -> None:
        super().__init__()
        self.monitor = monitor

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        return 0, 0

    def draw(self) -> None:
        self.monitor.step()


class _LetterBuilder:
    """Turns letters into flowables; the logo is read once for all of them."""

    def __init__(self, letterhead: Letterhead, letter_date: dt.date) -> None:
        self.st = _styles()
        self.lh = letterhead
        self.date = letter_date
        logo = letterhead.logo()
        self.logo: ImageReader | None = None
        self.logo_size = (0.0, 0.0)
        if logo is not None:
            try:
                self.logo = ImageReader(str(logo))
                w, h = self.logo.getSize()
                height = 22 * mm
                self.logo_size = (height * w / h, height)
            except Exception:
                # Reason: a broken logo file (any image error reportlab raises) must not stop the letters.
                log.warning("the letterhead's logo could not be read; the letters go without it", exc_info=True)
                self.logo = None
        self.head_lines = [markup(line) for line in letterhead.address.splitlines() if line.strip()]
        if letterhead.contact.strip():
            self.head_lines += [markup(line) for line in letterhead.contact.splitlines() if line.strip()]
        self._head: _Drawn | None = None
        self._signature: _Drawn | None = None

    def head(self, width: float) -> _Drawn:
        """The letterhead as one flowable, drawn once per document and shown on every letter."""
        if self._head is None or self._head.width != width:
            self._head = _Drawn("mentorapp-letterhead", self.letterhead(width), width)
        return self._head

    def letterhead(self, width: float) -> list[Flowable]:
        st = self.st
        right: list[Flowable] = [Paragraph(markup(self.lh.society_name), st.society)]
        right += [Paragraph(line, st.small_right) for line in self.head_lines]
        if self.logo is not None:
            w, h = self.logo_size
            cells = [[_Logo(self.logo, w, h), right]]
            col = [w + 6 * mm, width - w - 6 * mm]
        else:
            cells, col = [[right]], [width]
        table = Table(cells, colWidths=col)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [table, Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=1.2, color=ACCENT), Spacer(1, 7 * mm)]

    def signature(self, width: float) -> _Drawn:
        """ "Yours sincerely," and who signs: the same on every letter, so drawn once per document."""
        if self._signature is None or self._signature.width != width:
            st = self.st
            parts: list[Flowable] = [
                Spacer(1, 4),
                Paragraph("Yours sincerely,", st.sign),
                Spacer(1, 12 * mm),
                Paragraph(markup(self.lh.coordinator_name), st.sign_name),
                Paragraph(markup(self.lh.coordinator_role), st.sign_role),
                Paragraph(markup(self.lh.society_name), st.sign_role),
            ]
            self._signature = _Drawn("mentorapp-signature", parts, width)
        return self._signature

    def letter(self, letter: Letter, width: float) -> list[Flowable]:
        st = self.st
        person = letter.recipient
        address = [person.full_name, person.job_title, person.organisation]
        top = _Beside(
            Paragraph("<br/>".join(markup(line) for line in address if line), st.address),
            Paragraph(long_date(self.date), st.date),
            width * 0.65,
            width * 0.35,
        )
        story: list[Flowable] = [self.head(width), top, Spacer(1, 8 * mm)]
        story.append(Paragraph(markup(f"Dear {person.salutation},"), st.body))
        story.append(Paragraph(letter.subject, st.subject))
        for para in letter.paragraphs:
            if isinstance(para, list):
                story += [Paragraph(item, st.goal, bulletText="•") for item in para]
                story.append(Spacer(1, 4))
            else:
                story.append(Paragraph(para, st.body))
        story.append(self.signature(width))
        return story


class _Beside(Flowable):
    """Two paragraphs side by side, tops aligned, 3 points above and below (a one-row table, laid out cheaply)."""

    PAD = 3

    def __init__(self, left: Paragraph, right: Paragraph, left_width: float, right_width: float) -> None:
        super().__init__()
        self.left, self.right, self.widths = left, right, (left_width, right_width)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        self.sizes = [self.left.wrap(self.widths[0], avail_height), self.right.wrap(self.widths[1], avail_height)]
        self.height = max(h for _w, h in self.sizes) + 2 * self.PAD
        return sum(self.widths), self.height

    def draw(self) -> None:
        top = self.height - self.PAD
        self.left.drawOn(self.canv, 0, top - self.sizes[0][1])
        self.right.drawOn(self.canv, self.widths[0], top - self.sizes[1][1])


def _footer(letterhead: Letterhead):
    parts = [letterhead.society_name, *letterhead.address.splitlines(), *letterhead.contact.splitlines()]
    text = " · ".join(x.strip() for x in [*parts, "Private and confidential"] if x.strip())

    def draw(canvas: Any, doc: Any) -> None:
        # The same on every page: drawn once per document as a form XObject, then shown on each page.
        if not canvas.hasForm("mentorapp-footer"):
            canvas.beginForm("mentorapp-footer")
            width, _height = A4
            canvas.setStrokeColor(ACCENT)
            canvas.setLineWidth(0.5)
            canvas.line(doc.leftMargin, 16 * mm, width - doc.rightMargin, 16 * mm)
            canvas.setFillColor(GREY)
            size = 7.5
            while size > 5 and canvas.stringWidth(text, REGULAR, size) > doc.width:
                size -= 0.5
            canvas.setFont(REGULAR, size)
            canvas.drawCentredString(width / 2, 11.5 * mm, text)
            canvas.endForm()
        canvas.doForm("mentorapp-footer")

    return draw


def render_letters(
    letters: Sequence[Letter],
    target: str | os.PathLike[str] | io.BytesIO,
    letterhead: Letterhead,
    *,
    letter_date: dt.date,
    monitor: Monitor | None = None,
    title: str = "Match letters",
) -> int:
    """Lay out ``letters`` (each on a new page) into ``target``; returns the page count."""
    builder = _LetterBuilder(letterhead, letter_date)
    doc = SimpleDocTemplate(
        target if isinstance(target, io.BytesIO) else str(target),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=15 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=letterhead.society_name,
        creator="mentorapp",
    )
    story: list[Flowable] = []
    for i, letter in enumerate(letters):
        if i:
            story.append(PageBreak())
        story += builder.letter(letter, doc.width - 12)  # the frame's own padding
        if monitor is not None:
            story.append(_Tick(monitor))
    if not story:
        raise UserError("There are no letters to print: choose at least one match.")
    footer = _footer(letterhead)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return doc.page
