"""An empty cohort adopting the file's answers as its vocabulary (``import --adopt-vocabulary``).

The file's career stages become the cohort's ladder, most junior first: in the
order given (``--stage-order``, or the order of the values file's career-stage
entries), otherwise in a proposed order read from seniority words::

    student < foundation/FY < trainee/registrar/resident < early/junior/newly
    < mid/established/specialist/GP/staff grade/associate < senior/consultant/special (interest)
    < lead/director/head/chief/professor

A stage's rank is the average of the ranks of the words it contains ('Senior
leader' sits above 'Senior', 'Early career specialist' between 'Early career' and
'Mid career', 'GP with special interest' between 'Mid career' and 'Consultant');
stages with none of these words come last, in the file's order.
Regions and focus areas are taken in alphabetical order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.importing.cells import Cell
from mentorapp.importing.reconcile import AREA_FIELDS, AnswerCache, fold, usual_spelling
from mentorapp.store.models import Participant

SENIORITY: tuple[tuple[str, ...], ...] = (
    ("student", "students", "undergraduate", "medical student"),
    ("foundation", "fy", "fy1", "fy2", "f1", "f2"),
    ("core", "ct1", "ct2", "ct3"),  # core training comes before specialty training (a registrar)
    ("trainee", "trainees", "training", "registrar", "resident", "st1", "st2", "st3", "st4", "st5"),
    ("early", "junior", "newly", "new"),
    ("mid", "middle", "established", "experienced", "specialist", "gp", "staff", "associate", "salaried"),
    ("senior", "consultant", "consultants", "principal", "special"),
    ("lead", "leader", "leaders", "director", "head", "chief", "professor", "executive"),
)


def seniority(stage: str) -> float | None:
    """The proposed rank of a career stage from its words (0 = most junior), None when no word is known."""
    words = re.sub(r"[^\w]+", " ", stage.casefold()).split()
    ranks = [rank for rank, known in enumerate(SENIORITY) for w in words if w in known]
    return sum(ranks) / len(ranks) if ranks else None


def order_stages(stages: Sequence[str], order: Sequence[str] = (), *, strict: bool = True) -> list[str]:
    """The file's stages most junior first: in ``order`` when given (``strict``: it must name each stage),
    else by seniority; without ``strict`` the stages ``order`` leaves out follow by seniority."""
    if order and not strict:
        given = {fold(s): s for s in stages}
        first = [given[key] for key in dict.fromkeys(fold(s) for s in order) if key in given]
        return first + order_stages([s for s in stages if s not in first])
    if order:
        given = {fold(s): s for s in stages}
        named = [fold(s) for s in order]
        missing = [s for key, s in given.items() if key not in named]
        if missing:
            raise UserError(
                f"--stage-order does not place {', '.join(repr(s) for s in missing)}; "
                f"list every career stage of the file, most junior first."
            )
        extra = [s for s in order if fold(s) not in given]
        if extra:
            raise UserError(f"--stage-order names {', '.join(repr(s) for s in extra)}, which the file does not have.")
        return [given[key] for key in dict.fromkeys(named)]
    known = [(seniority(s), i, s) for i, s in enumerate(stages)]
    ranked = sorted((r, i, s) for r, i, s in known if r is not None)
    return [s for _, _, s in ranked] + [s for r, _, s in known if r is None]


def insert_by_seniority(ladder: Sequence[str], new: Sequence[str]) -> list[str]:
    """``ladder`` with each ``new`` stage placed before the first stage its words say is more senior
    (at the end when its words say nothing); the coordinator can reorder afterwards."""
    result = list(ladder)
    for stage in new:
        rank = seniority(stage)
        at = len(result)
        if rank is not None:
            at = next((i for i, s in enumerate(result) if (seniority(s) or -1) > rank), len(result))
        result.insert(at, stage)
    return result


def adopted_cohort(
    session: Session, cohort: Any, plan: Any, rows: Sequence[tuple[int, Sequence[Cell]]]
) -> tuple[SimpleNamespace, dict[str, list[str]]]:
    """The cohort as it will be once it takes the file's answers as its vocabulary, and those lists."""
    people = session.scalar(select(func.count()).select_from(Participant).where(Participant.cohort_id == cohort.id))
    if people:
        raise UserError(
            f"--adopt-vocabulary is only for a cohort with no participants; {cohort.name} has {people}. "
            "Map the answers instead (--accept-suggested-values, --values FILE.json or --add-new-values)."
        )
    # Each list's answers, each in the spelling most rows write it: {list: {answer key: {spelling: rows}}}.
    tallies: dict[str, dict[str, dict[str, int]]] = {"focus_areas": {}, "career_stages": {}, "regions": {}}
    group = {f: "focus_areas" for f in AREA_FIELDS} | {"career_stage": "career_stages", "region": "regions"}
    read = AnswerCache({})
    for i, f in enumerate(plan.fields):
        if f not in group:
            continue
        found = tallies[group[f]]
        # Each distinct cell read once, with the number of rows that give it (in the order cells first appear).
        cells_in_column = Counter((type(cells[i]), cells[i]) for _n, cells in rows if i < len(cells))
        for (_kind, cell), count in cells_in_column.items():
            for key, answer in read(f, cell):
                tally = found.setdefault(key, {})
                tally[answer] = tally.get(answer, 0) + count
    seen = {name: {key: usual_spelling(tally) for key, tally in found.items()} for name, found in tallies.items()}
    stages = list(seen["career_stages"].values())
    if plan.options.stage_order:
        ladder = order_stages(stages, plan.options.stage_order)
    else:
        ladder = order_stages(stages, list(plan.options.values.choices.get("career_stage", {})), strict=False)
    adopted = {
        "focus_areas": sorted(seen["focus_areas"].values(), key=str.casefold),
        "career_stages": ladder,
        "regions": sorted(seen["regions"].values(), key=str.casefold),
    }
    adopted = {k: v for k, v in adopted.items() if v}
    view = SimpleNamespace(
        id=cohort.id,
        name=cohort.name,
        focus_areas=adopted.get("focus_areas", list(cohort.focus_areas or [])),
        career_stages=adopted.get("career_stages", list(getattr(cohort, "career_stages", None) or [])),
        regions=adopted.get("regions", list(getattr(cohort, "regions", None) or [])),
        settings=cohort.settings,
    )
    return view, adopted
