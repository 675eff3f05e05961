"""Reading the answers in a form's cells: roles, yes/no, dates, numbers, focus areas.

Every function returns the value or raises :class:`ValueProblemError` with a
sentence; nothing unknown is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from mentorapp.importing.cells import Cell, cell_text
from mentorapp.people.validation import MAX_CAPACITY
from mentorapp.people.vocabulary import CAREER_STAGES, TITLES, canonical_focus_area


class ValueProblemError(ValueError):
    """A cell whose answer cannot be understood; the message says why."""


def text(value: Cell) -> str:
    return cell_text(value).strip()


def _words(value: Cell) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", cell_text(value).casefold()).split()) + " "


MENTEE_PHRASES = (
    " like a mentor ",
    " want a mentor ",
    " need a mentor ",
    " find a mentor ",
    " looking for a mentor ",
    " have a mentor ",
    " get a mentor ",
    " be mentored ",
    " being mentored ",
    " receive mentoring ",
    " receiving mentoring ",
    " seeking a mentor ",
    " seeking mentoring ",
    " looking for mentoring ",
    " want mentoring ",
    " need mentoring ",
    " matched with a mentor ",
    " paired with a mentor ",
)
MENTOR_PHRASES = (
    " be a mentor ",
    " as a mentor ",
    " become a mentor ",
    " to mentor ",
    " mentor others ",
    " mentoring others ",
    " offer mentoring ",
    " provide mentoring ",
    " volunteer as a mentor ",
    " being a mentor ",
    " mentoring someone ",
    " mentor someone ",
    " mentoring a ",
)


def role(value: Cell) -> str:
    """'Mentor', 'I would like a mentor', 'Mentee (I would like a mentor)', 'Both' -> mentor, mentee or both."""
    return _role(value) if isinstance(value, str) else _role_uncached(value)


@functools.lru_cache(maxsize=512)
def _role(value: str) -> str:
    # A form offers a handful of answers: each is read once.
    return _role_uncached(value)


def _role_uncached(value: Cell) -> str:
    words = _words(value)
    if " both " in words:
        return "both"
    hits_mentee = [p for p in MENTEE_PHRASES if p in words]
    hits_mentor = [p for p in MENTOR_PHRASES if p in words]
    rest = words
    for phrase in hits_mentee + hits_mentor:
        rest = rest.replace(phrase, " ")
    # 'mentor' alone means the applicant is one, once phrases like 'like a mentor' are taken out.
    wants = bool(hits_mentee) or " mentee " in rest or " mentees " in rest
    offers = bool(hits_mentor) or " mentor " in rest or " mentors " in rest
    if wants and offers and " or " not in words:
        return "both"
    if wants != offers:
        return "mentee" if wants else "mentor"
    shown = text(value) or "(blank)"
    raise ValueProblemError(f"The role '{shown}' is not understood; write Mentor, Mentee or Both.")


YES = {"yes", "y", "true", "1", "agree", "i agree", "agreed", "i consent", "consent", "accepted", "accept", "ok", "x"}
NO = {"no", "n", "false", "0", "disagree", "i do not agree", "i disagree", "declined", "decline", "not given"}


def yes_no(value: Cell) -> bool:
    """Yes/no answers, including 'Yes, I consent to ...'; blank means no."""
    return _yes_no(value) if isinstance(value, str) else _yes_no_uncached(value)


@functools.lru_cache(maxsize=512)
def _yes_no(value: str) -> bool:
    return _yes_no_uncached(value)


def _yes_no_uncached(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    words = _words(value).strip()
    if not words:
        return False
    if words in YES or (isinstance(value, (int, float)) and value == 1):
        return True
    if words in NO or (isinstance(value, (int, float)) and value == 0):
        return False
    padded = f" {words} "
    negated = any(n in padded for n in (" not ", " dont ", " don t ", " do not ", " no "))
    if words.startswith("yes") and not negated:
        return True
    if words.startswith("no ") or words.startswith("i do not") or words.startswith("i dont"):
        return False
    if not negated and any(p in padded for p in (" i agree ", " i consent ", " i give consent ", " i accept ")):
        return True
    raise ValueProblemError(f"'{text(value)[:80]}' is not a yes or no answer.")


MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}


def date(value: Cell, *, day_first: bool = True) -> dt.date | None:
    """A date from a date cell or text: 2021-03-04, 04/03/2021 (day first), 4 March 2021."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    try:
        return _parse_date(raw, day_first)
    except ValueError:
        raise ValueProblemError(f"'{raw[:80]}' is not a date; write it as YYYY-MM-DD, e.g. 2021-09-01.") from None


# Compiled once: a date column is read in every row.
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ T,])")
_DAY_OR_MONTH_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ ,T].*)?")


def _parse_date(raw: str, day_first: bool) -> dt.date:
    # ISO (2021-09-01T14:03:22) and Google Forms' year-first timestamps (2021/06/01 9:02:11 AM GMT+1).
    year_first = _YEAR_FIRST.match(raw)
    if year_first:
        y, m, d = year_first.groups()
        return dt.date(int(y), int(m), int(d))
    m = _DAY_OR_MONTH_FIRST.fullmatch(raw)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + 2000 if y < 100 else y
        day, month = (a, b) if day_first else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        return dt.date(y, month, day)
    parts = re.sub(r"[,.]", " ", raw.casefold()).split()
    parts = [re.sub(r"(st|nd|rd|th)$", "", p) if re.match(r"^\d", p) else p for p in parts]
    if len(parts) >= 3:
        if parts[0].isdigit() and parts[1] in MONTHS and parts[2].isdigit():
            return dt.date(int(parts[2]), MONTHS[parts[1]], int(parts[0]))
        if parts[0] in MONTHS and parts[1].isdigit() and parts[2].isdigit():
            return dt.date(int(parts[2]), MONTHS[parts[0]], int(parts[1]))
    raise ValueError(raw)


def infer_day_first(cells) -> bool | None:
    """Whether a column's dates are written day first (01/09/2021, Google Forms in the UK) or month first
    (9/1/21 14:03:22, Microsoft Forms in the US): None unless some date can only be read one way."""
    day_first = month_first = False
    for cell in cells:
        if not isinstance(cell, str):
            continue
        m = re.match(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}\b", cell)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_first |= a > 12 >= b
            month_first |= b > 12 >= a
    if day_first == month_first:
        return None
    return day_first


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def _refuse_long_numbers(raw: str, what: str) -> None:
    """16 digits or more: beyond any count a scheme has, and beyond what a float or SQLite holds."""
    longest = max((len(run) for run in re.findall(r"\d+", raw)), default=0)
    if longest > 15:
        raise ValueProblemError(f"{what} must be a whole number, not a number of {longest:,} digits.")


def whole_number(value: Cell, what: str) -> int | None:
    """A whole number from 3, 3.0, '3', 'up to 3', 'three'; None when blank."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueProblemError(f"{what} must be a whole number, not '{cell_text(value)}'.")
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueProblemError(f"{what} must be a whole number, not {value:g}.")
    raw = text(value)
    if not raw:
        return None
    folded = raw.casefold()
    _refuse_long_numbers(raw, what)
    if re.fullmatch(r"[+-]?\d+(\.0+)?", folded):
        return int(float(folded))
    numbers = re.findall(r"(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])", folded)
    words = [NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", folded) if w in NUMBER_WORDS]
    found = numbers + [str(w) for w in words]
    if len(found) == 1 and "." not in found[0]:
        return int(found[0])
    raise ValueProblemError(f"{what} must be a whole number, not '{raw[:80]}'.")


NUMBER_WORDS_MORE = {"ten": 10, "a couple": 2, "a couple of": 2, "a few": 3, "several": 3, "none": 0, "zero": 0}
_MAYBE = r"(?:maybe|possibly|perhaps|potentially|at a push|if needed|at most|exceptionally)"


def capacity(value: Cell) -> int | None:
    """How many mentees a mentor offers to take; None when blank.

    '2', 'Two', 'up to 3' -> 3, 'one or two' -> 2 and '2-3' -> 3 (the larger of the numbers
    offered: the mentor offers both), but '2 (maybe 3)' and '2, possibly 3' -> 2 (a number
    in brackets or after maybe/possibly/perhaps/at a push is not a commitment).
    A number must be plainly written and at most ``MAX_CAPACITY``: '1,000', '1e3', '0x10',
    '1_000' or '007' are refused, never read as some of their digits.
    """
    number = _capacity(value)
    if number is not None and number > MAX_CAPACITY:
        shown = f"{number:,}" if number < 10**15 else "a number that long"
        raise ValueProblemError(f"Capacity must be at most {MAX_CAPACITY} mentees, not {shown}.")
    return number


# Digits glued to letters or to a thousands separator, or a number written with a leading zero: not a
# plain whole number, whatever digits it holds ('1,000', '1e3', '0x10', '1_000', '1 000').
_NOT_PLAIN = re.compile(r"\d[,_]\d|\d[^\W\d]|[^\W\d]\d|(?<!\d)0\d")


def _capacity(value: Cell) -> int | None:
    if isinstance(value, str):
        _refuse_long_numbers(value, "Capacity")
        if _NOT_PLAIN.search(value):
            raise ValueProblemError(f"Capacity must be a plain whole number such as 2, not '{text(value)[:80]}'.")
    try:
        return whole_number(value, "Capacity")
    except ValueProblemError:
        pass
    raw = text(value)
    folded = re.sub(r"[-\u2013\u2014/]", " or ", raw.casefold())
    firm = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", folded)
    firm = re.sub(_MAYBE + r"\W+\w+", " ", firm)
    numbers = [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", firm)]
    numbers += [n for w, n in (NUMBER_WORDS | NUMBER_WORDS_MORE).items() if re.search(rf"\b{w}\b", firm)]
    if numbers and not re.search(r"\d\.\d", firm):
        return max(numbers)
    raise ValueProblemError(f"Capacity must be a whole number, not '{raw[:80]}'.")


MEETING = {
    "in person": ("in person", "face to face", "f2f", "in-person", "on site", "onsite"),
    "online": (
        *("online", "virtual", "virtually", "video", "remote", "remotely", "teams", "zoom", "phone", "telephone"),
        *("skype", "webex", "google meet"),
    ),
    "either": ("either", "both", "no preference", "any", "whichever", "mixed", "hybrid", "dont mind", "don t mind"),
}


def meeting_preference(value: Cell) -> str:
    words = _words(value)
    if not words.strip():
        return "either"
    hits = [key for key, phrases in MEETING.items() if any(f" {p} " in words for p in phrases)]
    if "either" in hits or len(hits) > 1:
        return "either"
    if hits:
        return hits[0]
    raise ValueProblemError(
        f"The meeting preference '{text(value)[:80]}' is not understood; write in person, online or either."
    )


_STAGES = {s.casefold(): s for s in CAREER_STAGES}


def career_stage(value: Cell) -> str:
    """The vocabulary's spelling when the stage is known, the answer as given otherwise."""
    raw = " ".join(text(value).split())
    return _STAGES.get(raw.casefold(), raw)


PARTICLES = {
    *("van", "von", "de", "da", "del", "della", "der", "den", "la", "le", "di", "du", "dos", "das", "do", "st"),
    *("bin", "ibn", "al", "el", "ter", "ten", "ní", "nic", "ó", "ua", "mac", "mhic", "ap", "ab"),
}


# The commonest Spanish and Portuguese surnames: one of them before the last name starts a double surname.
IBERIAN_SURNAMES = {
    n.casefold()
    for n in [
        "García",
        "Fernández",
        "González",
        "Rodríguez",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Martín",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Álvarez",
        "Muñoz",
        "Romero",
        "Alonso",
        "Gutiérrez",
        "Navarro",
        "Torres",
        "Domínguez",
        "Vázquez",
        "Ramos",
        "Gil",
        "Ramírez",
        "Serrano",
        "Blanco",
        "Suárez",
        "Molina",
        "Morales",
        "Ortega",
        "Delgado",
        "Castro",
        "Ortiz",
        "Rubio",
        "Marín",
        "Sanz",
        "Núñez",
        "Iglesias",
        "Medina",
        "Garrido",
        "Santos",
        "Castillo",
        "Cortés",
        "Lozano",
        "Guerrero",
        "Cano",
        "Prieto",
        "Méndez",
        "Cruz",
        "Calvo",
        "Gallego",
        "Vidal",
        "León",
        "Márquez",
        "Herrera",
        "Peña",
        "Flores",
        "Cabrera",
        "Campos",
        "Vega",
        "Silva",
        "Pereira",
        "Costa",
        "Oliveira",
        "Souza",
        "Ferreira",
        "Rodrigues",
        "Almeida",
        "Carvalho",
        "Gonçalves",
        "Lopes",
        "Martins",
        "Sousa",
        "Fernandes",
        "Ribeiro",
    ]
}


# Honours and forms of address written before a name, beside the usual titles ("Prof Sir John Smith").
HONORIFICS = frozenset(
    t.casefold() for t in (*TITLES, "Professor", "Sir", "Dame", "Lord", "Lady", "Rev", "Revd", "Doctor")
)
# Letters after a name: degrees, college memberships and fellowships, honours ("Jane Smith MBChB FRCP").
POST_NOMINALS = frozenset(
    p
    for p in (
        *("MBBS", "MBChB", "BMBS", "MB", "BS", "BM", "BCh", "BChir", "BAO", "MD", "DM", "PhD", "DPhil", "MPhil"),
        *("MSc", "BSc", "MA", "BA", "MPH", "MBA", "MRes", "MEd", "PGCert", "PGDip", "DipOccMed", "DOccMed"),
        *("FHEA", "SFHEA", "FAcadMEd", "FMedSci", "FRS", "RGN", "RN", "RMN", "RSCN", "SCPHN", "MCSP", "HCPC"),
        *("MBE", "OBE", "CBE", "KBE", "DBE", "QC", "KC", "JP", "DL", "Hons", "FRCPsych", "MRCPsych", "FRCPath"),
    )
)
_POST_FOLDED = frozenset(p.casefold() for p in POST_NOMINALS)
_COLLEGE = re.compile(r"^(?:[FM]RC[A-Z]{1,5}|[FM]F[A-Z]{2,4}|[FM]FPHM)$")  # FRCP, MRCGP, FFOM, MFOM, FFPH


def _post_nominal(token: str) -> bool:
    """As usually written, or in capitals: 'PhD', 'PHD', 'MA'; not 'Ma', a surname."""
    word = token.strip(",.")
    return word in POST_NOMINALS or (word.isupper() and word.casefold() in _POST_FOLDED) or bool(_COLLEGE.match(word))


def _without_letters(parts: list[str], keep: int) -> list[str]:
    """``parts`` without the letters after the name at their end, keeping at least ``keep`` words."""
    end = len(parts)
    while end > keep and _post_nominal(parts[end - 1]):
        end -= 1
    return parts[:end]


def _bare_name(raw: str) -> str:
    """The name without what forms add around it: '(she/her)', '(Jim)', and letters after it."""
    raw = " ".join(re.sub(r"\s*\([^)]*\)", " ", raw).split())
    parts = _without_letters(raw.replace(",", ", ").split(), 2)
    return " ".join(parts).strip(" ,").replace(" ,", ",")


def surname(value: str) -> str:
    """A surname column's answer without letters after it: 'Smith FRCP' -> 'Smith', 'Smith, MBChB' -> 'Smith'."""
    if " " not in value and "," not in value:
        return value  # one word: nothing to take off (most rows)
    words = value.replace(",", " ").split()
    kept = _without_letters(words, 1)
    return " ".join(kept) if len(kept) < len(words) else value


def split_name(value: Cell) -> tuple[str, str, str]:
    """'Dr Jane van Dyke' -> ('Dr', 'Jane', 'van Dyke'); 'Smith, Jane' -> ('', 'Jane', 'Smith').

    A surname keeps its particles ('Jan van der Berg', 'Siobhán Ní Bhriain'); four names or
    more without one are two given names and two surnames ('María José García López'), as
    Spanish and Portuguese names are written, and so are three when the middle one is a common
    Spanish or Portuguese surname ('Tobias García Márquez'). Titles may be several ('Prof Sir');
    letters after the name ('FRCP', 'MBChB, PhD') and a bracket ('(she/her)') are left out; a
    surname written first in capitals is the surname ('OWUSU Ama'). The preview shows the split.
    """
    raw = _bare_name(" ".join(text(value).split()))
    if "," in raw:
        last, _, first = raw.partition(",")
        return "", first.strip(), last.strip()
    parts = raw.split(" ")
    titles = []
    while len(parts) > 2 and parts[0].casefold().rstrip(".") in HONORIFICS:
        titles.append(parts.pop(0).rstrip("."))
    title = " ".join(titles)
    if len(parts) == 1:
        return title, parts[0], ""
    capitals = 0
    while capitals < len(parts) - 1 and len(parts[capitals]) > 2 and parts[capitals].isupper():
        capitals += 1
    if capitals and not any(p.isupper() for p in parts[capitals:]):
        return title, " ".join(parts[capitals:]), " ".join(parts[:capitals])
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].casefold() in PARTICLES:
        cut -= 1
    if cut == len(parts) - 1 and len(parts) >= 4:
        cut = 2
    elif cut == len(parts) - 1 and len(parts) == 3 and parts[1].casefold() in IBERIAN_SURNAMES:
        cut = 1  # 'Tobias García Márquez': a father's and a mother's surname
    return title, " ".join(parts[:cut]), " ".join(parts[cut:])


def split_areas(value: Cell, vocabulary: list[str]) -> list[str]:
    """'Leadership;Research;' -> the answers, in order, each once; commas split only unknown parts."""
    raw = text(value)
    if not raw:
        return []
    found: list[str] = []
    for part in re.split(r"[;\n]+", raw):
        part = " ".join(part.split()).strip(" ,")
        if not part:
            continue
        if "," in part and canonical_focus_area(part, vocabulary) is None:
            pieces = [" ".join(p.split()) for p in part.split(",") if p.strip()]
        else:
            pieces = [part]
        for piece in pieces:
            if piece.casefold() not in (f.casefold() for f in found):
                found.append(piece)
    return found


_YEARS_RE = re.compile(r"^(.*?)\s*[\(\[:-]\s*(\d{1,2})\s*(?:y|yr|yrs|year|years)?\s*[\)\]]?$", re.IGNORECASE)


def area_with_years(part: str) -> tuple[str, int | None]:
    """'Leadership (10 years)' -> ('Leadership', 10); 'Research' -> ('Research', None)."""
    m = _YEARS_RE.match(part)
    if m and m.group(1).strip():
        return m.group(1).strip(), int(m.group(2))
    return part, None
