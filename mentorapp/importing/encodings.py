"""Which encoding a text file is in, and decoding it without mangling a word.

UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or Windows-1252; a file
that is part UTF-8 and part Windows-1252 is refused with the row where it changes.
"""

from __future__ import annotations

import codecs
import csv
import io

from mentorapp.errors import UserError


def detect_encoding(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's 'Unicode text') or Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = raw[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode(raw: bytes, encoding: str) -> str:
    if encoding in ("cp1252", "utf-8-sig", "utf-8"):
        _refuse_mixed_encodings(raw, encoding)
    if encoding == "cp1252":
        # Five bytes are undefined in Windows-1252; Latin-1 keeps them instead of failing.
        return "".join(
            chunk.decode("cp1252", errors="strict") if _cp1252_ok(chunk) else chunk.decode("latin-1")
            for chunk in _split_lines(raw)
        )
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UserError(
            f"The file is not valid {encoding.upper()} text near byte {exc.start:,}; "
            "save it again as 'CSV UTF-8' and retry."
        ) from exc


def _refuse_mixed_encodings(raw: bytes, encoding: str) -> None:
    """Refuse a file that is part UTF-8 and part Windows-1252, at the row where it changes.

    Read as one or the other throughout, half of it would be mangled without a word
    ("Zoë" as "ZoÃ«"). A line of plain ASCII is both; a line that is valid UTF-8 with other
    bytes is UTF-8 (Windows-1252 text of letters is practically never valid UTF-8).
    """
    if encoding != "cp1252":
        try:
            raw.decode(encoding)
            return  # valid throughout: one encoding
        except UnicodeDecodeError:
            pass
    first: str | None = None
    lines = _split_lines(raw)
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            kind = "UTF-8"
        except UnicodeDecodeError:
            kind = "Windows-1252"
        if first is None:
            first = kind
        elif kind != first:
            before = b"".join(lines[: number - 1]).decode("utf-8" if first == "UTF-8" else "cp1252", errors="replace")
            row = sum(1 for _ in csv.reader(io.StringIO(before.lstrip("\ufeff"), newline=""))) + 1
            raise UserError(
                f"The file mixes two encodings: it is {first} up to row {row - 1} and {kind} from row {row} "
                f"(line {number}); read either way, some names would be mangled. Save it again as "
                "'CSV UTF-8' from the program that made it and retry."
            )


def _split_lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True) or [raw]


def _cp1252_ok(chunk: bytes) -> bool:
    try:
        chunk.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False
