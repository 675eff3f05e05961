"""Reading one row of the file into a planned row: each mapped cell read as a participant's
field, checked like the participant dialog checks it, problems pointed at the columns they came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mentorapp.importing import values as v
from mentorapp.importing.fields import IGNORE
from mentorapp.importing.plan_data import ImportPlan, PlannedRow, Problem
from mentorapp.importing.readers import Cell, cell_text, is_blank
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, validate_participant
from mentorapp.people.validation import FieldError
from mentorapp.store.models import HORIZONS

TEXT_TARGETS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "region",
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


class RowReader:
    """Turns one row of cells into a planned row (create or error)."""

    def __init__(self, plan: ImportPlan, vocabulary: list[str]) -> None:
        self.plan = plan
        self.vocabulary = vocabulary
        self.columns = {f: i for i, f in enumerate(plan.fields) if f != IGNORE}
        self.unknown_spelling: dict[str, str] = {}
        self.known = {a.casefold(): a for a in vocabulary}

    def cell(self, cells: Sequence[Cell], target: str) -> Cell:
        i = self.columns.get(target)
        return cells[i] if i is not None and i < len(cells) else None

    def problem(self, number: int, target: str | None, cells: Sequence[Cell], message: str) -> Problem:
        i = self.columns.get(target) if target else None
        value = cell_text(cells[i]) if i is not None and i < len(cells) else ""
        header = self.plan.headers[i] if i is not None else ""
        return Problem(number, header, value[:200], message, i)

    def read(self, number: int, cells: Sequence[Cell]) -> PlannedRow:
        problems: list[Problem] = []
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
        for target in TEXT_TARGETS:
            if target in self.columns:
                value = (
                    v.text(self.cell(cells, target))
                    if target not in ("notes", "experience")
                    else cell_text(self.cell(cells, target))
                )
                if target in ("title", "first_name", "last_name") and not value and "full_name" in self.columns:
                    continue
                setattr(data, target, value.rstrip(".") if target == "title" else value)
                touched.add(target)
        if "career_stage" in self.columns:
            data.career_stage = v.career_stage(self.cell(cells, "career_stage"))
            touched.add("career_stage")
        role_cell = self.cell(cells, "role")
        role = None
        if "role" in self.columns and not is_blank(role_cell):
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
            data.consent = bool(interpret("consent", lambda: v.yes_no(self.cell(cells, "consent"))))
            touched.add("consent")
        if "consent_date" in self.columns:
            data.consent_date = interpret(
                "consent_date", lambda: v.date(self.cell(cells, "consent_date"), day_first=self.plan.options.day_first)
            )
            touched.add("consent_date")
        if "meeting_preference" in self.columns:
            data.meeting_preference = (
                interpret("meeting_preference", lambda: v.meeting_preference(self.cell(cells, "meeting_preference")))
                or "either"
            )
            touched.add("meeting_preference")
        if data.is_mentor and "capacity" in self.columns:
            capacity = interpret("capacity", lambda: v.whole_number(self.cell(cells, "capacity"), "Capacity"))
            data.capacity = 1 if capacity is None else capacity
            touched.add("capacity")
        self._goals_and_expertise(number, cells, data, touched, problems, interpret)
        for error in validate_participant(data, self._vocabulary()):
            if role_known or error.field not in ("goals", "capacity", "expertise"):
                problems.append(self._locate(number, cells, error))
        return PlannedRow(
            number,
            "error" if problems else "create",
            data,
            problems=_unique(problems),
            touched=touched,
            cells=list(cells),
        )

    def _vocabulary(self) -> list[str]:
        if self.plan.options.add_focus_areas:
            return self.vocabulary + list(self.unknown_spelling.values())
        return self.vocabulary

    def _areas(self, number: int, target: str, cells: Sequence[Cell]) -> list[str]:
        result: list[str] = []
        for part in v.split_areas(self.cell(cells, target), self.vocabulary):
            result.append(self._canonical(number, part))
        return result

    def _canonical(self, number: int, area: str) -> str:
        known = self.known.get(" ".join(area.split()).casefold())
        if known:
            return known
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
            expertise_parts = v.split_areas(self.cell(cells, "expertise_areas"), self.vocabulary)
            touched.add("expertise")
        elif shared and data.role == "mentor":
            expertise_parts = shared
            touched.add("expertise")
        if shared and data.is_mentee:
            first = next((goals[h] for h in HORIZONS if h in goals and goals[h].text), None)
            if first is None:
                first = goals.setdefault("short", GoalData("short", "", []))
                touched.add("goal:short")
            for area in shared:
                if area not in first.focus_areas:
                    first.focus_areas.append(area)
        data.goals = [goals[h] for h in HORIZONS if h in goals] if data.is_mentee else []
        if data.is_mentor:
            for part in expertise_parts:
                name, years = v.area_with_years(part)
                if v.canonical_focus_area(part, self.vocabulary):
                    name, years = part, None
                name = self._canonical(number, name)
                if all(e.focus_area.casefold() != name.casefold() for e in data.expertise):
                    data.expertise.append(ExpertiseData(name, years_default if years is None else years))

    def _locate(self, number: int, cells: Sequence[Cell], error: FieldError) -> Problem:
        candidates = ERROR_COLUMNS.get(error.field, (error.field,))
        mapped = [c for c in candidates if c in self.columns]
        target = mapped[0] if mapped else None
        if error.field == "focus_areas" and "'" in error.message:
            area = error.message.split("'")[1].casefold()
            target = next((c for c in mapped if area in cell_text(self.cell(cells, c)).casefold()), target)
        elif error.field == "goals" and "characters" in error.message and mapped:
            target = max(mapped, key=lambda c: len(cell_text(self.cell(cells, c))))
        return self.problem(number, target, cells, error.message)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    result = []
    for p in problems:
        if (p.column, p.message) not in seen:
            seen.add((p.column, p.message))
            result.append(p)
    return result
