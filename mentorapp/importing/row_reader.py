"""Reading one row of the file into a planned row: each mapped cell read as a participant's
field, checked like the participant dialog checks it, problems pointed at the columns they came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mentorapp.importing import values as v
from mentorapp.importing.cells import FORMULA_PROBLEM, Cell, cell_text, is_blank
from mentorapp.importing.fields import IGNORE
from mentorapp.importing.limits import MAX_CELL_CHARS
from mentorapp.importing.plan_data import ImportPlan, PlannedRow, Problem
from mentorapp.importing.reconcile import NEW
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, validate_participant
from mentorapp.people.validation import MAX_CAPACITY, FieldError
from mentorapp.store.models import HORIZONS

TEXT_TARGETS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "membership_number",
    "notes",
    "availability",
    "experience",
)
GOAL_TARGETS = {"short": "goal_short", "medium": "goal_medium", "long": "goal_long"}
FOCUS_TARGETS = {"short": "focus_short", "medium": "focus_medium", "long": "focus_long"}
AREA_TARGETS = (*FOCUS_TARGETS.values(), "focus_areas", "expertise_areas")
# Which columns a validation message about a participant field points at.
ERROR_COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name", "full_name"),
    "last_name": ("last_name", "full_name"),
    "title": ("title", "full_name"),
    "goals": (*GOAL_TARGETS.values(), *FOCUS_TARGETS.values(), "focus_areas"),
    "focus_areas": AREA_TARGETS,
    "expertise": ("expertise_areas", "expertise_years", "focus_areas"),
    "career_stage": ("career_stage",),
}
VOCABULARY_NAMES = {
    "career_stage": "career stages",
    "region": "regions",
    "title": "titles",
    "meeting_preference": "meeting preferences",
    "role": "roles",
    "consent": "consent answers",
    "capacity": "capacities",
}


class RowReader:
    """Turns one row of cells into a planned row (create or error)."""

    def __init__(self, plan: ImportPlan, vocabulary: list[str]) -> None:
        self.plan = plan
        self.vocabulary = vocabulary
        self.columns = {f: i for i, f in enumerate(plan.fields) if f != IGNORE}
        self.unknown_spelling: dict[str, str] = {}
        self.known = {a.casefold(): a for a in vocabulary}
        self.resolution = plan.resolution
        self._row_problems: list[Problem] = []
        # Worked out once per distinct answer (a form's choice columns repeat a few answers in every row);
        # what a row adds to the plan (its problems, unknown areas) is still added row by row.
        self._mapped: dict[tuple[str, type, Cell], tuple[bool, str, str]] = {}
        self._split: dict[tuple[type, Cell], list[str]] = {}
        self._known_area: dict[tuple[str, str], str] = {}
        self._expertise_part: dict[str, tuple[str, int | None]] = {}
        # The text columns the file has (the title is read with the answers): (field, column, kept as written).
        self._texts = [
            (t, self.columns[t], t in ("notes", "experience"))
            for t in TEXT_TARGETS
            if t != "title" and t in self.columns
        ]

    def cell(self, cells: Sequence[Cell], target: str) -> Cell:
        i = self.columns.get(target)
        return cells[i] if i is not None and i < len(cells) else None

    def problem(self, number: int, target: str | None, cells: Sequence[Cell], message: str) -> Problem:
        i = self.columns.get(target) if target else None
        value = cell_text(cells[i]) if i is not None and i < len(cells) else ""
        header = self.plan.headers[i] if i is not None else ""
        return Problem(number, header, value[:200], message, i)

    def mapped(self, number: int, cells: Sequence[Cell], target: str) -> tuple[bool, str]:
        """(settled, value) for one answer: the scheme value it was mapped to, or the answer as written
        when it is added as new, or (False, answer) with a problem saying what the import asks."""
        cell = self.cell(cells, target)
        key = (target, type(cell), cell)
        known = self._mapped.get(key)
        if known is None:
            known = self._mapped[key] = self._map(target, cell)
        settled, value, question = known
        if question:
            self._row_problems.append(self.problem(number, target, cells, question))
        return settled, value

    def _map(self, target: str, cell: Cell) -> tuple[bool, str, str]:
        """(settled, value, the question to ask or "") for one distinct answer."""
        raw = " ".join(v.text(cell).split())
        if not raw:
            return True, "", ""
        found, scheme = self.resolution.lookup(target, raw)
        if found:
            return True, self.resolution.new_spelling(target, raw) if scheme is NEW else scheme, ""  # type: ignore[return-value]
        question = self.resolution.question(target, raw)
        if question is None:
            return False, raw, ""
        return True, raw, question_message(target, raw, question)

    def _split_areas(self, cell: Cell) -> list[str]:
        key = (type(cell), cell)
        parts = self._split.get(key)
        if parts is None:
            parts = self._split[key] = v.split_areas(cell, self.vocabulary)
        return parts

    def read(self, number: int, cells: Sequence[Cell]) -> PlannedRow:
        problems: list[Problem] = []
        self._row_problems = problems
        data = ParticipantData(first_name="", last_name="", email="")
        touched: set[str] = set()

        def interpret(target: str, fn: Callable[[], Any]) -> Any:
            try:
                return fn()
            except v.ValueProblemError as exc:
                problems.append(self.problem(number, target, cells, str(exc)))
                return None

        if "full_name" in self.columns:
            title, first, last = v.split_name(self.cell(cells, "full_name"))
            data.title, data.first_name, data.last_name = title, first, last
            touched |= {"title", "first_name", "last_name"}
        for target in ("region", "title"):
            if target in self.columns:
                settled, value = self.mapped(number, cells, target)
                if target == "title" and not value and "full_name" in self.columns:
                    continue
                setattr(data, target, value.rstrip(".") if target == "title" else value)
                touched.add(target)
        width = len(cells)
        for target, i, as_written in self._texts:
            cell = cells[i] if i < width else None
            value = cell_text(cell) if as_written else v.text(cell)
            if target == "last_name":
                value = v.surname(value)
            if target in ("first_name", "last_name") and not value and "full_name" in self.columns:
                continue
            setattr(data, target, value)
            touched.add(target)
        if "career_stage" in self.columns:
            data.career_stage = self.mapped(number, cells, "career_stage")[1]
            touched.add("career_stage")
        role_cell = self.cell(cells, "role")
        role = None
        settled_role = self.mapped(number, cells, "role") if "role" in self.columns else (False, "")
        if settled_role[0] and settled_role[1]:
            role = settled_role[1]
        elif "role" in self.columns and not is_blank(role_cell):
            role = interpret("role", lambda: v.role(role_cell))
        elif self.plan.options.default_role:
            role = self.plan.options.default_role
        else:
            problems.append(self.problem(number, "role", cells, "The role is missing; write Mentor, Mentee or Both."))
        # Without a role the goal and capacity rules do not apply; the role problem says enough.
        role_known = role is not None
        data.role = role or "mentee"
        touched.add("role")
        if "consent" in self.columns:
            settled, answer = self.mapped(number, cells, "consent")
            if settled:
                data.consent = answer == "yes"
            else:
                data.consent = bool(interpret("consent", lambda: v.yes_no(self.cell(cells, "consent"))))
            touched.add("consent")
        if "consent_date" in self.columns:
            data.consent_date = interpret(
                "consent_date", lambda: v.date(self.cell(cells, "consent_date"), day_first=self.plan.options.day_first)
            )
            touched.add("consent_date")
        if "meeting_preference" in self.columns:
            settled, answer = self.mapped(number, cells, "meeting_preference")
            if not settled:
                answer = interpret(
                    "meeting_preference", lambda: v.meeting_preference(self.cell(cells, "meeting_preference"))
                )
            data.meeting_preference = answer or "either"
            touched.add("meeting_preference")
        if data.is_mentor and "capacity" in self.columns:
            settled, answer = self.mapped(number, cells, "capacity")
            if settled and answer.isascii() and answer.isdigit() and answer[0] != "0" and int(answer) <= MAX_CAPACITY:
                capacity: int | None = int(answer)  # the usual answer, read without the parser (every row)
            elif settled and answer.isdigit():
                # A mapped answer is a number the coordinator chose; still within the limit.
                capacity = interpret("capacity", lambda: v.capacity(answer))
            else:
                capacity = interpret("capacity", lambda: v.capacity(self.cell(cells, "capacity")))
            data.capacity = 1 if capacity is None else capacity
            touched.add("capacity")
        self._goals_and_expertise(number, cells, data, touched, problems, interpret)
        for error in validate_participant(data, self._vocabulary()):
            if role_known or error.field not in ("goals", "capacity", "expertise"):
                problems.append(self._locate(number, cells, error))
        formulas = (
            [(t, i) for t, i in self.columns.items() if (number, i) in self.plan.formulas] if self.plan.formulas else []
        )  # a CSV has none: no walk through each row's columns
        if formulas:  # a formula's cell was read as blank: say why, not that the answer is missing
            problems = [p for p in problems if p.column_index not in {i for _t, i in formulas}]
            problems += [self.problem(number, t, cells, FORMULA_PROBLEM) for t, _i in formulas]
        return PlannedRow(
            number,
            "error" if problems else "create",
            data,
            problems=_unique(problems),
            touched=touched,
            cells=list(cells),
        )

    def _vocabulary(self) -> list[str]:
        # Areas still in question are reported by the row's value problems, not again by validation.
        return self.vocabulary + list(self.unknown_spelling.values())

    def _areas(self, number: int, target: str, cells: Sequence[Cell]) -> list[str]:
        result: list[str] = []
        for part in self._split_areas(self.cell(cells, target)):
            result.append(self._canonical(number, part, target, cells))
        return result

    def _canonical(self, number: int, area: str, target: str = "", cells: Sequence[Cell] = ()) -> str:
        known = self._known_area.get((target, area))
        if known is not None:
            return known
        answer = area
        found, scheme = self.resolution.lookup(target, area) if target else (False, None)
        if found:
            area = self.resolution.new_spelling(target, area) if scheme is NEW else scheme
        known = self.known.get(" ".join(area.split()).casefold())
        if known:
            self._known_area[(target, answer)] = known  # no question and nothing to note: the same every time
            return known
        question = self.resolution.question(target, area) if target and not found else None
        if question is not None:
            self._row_problems.append(self.problem(number, target, cells, question_message(target, area, question)))
        key = " ".join(area.split()).casefold()
        spelling = self.unknown_spelling.setdefault(key, " ".join(area.split()))
        rows = self.plan.unknown_areas.setdefault(spelling, [])
        if not rows or rows[-1] != number:
            rows.append(number)
        return spelling

    def _goals_and_expertise(self, number, cells, data, touched, problems, interpret) -> None:
        goals: dict[str, GoalData] = {}
        for horizon in HORIZONS:
            text_target, focus_target = GOAL_TARGETS[horizon], FOCUS_TARGETS[horizon]
            if not data.is_mentee:
                continue
            text = cell_text(self.cell(cells, text_target)).strip() if text_target in self.columns else ""
            areas = self._areas(number, focus_target, cells) if focus_target in self.columns else []
            if text_target in self.columns or focus_target in self.columns:
                touched.add(f"goal:{horizon}")
            if text or areas:
                goals[horizon] = GoalData(horizon, text, areas)
        shared_wanted = data.is_mentee or ("expertise_areas" not in self.columns and data.role == "mentor")
        shared = self._areas(number, "focus_areas", cells) if "focus_areas" in self.columns and shared_wanted else []
        years_default = 0
        if "expertise_years" in self.columns and data.is_mentor:
            years_default = (
                interpret(
                    "expertise_years",
                    lambda: v.whole_number(self.cell(cells, "expertise_years"), "Years of experience"),
                )
                or 0
            )
        expertise_parts: list[str] = []
        if "expertise_areas" in self.columns:
            expertise_parts = self._split_areas(self.cell(cells, "expertise_areas"))
            touched.add("expertise")
        elif shared and data.role == "mentor":
            expertise_parts = shared
            touched.add("expertise")
        if shared and data.is_mentee:
            # Areas "for all goals" belong to each goal the mentee wrote, or to all three horizons.
            for horizon in [h for h in HORIZONS if h in goals] or list(HORIZONS):
                goal = goals.setdefault(horizon, GoalData(horizon, "", []))
                touched.add(f"goal:{horizon}")
                for area in shared:
                    if area not in goal.focus_areas:
                        goal.focus_areas.append(area)
        data.goals = [goals[h] for h in HORIZONS if h in goals] if data.is_mentee else []
        if data.is_mentor:
            for part in expertise_parts:
                name, years = self._area_with_years(part)
                name = self._canonical(number, name, "expertise_areas", cells)
                if all(e.focus_area.casefold() != name.casefold() for e in data.expertise):
                    data.expertise.append(ExpertiseData(name, years_default if years is None else years))

    def _area_with_years(self, part: str) -> tuple[str, int | None]:
        """'Leadership (10 years)' -> ('Leadership', 10), unless the whole part is one of the focus areas."""
        found = self._expertise_part.get(part)
        if found is None:
            name, years = v.area_with_years(part)
            if v.canonical_focus_area(part, self.vocabulary):
                name, years = part, None
            found = self._expertise_part[part] = (name, years)
        return found

    def _locate(self, number: int, cells: Sequence[Cell], error: FieldError) -> Problem:
        candidates = ERROR_COLUMNS.get(error.field, (error.field,))
        mapped = [c for c in candidates if c in self.columns]
        target = mapped[0] if mapped else None
        if error.field == "focus_areas" and "'" in error.message:
            area = error.message.split("'")[1].casefold()
            target = next((c for c in mapped if area in cell_text(self.cell(cells, c)).casefold()), target)
        elif error.field == "expertise" and error.message.startswith("Years in") and "expertise_years" in mapped:
            if not is_blank(self.cell(cells, "expertise_years")):  # the years came from their own column
                target = "expertise_years"
        elif error.field == "goals" and "characters" in error.message and mapped:
            target = max(mapped, key=lambda c: len(cell_text(self.cell(cells, c))))
        message = error.message
        full = f"is {MAX_CELL_CHARS:,} characters long"
        if full in message and len(cell_text(self.cell(cells, target))) == MAX_CELL_CHARS:
            # As many characters as a spreadsheet cell holds: the text was most likely cut to fit the cell.
            message = message.replace(
                full, f"fills its whole cell ({MAX_CELL_CHARS:,} characters, Excel's most, so it may have been cut)"
            )
        return self.problem(number, target, cells, message)


def question_message(target: str, answer: str, question) -> str:
    """What the import asks about one answer, in words that fit the window and the command line."""
    what = VOCABULARY_NAMES.get(target, "focus areas")
    answer = question.value
    if question.proposed is None:
        return f"'{answer}' matches none of the cohort's {what}; it can be added as a new one."
    sure = round(question.confidence * 100)
    return f"'{answer}' is not one of the cohort's {what}; it may mean '{question.proposed}' ({sure}% sure)."


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    result = []
    for p in problems:
        if (p.column, p.message) not in seen:
            seen.add((p.column, p.message))
            result.append(p)
    return result
