"""Row ids as files and the command line give them: the one limit, checked before the database is asked.

Light on purpose (no SQLAlchemy): the command line reads ids while it parses its arguments.
"""

from __future__ import annotations

# Ids are INTEGER columns: at most the largest PostgreSQL holds (SQLite never gets near it).
MAX_ID = 2**31 - 1


def row_id(value: object) -> int:
    """An id read from a file (a form's hidden sheet); ValueError unless it is one a row could have.

    A number beyond ``MAX_ID`` names no row, and SQLite cannot even be asked about it (OverflowError).
    """
    try:
        number = int(value)  # type: ignore[call-overload]
    except OverflowError as exc:  # infinity
        raise ValueError(f"{value!r} is not an id") from exc
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is not an id")
    return number
