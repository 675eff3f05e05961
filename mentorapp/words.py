"""Counting words in sentences people read ("1 form", "2 forms", "3 people"), at the bottom of the core."""

from __future__ import annotations

IRREGULAR = {"person": "people"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 pair', '2 pairs', '2 people', '2 copies' (with ``many``)."""
    return f"{n} {word if n == 1 else many or IRREGULAR.get(word, word + 's')}"


def listing(items: list[str] | tuple[str, ...]) -> str:
    """'A', 'A and B', 'A, B and C': names and parts of a sentence as people list them."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""
