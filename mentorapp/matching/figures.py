"""How well the suggested pairs of a cohort are explained: the figures a coordinator (and the benchmark) reads.

Over the pairs :func:`mentorapp.matching.solver.suggest` proposes for the
cohort's open mentees (nothing is written):

* ``career_stage``: the share of pairs whose mentor is senior to the mentee
  (a career-stage reason that adds to the score);
* ``shared_focus_area``: the share of pairs in which the mentor has expertise in
  a focus area of one of the mentee's goals;
* ``meaning``: the share of pairs with a reason of meaning (goal close to experience);
* ``mean_score``: the mean score of the pairs; ``pairs``: how many there are.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.matching.solver import Suggestions, suggest


def figures_of(suggestions: Suggestions) -> dict[str, Any]:
    """The figures of already computed suggestions (0 shares and score when there are no pairs)."""
    pairs = suggestions.matches
    n = len(pairs)

    def share(test) -> float:
        return sum(1 for s in pairs if any(test(r) for r in s.score.reasons)) / n if n else 0.0

    return {
        "pairs": n,
        "career_stage": share(lambda r: r.kind == "stage" and r.contribution > 0),
        "shared_focus_area": share(lambda r: r.kind.startswith("focus_")),
        "meaning": share(lambda r: r.kind == "meaning"),
        "mean_score": math.fsum(s.score.total for s in pairs) / n if n else 0.0,
    }


def explanation_figures(session: Session, cohort_id: int) -> dict[str, Any]:
    """The figures over the pairs the matcher would suggest for the cohort now."""
    return figures_of(suggest(session, cohort_id))
