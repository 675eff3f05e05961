"""The header rows that survey tools write above the answers, read as the applicant saw the questions.

Most forms write one header row. Two survey tools write more, and would otherwise
give a header of codes, or a row of labels read as an application:

* **Qualtrics** writes its codes (Q1, Q2 ...), then the questions, then a row of
  ``{"ImportId": ...}``. The questions are the header.
* **SurveyMonkey** writes the questions, then a row of what each column holds:
  "Response" or "Open-Ended Response" for a question of one column, the choice for
  each column of a tick-box question (a ticked box repeats its choice in the cell),
  the label of each box of a question with several boxes ("First name", "Email").
  A tick-box question becomes one column whose answer lists the ticked choices
  joined by "; " (with the text written under "Other (please specify)"), as other
  forms write them; each box of a several-box question keeps its own column, named
  "question - box".
* **Typeform** (and other tools with one header row) gives each choice of a
  tick-box question a column of its own, headed by the choice alone: a ticked box
  repeats its choice in the cell, and an "Other" column may follow with the
  applicant's own words. Such a run of columns becomes one column, named by
  where it is and its choices ("Tick boxes in columns L-Q: Teaching, ..."),
  whose answer lists the ticked choices as above.

:func:`survey_header` is given the rows read so far and the index of the row that
looks like a header; it returns the header, where the answers start, and how to
turn a row of the file into a row under that header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mentorapp.importing.fields import TICKED, score_header

Row = list[Any]
MARKERS = ("response", "open-ended response")  # what SurveyMonkey writes over a question's one column
SINGLE = (*MARKERS, "")
OTHER = ("other (please specify)", "other", "other (please specify):")
CHOICE_SEPARATOR = "; "
NAMED_CHOICES = 8  # the choices a run of tick-box columns is named by


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _filled(row: Sequence[Any]) -> bool:
    return any(_text(v) for v in row)


@dataclass(frozen=True)
class Column:
    """One column of the header: its name and the file's columns its answer is made of."""

    name: str
    sources: tuple[int, ...]

    def value(self, row: Sequence[Any]) -> Any:
        if len(self.sources) == 1:
            i = self.sources[0]
            return row[i] if i < len(row) else None
        # The ticked choices and the text under "Other"; a cell that only says "Other" adds nothing.
        answers = [_text(row[i]) for i in self.sources if i < len(row)]
        return CHOICE_SEPARATOR.join(a for a in answers if a and a.casefold() not in OTHER) or None


Reshape = Callable[[Row], Row]


def survey_header(buffered: Sequence[tuple[int, Row]], pick: int) -> tuple[int, int, Row, Reshape | None]:
    """(the header's index, the first answer row's index, the header, the reshaping of each row or None)."""
    filled = [i for i, (_n, row) in enumerate(buffered) if _filled(row)]
    after = [i for i in filled if i > pick]
    if len(after) >= 2 and _import_ids(buffered[after[1]][1]):
        return after[0], after[1] + 1, buffered[after[0]][1], None
    before = [i for i in filled if i < pick]
    # SurveyMonkey: the questions, then the labels (the labels row can look like the header when
    # tick boxes leave most question cells empty).
    for questions, labels in ((pick, after[0] if after else None), (before[-1] if before else None, pick)):
        if questions is None or labels is None:
            continue
        groups = _groups(buffered[questions][1], buffered[labels][1])
        if _labels_row(groups, buffered[labels][1]):
            answers = [buffered[i][1] for i in filled if i > labels]
            columns = _monkey_columns(groups, buffered[labels][1], answers)
            return questions, labels + 1, [c.name for c in columns], _reshape(columns)
    header = buffered[pick][1]
    columns = _choice_columns(header, [buffered[i][1] for i in after])
    if len(columns) < len(header):
        return pick, pick + 1, [c.name for c in columns], _reshape(columns)
    return pick, pick + 1, header, None


def _reshape(columns: list[Column]) -> Reshape:
    return lambda row: [c.value(row) for c in columns]


def _import_ids(row: Row) -> bool:
    marks = [v for v in row if _text(v)]
    return bool(marks) and all(isinstance(v, str) and v.lstrip().startswith('{"ImportId"') for v in marks)


def _groups(questions: Row, labels: Row) -> list[tuple[str, list[int]]]:
    """(question, its columns): a question spans the columns up to the next one."""
    groups: list[tuple[str, list[int]]] = []
    for i in range(max(len(questions), len(labels))):
        question = _text(questions[i]) if i < len(questions) else ""
        if question or not groups:
            groups.append((question, [i]))
        else:
            groups[-1][1].append(i)
    return groups


def _labels_row(groups: list[tuple[str, list[int]]], labels: Row) -> bool:
    """SurveyMonkey's second header row: its single columns say "Response" or "Open-Ended Response",
    the other labels are boxes of wider questions. A date question's single column names its box
    ("Date / Time"): allowed when the export starts as SurveyMonkey's do, with "Respondent ID".

    An application under an ordinary header has its answers under questions of one column each.
    """
    markers = lone = 0
    for _question, sources in groups:
        for i in sources:
            label = _text(labels[i]).casefold() if i < len(labels) else ""
            if label in MARKERS:
                markers += 1
            elif label and len(sources) == 1:
                if "@" in label or label.replace(".", "", 1).isdigit():
                    return False  # an email or a number is an answer, never a column's label
                lone += 1
    monkey = bool(groups) and groups[0][0].casefold() == "respondent id"
    return markers > 0 and (lone == 0 or (monkey and markers > lone))


def _monkey_columns(groups: list[tuple[str, list[int]]], labels: Row, answers: Sequence[Row]) -> list[Column]:
    """The columns under SurveyMonkey's two header rows, one per question (or per box of a several-box one)."""
    columns: list[Column] = []
    for question, sources in groups:
        subs = [_text(labels[i]) if i < len(labels) else "" for i in sources]
        if len(sources) == 1:
            columns.append(Column(question or subs[0], (sources[0],)))
        elif all(sub.casefold() in SINGLE + OTHER for sub in subs) or _ticked_choices(sources, subs, answers):
            columns.append(Column(question, tuple(sources)))  # one choice and "Other", or tick boxes
        else:  # a box for each part ("First name", "Email"): a column each, named by its box
            columns += [Column(_box_name(question, sub), (i,)) for i, sub in zip(sources, subs, strict=True)]
    return columns


def _box_name(question: str, box: str) -> str:
    """'Your goals - In the next 12 months': the question says what the box's label leaves out."""
    return f"{question} - {box}" if question and box else question or box


def _ticked_choices(sources: list[int], subs: list[str], answers: Sequence[Row]) -> bool:
    """Every filled cell of the group repeats its column's choice (the "Other" column aside)."""
    seen = False
    for row in answers:
        for i, sub in zip(sources, subs, strict=True):
            cell = _text(row[i]) if i < len(row) else ""
            if not cell or sub.casefold() in OTHER:
                continue
            seen = True
            if cell.casefold() != sub.casefold():
                return False
    return seen


def _choice_columns(header: Row, answers: Sequence[Row]) -> list[Column]:
    """The header's columns, each run of tick-box choice columns (and its "Other") made one.

    A choice column's filled cells all repeat its header; a column left empty in the
    first answers belongs to a run when its header is short, no question and no field's
    name (a choice nobody has ticked yet). A run needs two ticked choices.
    """
    names = [_text(h) for h in header]
    kinds = [_choice_kind(name, [row[i] if i < len(row) else None for row in answers]) for i, name in enumerate(names)]
    columns: list[Column] = []
    i = 0
    while i < len(names):
        j = i
        while j < len(names) and kinds[j]:
            j += 1
        run = list(range(i, j))
        if sum(1 for k in run if kinds[k] == "ticked") >= 2:
            if j < len(names) and names[j].casefold() in OTHER:
                run.append(j)
                j += 1
            where = f"{column_letter(run[0])}-{column_letter(run[-1])}"
            choices = [names[k][:60] for k in run]
            if len(choices) > NAMED_CHOICES:  # a name to read, not every choice of a long list
                choices = [*choices[:NAMED_CHOICES], f"{len(choices) - NAMED_CHOICES} more"]
            columns.append(Column(f"{TICKED}{where}: " + ", ".join(choices), tuple(run)))
        else:
            columns += [Column(names[k], (k,)) for k in range(i, max(j, i + 1))]
            j = max(j, i + 1)
        i = j
    return columns


def _choice_kind(name: str, cells: Sequence[Any]) -> str:
    """'ticked' (filled cells repeat the header), 'empty' (could be a choice not ticked yet) or ''."""
    filled = [_text(c) for c in cells if _text(c)]
    if not name or name.casefold() in OTHER:
        return ""
    if filled:
        return "ticked" if all(c.casefold() == name.casefold() for c in filled) else ""
    short = len(name.split()) <= 5 and not any(mark in name for mark in "?:")
    return "empty" if short and not score_header(name) else ""
