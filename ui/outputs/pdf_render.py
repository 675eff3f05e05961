"""Showing and printing PDFs with pypdfium2 (this PySide6 build has no QtPdf).

Pages are rendered to QImages; printing paints them page by page on a
QPrinter, so the print preview and the paper show exactly the exported PDF.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

PdfSource = bytes | str | os.PathLike[str]


def _open(source: PdfSource) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(source if isinstance(source, bytes) else os.fspath(source))


def page_count(source: PdfSource) -> int:
    pdf = _open(source)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_page(pdf: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an RGB QImage at ``dpi`` (a deep copy, independent of pdfium's buffer)."""
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, prefer_bgrx=True, rev_byteorder=True)
        try:
            array = bitmap.to_numpy()
            height, width = array.shape[:2]
            image = QImage(array.data, width, height, array.strides[0], QImage.Format.Format_RGBX8888)
            return image.copy()
        finally:
            bitmap.close()
    finally:
        page.close()


def render_pages(source: PdfSource, dpi: float = 96, first: int = 0, last: int | None = None) -> list[QImage]:
    """Pages ``first``..``last`` (inclusive; default: all) as images."""
    pdf = _open(source)
    try:
        end = len(pdf) - 1 if last is None else min(last, len(pdf) - 1)
        return [render_page(pdf, i, dpi) for i in range(first, end + 1)]
    finally:
        pdf.close()


def print_pdf(source: PdfSource, printer: QPrinter, progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint every page of the PDF on ``printer``; returns the pages printed.

    ``progress(done, total)`` is called before the first page and after each; it may
    return False to stop. Pages are rendered at
    the printer's resolution (at most 300 dpi) and scaled into the page rect
    keeping their proportions.
    """
    pdf = _open(source)
    painter = QPainter()
    try:
        total = len(pdf)
        if total == 0 or not painter.begin(printer):
            return 0
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        dpi = min(max(printer.resolution(), 96), 300)
        printed = 0
        if progress is not None and progress(0, total) is False:
            return 0
        for i in range(total):
            if i:
                printer.newPage()
            image = render_page(pdf, i, dpi)
            target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            target.moveTo(0, 0)
            size = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (target.width() - size.width()) / 2
            y = (target.height() - size.height()) / 2
            painter.drawImage(QRectF(x, y, size.width(), size.height()), image)
            printed += 1
            if progress is not None and progress(printed, total) is False:
                break
        return printed
    finally:
        if painter.isActive():
            painter.end()
        pdf.close()
