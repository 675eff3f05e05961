"""Unicode fonts for every PDF mentorapp makes (letters, reports).

reportlab's built-in fonts only cover Latin-1, so Łukasz or Nguyễn would print
as black boxes. DejaVu Sans covers Latin, Greek and Cyrillic; Droid Sans
Fallback covers Chinese, Japanese and Korean. ``register_fonts`` registers
them once per process and ``markup`` escapes user text and wraps each run of
characters DejaVu lacks in ``<font name="Fallback">`` so 王秀英 renders too.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mentorapp.outputs.bundled import font_path
from mentorapp.outputs.safe_text import pdf_text

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
FALLBACK = "Fallback"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    FALLBACK: "DroidSansFallbackFull.ttf",
}

_lock = threading.Lock()
_covered: frozenset[int] | None = None
_covered_chars: frozenset[str] = frozenset()  # the same as characters: one set operation checks a whole text


def register_fonts() -> None:
    """Register the bundled fonts and their bold/italic families (idempotent, thread-safe)."""
    global _covered, _covered_chars
    if _covered is not None:
        return
    with _lock:
        if _covered is not None:
            return
        fonts = {}
        for name, filename in _FILES.items():
            path = font_path(filename)  # a real file: TTFont wants a file name
            if not path.is_file():
                raise FileNotFoundError(f"The bundled font {path} is missing; reinstall mentorapp.")
            fonts[name] = TTFont(name, str(path))
            pdfmetrics.registerFont(fonts[name])
        # <b>/<i> inside a DejaVu paragraph pick the right face; there is no
        # bold-oblique file, so bold italic uses bold.
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, face)
        for bold in (0, 1):  # the fallback has one face; <b>/<i> around it must not fail
            for italic in (0, 1):
                addMapping(FALLBACK, bold, italic, FALLBACK)
        _covered_chars = frozenset(map(chr, fonts[REGULAR].face.charToGlyph)) | frozenset("\r\n")
        _covered = frozenset(fonts[REGULAR].face.charToGlyph)


def covered_by_regular(char: str) -> bool:
    """True when DejaVu Sans has a glyph for ``char``."""
    register_fonts()
    assert _covered is not None
    return ord(char) in _covered


def markup(text: object, *, line_breaks: bool = True) -> str:
    """Paragraph markup for user text: escaped, with fallback-font runs for CJK and friends."""
    register_fonts()
    assert _covered is not None
    raw = "" if text is None else str(text)
    if _covered_chars.issuperset(raw):
        return pdf_text(raw, line_breaks=line_breaks)
    parts: list[str] = []
    run: list[str] = []
    run_fallback = False
    for char in raw:
        fallback = ord(char) not in _covered and char not in "\r\n\t "
        if run and fallback != run_fallback:
            parts.append(_wrap("".join(run), run_fallback, line_breaks))
            run = []
        run.append(char)
        run_fallback = fallback
    if run:
        parts.append(_wrap("".join(run), run_fallback, line_breaks))
    return "".join(parts)


def _wrap(chunk: str, fallback: bool, line_breaks: bool) -> str:
    escaped = pdf_text(chunk, line_breaks=line_breaks)
    return f'<font name="{FALLBACK}">{escaped}</font>' if fallback else escaped
