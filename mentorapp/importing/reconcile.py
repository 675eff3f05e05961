"""Which scheme value each answer in the form means: proposals, confirmed choices, the ``values`` block.

For every categorical column (role, title, career stage, region, meeting
preference, consent, capacity, and the focus areas of goals and of mentors'
expertise) :func:`propose_values` collects the distinct answers of the file, with
the rows that give them, and proposes for each the scheme value it means, best
method first:

========== ============================================================ ==========
method     how                                                          confidence
========== ============================================================ ==========
saved      confirmed at an earlier import into this cohort              1.0
exact      written exactly as in the scheme                             1.0
normalised equal once case, spaces and punctuation are ignored          0.98
rule       read by the field's own rules ('Video call' -> online,       0.97
           'I would like a mentor' -> mentee, 'Two' -> 2)
contains   its words are words of exactly one scheme value              0.9
           ('Policy' -> 'Health and work policy', 'Consultant' ->
           'Consultant or senior practitioner'), or one scheme value's
           words are all in it ('Leadership skills' -> 'Leadership')
meaning    close in meaning (:mod:`mentorapp.people.meaning`), focus    <= 0.9
           areas only
fuzzy      the whole text is close (rapidfuzz ratio: typos)             <= 0.94
new        nothing is close: add it as a new value of the scheme        1 - best
========== ============================================================ ==========

A proposal at or above :data:`SURE` is applied; anything below is a question,
shown and never applied until confirmed (a :class:`ValueMapping`), accepted
with a threshold, or, for "add as new", allowed to add new values.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from mentorapp.errors import UserError
from mentorapp.importing import values as v
from mentorapp.importing.cells import Cell
from mentorapp.importing.fields import IGNORE, LABELS
from mentorapp.importing.word_guesses import by_initials, content_words, loose_form, only_one_sharing_a_word
from mentorapp.people.validation import MAX_CAPACITY
from mentorapp.people.vocabulary import CAREER_STAGES, MEETING_PREFERENCES, REGIONS, TITLES

log = logging.getLogger(__name__)

SURE = 0.95  # at or above: applied without a question
DEFAULT_THRESHOLD = 0.8  # --accept-suggested-values applies proposals at or above this
FUZZY_MIN = 0.7  # a whole-text similarity below this proposes nothing
MEANING_MIN = 0.6  # a meaning similarity below this proposes nothing
CONTAINS = 0.9
CONTAINED = 0.85
SHARED_WORD = 0.7  # "Yorkshire & Humber" for North East and Yorkshire: the only value with that word
ACRONYM = 0.85  # "QI projects" for Quality improvement, "SE England" for South East: proposed, asked about
RULE = 0.97
NORMALISED = 0.98
FUZZY_MAX = 0.94
MEANING_MAX = 0.9

NEW = None  # the scheme value of an answer that is added as a new value

AREA_FIELDS = ("focus_short", "focus_medium", "focus_long", "focus_areas", "expertise_areas")
VOCABULARY_FIELDS = ("title", "career_stage", "region", *AREA_FIELDS)  # may take new values
RULE_FIELDS = ("role", "meeting_preference", "consent", "capacity")
CATEGORICAL = ("role", "title", "career_stage", "region", "meeting_preference", *AREA_FIELDS, "consent", "capacity")
ROLES = ("mentor", "mentee", "both")
TITLE_WORDS = {"doctor": "Dr", "professor": "Prof", "mister": "Mr", "miss": "Miss", "mistress": "Mrs"}


@dataclass
class ValueProposal:
    """One distinct answer of one column and the scheme value proposed for it (``None``: add as new)."""

    column: str  # the column's header in the file
    value: str  # the answer as most of the file's rows write it (see usual_spelling)
    rows: list[int]  # the file's row numbers that give it
    proposed: str | None
    confidence: float
    method: str
    field: str = ""  # the field the column is imported as

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def sure(self) -> bool:
        """Applied without a question: a saved choice, or a proposal at or above :data:`SURE`."""
        return self.method == "saved" or (self.proposed is not None and self.confidence >= SURE)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "count": self.count,
            "rows": list(self.rows),
            "proposed": self.proposed,
            "confidence": round(self.confidence, 2),
            "method": self.method,
        }


@dataclass
class ColumnValues:
    """The distinct answers of one mapped column, with their proposals, most frequent first."""

    field: str
    proposals: list[ValueProposal]
    column: str = ""
    vocabulary: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)

    @property
    def allows_new(self) -> bool:
        return self.field in VOCABULARY_FIELDS

    def to_json(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "label": self.label,
            "values": [p.to_json() for p in self.proposals],
        }


def fold(value: str) -> str:
    """The key an answer is known by: case and runs of spaces ignored."""
    return " ".join(str(value).split()).casefold()


@dataclass
class ValueMapping:
    """Confirmed choices: field -> {answer in the file -> scheme value, or NEW (None) to add it}."""

    choices: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def set(self, field_key: str, value: str, scheme: str | None) -> None:
        self.choices.setdefault(field_key, {})[" ".join(str(value).split())] = scheme

    def lookup(self, field_key: str, value: str) -> tuple[bool, str | None]:
        """(found, scheme value or NEW) for one answer, case and spaces ignored."""
        wanted = fold(value)
        for answer, scheme in self.choices.get(field_key, {}).items():
            if fold(answer) == wanted:
                return True, scheme
        return False, None

    def merged(self, other: ValueMapping) -> ValueMapping:
        """This mapping with ``other``'s choices over it."""
        result = ValueMapping({f: dict(c) for f, c in self.choices.items()})
        for f, choices in other.choices.items():
            for answer, scheme in choices.items():
                found, _ = result.lookup(f, answer)
                if found:
                    result.choices[f] = {a: s for a, s in result.choices[f].items() if fold(a) != fold(answer)}
                result.set(f, answer, scheme)
        return result

    def __bool__(self) -> bool:
        return any(self.choices.values())

    def to_json(self) -> dict[str, Any]:
        """The ``values`` block's shape: each confirmed choice an entry with confidence 1."""
        return {
            f: {
                "column": "",
                "label": LABELS.get(f, f),
                "values": [
                    {"value": a, "count": 0, "rows": [], "proposed": s, "confidence": 1.0, "method": "confirmed"}
                    for a, s in choices.items()
                ],
            }
            for f, choices in self.choices.items()
            if choices
        }

    @classmethod
    def from_json(cls, data: Any, source: str = "the values file") -> ValueMapping:
        """Read a ``values`` block (or a whole dry-run JSON holding one): each entry's ``proposed`` is the choice.

        ``{"field": {"answer": "scheme value"}}`` is read too. A malformed entry is refused naming it.
        """
        if isinstance(data, dict) and isinstance(data.get("values"), dict) and "values" not in CATEGORICAL:
            inner = data["values"]
            if all(isinstance(k, str) and k in CATEGORICAL for k in inner):
                data = inner
        if not isinstance(data, dict):
            raise UserError(f"{source} must be a JSON object of field name to its values.")
        mapping = cls()
        for f, block in data.items():
            if f not in CATEGORICAL:
                raise UserError(
                    f"{source}: '{f}' is not a field with values to map; use one of: {', '.join(CATEGORICAL)}."
                )
            if isinstance(block, dict) and isinstance(block.get("values"), list):
                for i, entry in enumerate(block["values"]):
                    where = f"{source}, {f} entry {i + 1}"
                    if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
                        raise UserError(f'{where}: each entry needs a "value" (the answer as written in the file).')
                    scheme = entry.get("proposed")
                    if scheme is None and entry.get("method") == "unknown":
                        continue  # an answer nothing was proposed for, left undecided
                    if scheme is not None and not isinstance(scheme, str):
                        raise UserError(f"{where} ('{entry['value']}'): \"proposed\" must be a text or null.")
                    mapping.set(f, entry["value"], scheme)
            elif isinstance(block, dict):
                for answer, scheme in block.items():
                    if scheme is not None and not isinstance(scheme, str):
                        raise UserError(f"{source}, {f} '{answer}': the scheme value must be a text or null.")
                    mapping.set(f, str(answer), scheme)
            else:
                raise UserError(f"{source}: '{f}' must hold a list \"values\" of entries.")
        return mapping


def vocabulary_of(field_key: str, cohort: Any) -> list[str]:
    """The scheme values a field's answers map onto, in the cohort's order."""
    if field_key in AREA_FIELDS:
        return list(getattr(cohort, "focus_areas", None) or [])
    if field_key == "career_stage":
        return list(getattr(cohort, "career_stages", None) or CAREER_STAGES)
    if field_key == "region":
        return list(getattr(cohort, "regions", None) or REGIONS)
    if field_key == "title":
        return list(TITLES)
    if field_key == "meeting_preference":
        return list(MEETING_PREFERENCES)
    if field_key == "role":
        return list(ROLES)
    if field_key == "consent":
        return ["yes", "no"]
    return []


def answers(field_key: str, cell: Cell, vocabulary: list[str]) -> list[str]:
    """The separate answers in one cell: multi-choice areas split on ; , and new lines, years taken off."""
    if field_key in AREA_FIELDS:
        parts = v.split_areas(cell, vocabulary)
        if field_key == "expertise_areas":
            known = {a.casefold() for a in vocabulary}
            parts = [p if p.casefold() in known else v.area_with_years(p)[0] for p in parts]
        return parts
    text = " ".join(v.text(cell).split())
    return [text] if text else []


class AnswerCache:
    """:func:`answers` of each distinct cell of a column worked out once, with their keys (:func:`fold`).

    A form's choice columns repeat the same few answers in thousands of rows,
    so an import reads each distinct one once instead of once per row.
    """

    def __init__(self, vocabularies: Mapping[str, list[str]]) -> None:
        self.vocabularies = vocabularies
        self.known: dict[tuple[str, type, Cell], list[tuple[str, str]]] = {}

    def __call__(self, field_key: str, cell: Cell) -> list[tuple[str, str]]:
        """The (key, answer) pairs of one cell, in order."""
        key = (field_key, type(cell), cell)  # the type too: 1, 1.0 and True are equal keys but read differently
        found = self.known.get(key)
        if found is None:
            vocabulary = self.vocabularies.get(field_key, [])
            found = self.known[key] = [(fold(a), a) for a in answers(field_key, cell, vocabulary)]
        return found


def _numbered(rows: Iterable[Any]) -> Iterable[tuple[int, Sequence[Cell]]]:
    """Rows as (row number, cells): pairs from ``Table.rows`` as they are, plain rows numbered from 2."""
    for i, row in enumerate(rows):
        if isinstance(row, tuple) and len(row) == 2 and isinstance(row[0], int) and isinstance(row[1], (list, tuple)):
            yield row[0], row[1]
        else:
            yield i + 2, row


def usual_spelling(tally: dict[str, int]) -> str:
    """The spelling most rows write an answer in (the first of them on a tie): a form whose first
    row wrote "MANAGEMENT" and most rows "Management" keeps "Management"."""
    return max(tally, key=tally.__getitem__)


def propose_values(
    headers: Sequence[str],
    rows: Iterable[Any],
    fields: Sequence[str],
    cohort: Any,
    confirmed: ValueMapping | None = None,
) -> list[ColumnValues]:
    """One :class:`ColumnValues` per mapped categorical column, in the file's column order.

    ``rows`` are lists of cells (numbered from row 2) or ``(row number, cells)`` pairs;
    ``cohort`` is anything with ``focus_areas`` (and ``career_stages``, ``regions``,
    ``settings``); ``confirmed`` choices (and those saved in the cohort) win.
    """
    saved = saved_values(cohort)
    chosen = saved.merged(confirmed) if confirmed else saved
    columns = [(i, f) for i, f in enumerate(fields) if f in CATEGORICAL and f != IGNORE]
    vocabularies = {f: vocabulary_of(f, cohort) for _, f in columns}
    read = AnswerCache(vocabularies)
    numbered = list(_numbered(rows))
    seen: dict[str, dict[str, tuple[str, list[int]]]] = {f: {} for _, f in columns}
    spellings: dict[str, dict[str, dict[str, int]]] = {f: {} for _, f in columns}
    for i, f in columns:
        # The rows of each distinct cell (in the order the cells first appear), then each cell's answers once.
        by_cell: dict[tuple[type, Cell], tuple[Cell, list[int]]] = {}
        for number, cells in numbered:
            cell = cells[i] if i < len(cells) else None
            by_cell.setdefault((type(cell), cell), (cell, []))[1].append(number)
        parts: dict[str, list[list[int]]] = {}
        for cell, numbers in by_cell.values():
            for key, answer in read(f, cell):
                seen[f].setdefault(key, (answer, []))
                tally = spellings[f].setdefault(key, {})
                tally[answer] = tally.get(answer, 0) + len(numbers)
                parts.setdefault(key, []).append(numbers)
        for key, lists in parts.items():
            where = seen[f][key][1]
            where.extend(lists[0] if len(lists) == 1 else sorted({n for numbers in lists for n in numbers}))
    for f, keys in spellings.items():
        for key, tally in keys.items():
            seen[f][key] = (usual_spelling(tally), seen[f][key][1])
    result = []
    for i, f in columns:
        found = sorted(seen[f].values(), key=lambda item: (-len(item[1]), item[0].casefold()))
        proposals = propose_for(f, [a for a, _ in found], vocabularies[f], chosen)
        header = headers[i] if i < len(headers) else f
        for p, (_, where) in zip(proposals, found):
            p.column, p.rows, p.field = header, where, f
        result.append(ColumnValues(f, proposals, header, vocabularies[f]))
    return result


def propose_for(
    field_key: str, found: Sequence[str], vocabulary: Sequence[str], chosen: ValueMapping | None = None
) -> list[ValueProposal]:
    """A proposal for each distinct answer of one field (rows left empty)."""
    vocabulary = list(vocabulary)
    proposals: list[ValueProposal] = []
    pending: list[int] = []
    for answer in found:
        p = ValueProposal("", answer, [], None, 0.0, "new")
        hit, scheme = chosen.lookup(field_key, answer) if chosen else (False, None)
        if hit and (scheme is None or scheme in vocabulary or field_key == "capacity"):
            p.proposed, p.confidence, p.method = scheme, 1.0, "saved"
        else:
            _first_methods(field_key, p, vocabulary)
            if p.method == "new" and field_key in VOCABULARY_FIELDS:
                pending.append(len(proposals))
        proposals.append(p)
    if pending and vocabulary:
        _meaning_and_fuzzy(field_key, [proposals[i] for i in pending], vocabulary)
    return proposals


def _first_methods(field_key: str, p: ValueProposal, vocabulary: list[str]) -> None:
    answer = p.value
    if field_key in RULE_FIELDS:
        p.proposed, p.confidence, p.method = _by_rule(field_key, answer)
        return
    if answer in vocabulary:
        p.proposed, p.confidence, p.method = answer, 1.0, "exact"
        return
    loose = {loose_form(s): s for s in vocabulary}
    if loose_form(answer) in loose:
        p.proposed, p.confidence, p.method = loose[loose_form(answer)], NORMALISED, "normalised"
        return
    if field_key == "title":
        # A title the scheme does not list ('Sister', 'Revd') is kept as the person wrote it.
        word = TITLE_WORDS.get(loose_form(answer))
        p.proposed, p.confidence, p.method = (word, RULE, "rule") if word else (answer.rstrip("."), 1.0, "as written")
        return
    expanded = by_initials(answer, vocabulary)
    if expanded is not None:
        p.proposed, p.confidence, p.method = expanded, ACRONYM, "initials"
        return
    words = content_words(answer)
    if words:
        holders = [s for s in vocabulary if words <= content_words(s)]
        if len(holders) == 1:
            p.proposed, p.confidence, p.method = holders[0], CONTAINS, "contains"
            return
        inside = [s for s in vocabulary if content_words(s) and content_words(s) <= words]
        if len(inside) == 1:
            p.proposed, p.confidence, p.method = inside[0], CONTAINED, "contains"


def _by_rule(field_key: str, answer: str) -> tuple[str | None, float, str]:
    try:
        if field_key == "role":
            return v.role(answer), RULE, "rule"
        if field_key == "meeting_preference":
            return v.meeting_preference(answer), RULE, "rule"
        if field_key == "consent":
            return ("yes" if v.yes_no(answer) else "no"), RULE, "rule"
        number = v.capacity(answer)
        return (None if number is None else str(number)), RULE, "rule"
    except v.ValueProblemError:
        return None, 0.0, "unknown"


def _meaning_and_fuzzy(field_key: str, proposals: list[ValueProposal], vocabulary: list[str]) -> None:
    meaning = _meaning_matrix([p.value for p in proposals], vocabulary) if field_key in AREA_FIELDS else None
    for n, p in enumerate(proposals):
        best, score, method = None, 0.0, "new"
        hit = process.extractOne(p.value, vocabulary, scorer=fuzz.ratio, processor=utils.default_process)
        if hit and hit[1] / 100 >= FUZZY_MIN:
            best, score, method = hit[0], min(hit[1] / 100, FUZZY_MAX), "fuzzy"
        if meaning is not None:
            j = int(meaning[n].argmax())
            sim = float(meaning[n][j])
            if sim >= MEANING_MIN and min(sim, MEANING_MAX) > score:
                best, score, method = vocabulary[j], min(sim, MEANING_MAX), "meaning"
        if best is None and field_key != "career_stage":  # a ladder's shared word ("career") says nothing
            best = only_one_sharing_a_word(p.value, vocabulary)
            score, method = SHARED_WORD, "shared word"
        if best is None:
            closest = hit[1] / 100 if hit else 0.0
            if meaning is not None:
                closest = max(closest, float(meaning[n].max()))
            p.proposed, p.confidence, p.method = NEW, round(max(0.0, 1.0 - closest), 2), "new"
        else:
            p.proposed, p.confidence, p.method = best, round(score, 2), method


def _meaning_matrix(texts: list[str], vocabulary: list[str]) -> Any:
    """Similarity of meaning of each text to each scheme value, or None when no meaning measure exists."""
    try:
        from mentorapp.people import meaning
    except ImportError:
        log.info("No meaning measure for focus areas; proposing by spelling only")
        return None
    matrix = getattr(meaning, "similarity_matrix", None)
    if matrix is None:
        return None
    return matrix(texts, vocabulary)


def saved_values(cohort: Any) -> ValueMapping:
    """The value choices remembered with the cohort's column mapping."""
    settings = getattr(cohort, "settings", None) or {}
    stored = settings.get("import_mapping", {}) if isinstance(settings, dict) else {}
    raw = stored.get("values") if isinstance(stored, dict) else None
    if not isinstance(raw, dict):
        return ValueMapping()
    try:
        return ValueMapping.from_json(raw, "the saved value mapping")
    except UserError:
        log.warning("The cohort's saved value mapping is malformed; it is ignored")
        return ValueMapping()


def values_block(columns: Sequence[ColumnValues]) -> dict[str, Any]:
    """The ``values`` block of ``import --dry-run --format json``: field -> its column and proposals."""
    return {c.field: c.to_json() for c in columns}


@dataclass
class Resolution:
    """What the import does with each answer: ``applied`` field -> {folded answer -> scheme value or NEW};
    ``questions`` are proposals not applied (shown, with the way to settle them)."""

    applied: dict[str, dict[str, str | None]] = field(default_factory=dict)
    questions: list[ValueProposal] = field(default_factory=list)
    added: dict[str, list[str]] = field(default_factory=dict)  # field -> answers added as new, as written

    def lookup(self, field_key: str, answer: str) -> tuple[bool, str | None]:
        choices = self.applied.get(field_key, {})
        key = fold(answer)
        return (True, choices[key]) if key in choices else (False, None)

    def added_areas(self) -> list[str]:
        """Focus areas added as new, from any area column, each once."""
        seen: dict[str, str] = {}
        for f in AREA_FIELDS:
            for answer in self.added.get(f, []):
                seen.setdefault(fold(answer), " ".join(answer.split()))
        return list(seen.values())

    def new_spelling(self, field_key: str, answer: str) -> str:
        """How an answer added as new is stored: as the cohort's list gets it (a row that wrote it in
        another case still stores the list's spelling)."""
        added = self.added_areas() if field_key in AREA_FIELDS else self.added.get(field_key, [])
        key = fold(answer)
        return next((a for a in added if fold(a) == key), " ".join(answer.split()))

    def question(self, field_key: str, answer: str) -> ValueProposal | None:
        return next((q for q in self.questions if q.field == field_key and fold(q.value) == fold(answer)), None)


def resolve(
    columns: Sequence[ColumnValues],
    confirmed: ValueMapping | None = None,
    *,
    threshold: float | None = None,
    add_new: bool = False,
    add_new_areas: bool = False,
) -> Resolution:
    """Settle each proposal: confirmed choices, sure proposals, those at or above ``threshold`` (when given),
    and "add as new" when ``add_new`` (``add_new_areas``: focus areas only) are applied; the rest are questions.
    With ``threshold`` and ``add_new``, an answer whose proposal falls below the threshold is added as new."""
    res = Resolution()
    for col in columns:
        applied = res.applied.setdefault(col.field, {})
        may_add = col.allows_new and (add_new or (add_new_areas and col.field in AREA_FIELDS))
        for p in col.proposals:
            p.field = col.field
            hit, scheme = confirmed.lookup(col.field, p.value) if confirmed else (False, None)
            if hit:
                choice: tuple[bool, str | None] = (True, scheme)
            elif p.sure or (p.proposed is not None and threshold is not None and p.confidence >= threshold):
                choice = (True, p.proposed)
            elif may_add and (p.proposed is None or threshold is not None):
                choice = (True, NEW)
            else:
                choice = (False, None)
            if choice[0]:
                applied[fold(p.value)] = choice[1]
                if choice[1] is NEW:
                    res.added.setdefault(col.field, []).append(p.value)
            elif p.method != "unknown":
                res.questions.append(p)
    return res


def check_mapping(
    mapping: ValueMapping,
    columns: Sequence[ColumnValues],
    source: str = "the values file",
    lines: Sequence[str] = (),
) -> None:
    """Refuse a mapping that names an answer the file does not have, or a scheme value that does not exist;
    with the file's ``lines`` the message names the line of the entry."""
    by_field = {c.field: c for c in columns}
    for f, choices in mapping.choices.items():
        col = by_field.get(f)
        if col is None:
            raise UserError(f"{source} maps values of {LABELS.get(f, f)}, but no column of the file is imported as it.")
        present = {fold(p.value) for p in col.proposals}
        for n, (answer, scheme) in enumerate(choices.items(), start=1):
            line = _line_of(lines, f, answer)
            where = f"{source}{f' line {line}' if line else ''}, {f} entry {n} ('{answer}')"
            if fold(answer) not in present:
                raise UserError(f"{where}: the column '{col.column}' has no such answer.")
            if scheme is NEW:
                if not col.allows_new:
                    raise UserError(
                        f"{where}: {col.label} cannot take a new value; choose one of: {', '.join(col.vocabulary)}."
                    )
                continue
            if f == "title":
                continue
            if f == "capacity":
                if not (scheme.isascii() and scheme.isdigit() and len(scheme) <= 3 and int(scheme) <= MAX_CAPACITY):
                    raise UserError(
                        f"{where}: a capacity must be a whole number from 0 to {MAX_CAPACITY}, not '{scheme}'."
                    )
                continue
            if scheme not in col.vocabulary:
                shown = ", ".join(col.vocabulary) if len(col.vocabulary) <= 12 else "the scheme's list"
                raise UserError(
                    f"{where}: '{scheme}' is not a {col.label.lower()} of the scheme ({shown}); "
                    "write one of them exactly, or null to add the answer as new."
                )


def _line_of(lines: Sequence[str], field_key: str, answer: str) -> int | None:
    """The line of a JSON file where ``answer`` appears after ``field_key``'s key, or None."""
    key, quoted = json.dumps(field_key), json.dumps(answer)
    start = next((i for i, line in enumerate(lines) if key in line), None)
    if start is None:
        return None
    return next((i + 1 for i in range(start, len(lines)) if quoted in lines[i]), None)
