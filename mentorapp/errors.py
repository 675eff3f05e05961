"""Errors that reach the coordinator as one clear sentence."""


class UserError(Exception):
    """Bad data or a state the user can fix: shown as a message, exit status 1."""


class UsageError(UserError):
    """The command was called the wrong way: exit status 2."""


class ConflictError(UserError):
    """Someone else changed the record since it was read (optimistic locking)."""


def shown(text: str, limit: int = 40) -> str:
    """Text as typed, for a sentence: shortened, its control characters visible (a sentence stays one line)."""
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def visible(message: str) -> str:
    """A message with its control characters shown as escapes (line breaks and tabs kept).

    A value typed by someone (a carriage return, a terminal's escape sequence)
    can then neither break a sentence into lines nor act on the terminal.
    """
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() or c in "\n\t" else c.encode("unicode_escape").decode("ascii") for c in message)
