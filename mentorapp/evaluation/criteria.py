"""Success criteria: the scheme's own, per cohort, and judged honestly.

A criterion names a measure (``kind``), the question it reads (``item``), whose
answers (``role``), a ``threshold`` and a minimum number of answers (``min_n``,
default :data:`DEFAULT_MIN_N`). With fewer answers than that it is "too few
responses", never met. Every verdict carries its figure and a 95% interval
(Wilson's for a share, Student's t for a mean or a mean change), so a board sees
how sure the figure is.

They live in ``Cohort.settings["success_criteria"]``. A cohort that has set
none is judged against :data:`DEFAULT_CRITERIA`, which the report labels as
defaults until the coordinator changes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation.instrument import BENEFITS, ITEMS_BY_KEY
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import Cohort

DEFAULT_MIN_N = 10
SETTINGS_KEY = "success_criteria"
ROLE_PLURAL = {"mentee": "mentees", "mentor": "mentors", "all": "participants"}
CRITERION_KINDS = {
    "improved_share": "share of people who rated a benefit higher at six months than at the start",
    "mean_change": "mean change in a benefit's rating (people who answered both times)",
    "mean": "mean rating at six months (satisfaction, mentors' learning or a benefit)",
    "yes_share": "share answering yes (would recommend)",
    "response_rate": "share of the people asked who answered a stage",
}
SHARE_KINDS = ("improved_share", "yes_share", "response_rate")

DEFAULT_CRITERIA: tuple[dict[str, Any], ...] = (
    {"kind": "improved_share", "item": "benefit_confidence", "role": "mentee", "threshold": 0.7},
    {"kind": "mean", "item": "satisfaction", "role": "all", "threshold": 4.0},
    {"kind": "yes_share", "item": "would_recommend", "role": "all", "threshold": 0.8},
    {"kind": "response_rate", "stage": "six_month", "role": "all", "threshold": 0.6},
)

MET, NOT_MET, TOO_FEW, NO_DATA = "met", "not met", "too few responses", "no data"
STATUS_LABELS = {MET: "Met", NOT_MET: "Not met", TOO_FEW: "Too few responses", NO_DATA: "No data"}


class Figures(Protocol):
    """What a criterion reads from the evaluation figures (``stats.EvaluationStats``)."""

    satisfaction: dict[str, Any]
    mentor_learning: Any
    recommend_yes: int
    recommend_n: int

    def benefit(self, key: str, role: str = "mentee") -> Any: ...

    def rate(self, stage: str, role: str = "all") -> Any: ...


@dataclass
class CriterionResult:
    description: str
    met: bool | None  # None: too few answers or none, so no verdict
    value: float | None
    figure: str  # "74% of 19 mentees (14); 95% interval 51% to 88%"
    status: str = NO_DATA
    n: int = 0
    min_n: int = DEFAULT_MIN_N
    low: float | None = None
    high: float | None = None
    default: bool = False

    @property
    def verdict(self) -> str:
        return STATUS_LABELS[self.status]


def is_default(settings: dict[str, Any] | None) -> bool:
    """True while the cohort has not set criteria of its own."""
    return not isinstance((settings or {}).get(SETTINGS_KEY), list)


def criteria_for(settings: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The cohort's success criteria, or the defaults when it has set none (an empty list is a choice)."""
    stored = (settings or {}).get(SETTINGS_KEY)
    if isinstance(stored, list):
        return [dict(c) for c in stored if isinstance(c, dict)]
    return [dict(c) for c in DEFAULT_CRITERIA]


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def describe_criterion(c: dict[str, Any]) -> str:
    """A criterion as a sentence a board member reads: 'At least 70% of mentees improve in confidence'."""
    if c.get("label"):
        return str(c["label"])
    kind, role = c.get("kind"), ROLE_PLURAL.get(str(c.get("role", "all")), "participants")
    item = ITEMS_BY_KEY.get(str(c.get("item", "")))
    name = item.label.lower() if item else str(c.get("item", ""))
    try:
        t = float(c.get("threshold", 0))
    except (TypeError, ValueError):
        return f"Unreadable criterion: {c!r}"
    if kind == "improved_share":
        return f"At least {_pct(t)} of {role} improve in {name}"
    if kind == "mean_change":
        return f"{role.capitalize()} improve in {name} by at least {t:g} points on average"
    if kind == "mean":
        return f"Mean {name} of {role} at least {t:g}"
    if kind == "yes_share":
        return f"At least {_pct(t)} of {role} answer yes: {name}"
    if kind == "response_rate":
        stage = {"baseline": "Baseline", "six_month": "Six-month"}.get(str(c.get("stage", "six_month")), "?")
        return f"{stage} response rate of {role} at least {_pct(t)}"
    return f"Unknown criterion kind '{kind}'"


def min_n_of(c: dict[str, Any]) -> int:
    try:
        return max(1, int(c.get("min_n", DEFAULT_MIN_N)))
    except (TypeError, ValueError):
        return DEFAULT_MIN_N


# --- intervals ---------------------------------------------------------------------------------


def wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson's 95% score interval for a share: sensible at 0%, 100% and small n."""
    from scipy import stats as sps  # scipy loads only when a figure is computed

    z = float(sps.norm.ppf(0.975))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def t_interval(mean: float, sd: float, n: int) -> tuple[float | None, float | None]:
    """Student's t 95% interval of a mean (None below two answers)."""
    if n < 2:
        return None, None
    from scipy import stats as sps

    half = float(sps.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean - half, mean + half


def scale_sd(counts: dict[int, int]) -> float:
    """Sample standard deviation of 1-5 answers given as counts."""
    n = sum(counts.values())
    if n < 2:
        return 0.0
    mean = sum(k * v for k, v in counts.items()) / n
    return math.sqrt(sum(v * (k - mean) ** 2 for k, v in counts.items()) / (n - 1))


# --- judging -----------------------------------------------------------------------------------


def evaluate_criterion(c: dict[str, Any], s: Figures, *, default: bool = False) -> CriterionResult:
    """Met, not met or too few responses, with the figure and its 95% interval."""
    description = describe_criterion(c)
    min_n = min_n_of(c)
    result = CriterionResult(description, None, None, "no answers yet", min_n=min_n, default=default)
    try:
        threshold = float(c.get("threshold", 0))
    except (TypeError, ValueError):
        result.figure = "the threshold is not a number"
        return result
    kind, role, key = c.get("kind"), str(c.get("role", "all")), str(c.get("item", ""))
    plural = ROLE_PLURAL.get(role, "participants")
    group = role if role in ("mentee", "mentor") else "all"
    n, value, low, high, shown = 0, None, None, None, ""
    if kind in ("improved_share", "mean_change"):
        b = s.benefit(key, group)
        test = _test_of(s, key, group)
        if b is not None and b.paired_n:
            n = b.paired_n
            if kind == "improved_share":
                value = b.improved / n
                low, high = wilson(b.improved, n)
                shown = f"{_pct(value)} of {n} {plural} answering both times ({b.improved})"
            else:
                value = b.mean_change
                if test is not None and test.ci_low is not None:
                    low, high = test.ci_low, test.ci_high
                shown = f"mean change {value:+.2f} over {n} {plural} answering both times"
    elif kind == "mean":
        summary = s.satisfaction.get(group) if key == "satisfaction" else None
        if key == "mentor_learning_rating":
            summary = s.mentor_learning
        if summary is not None and summary.n:
            n, value = summary.n, summary.mean
            low, high = t_interval(value, scale_sd(summary.counts), n)
            shown = f"mean {value:.2f} from {n} {plural}"
        elif key in ITEMS_BY_KEY and ITEMS_BY_KEY[key].benefit:
            b = s.benefit(key, group)
            if b is not None and b.six_month_n:
                n, value = b.six_month_n, b.six_month_mean
                shown = f"mean {value:.2f} from {n} {plural}"
    elif kind == "yes_share":
        if s.recommend_n:
            n, value = s.recommend_n, s.recommend_yes / s.recommend_n
            low, high = wilson(s.recommend_yes, n)
            shown = f"{_pct(value)} of {n} {plural} ({s.recommend_yes})"
    elif kind == "response_rate":
        r = s.rate(str(c.get("stage", "six_month")), role)
        if r.asked:
            # Everyone asked is counted, so there is no sampling interval to give.
            n, value = r.asked, r.responded / r.asked
            shown = f"{_pct(value)} ({r.responded} of {r.asked} {plural} asked)"
    else:
        result.figure = f"unknown kind '{kind}'"
        return result
    result.n, result.value, result.low, result.high = n, value, low, high
    if value is None:
        return result
    interval = ""
    if low is not None and high is not None:
        fmt = _pct if kind in SHARE_KINDS else (lambda x: f"{x:+.2f}") if kind == "mean_change" else "{:.2f}".format
        interval = f"; 95% interval {fmt(low)} to {fmt(high)}"
    result.figure = shown + interval
    if n < min_n:
        result.status = TOO_FEW
        result.figure += f"; fewer than the {min_n} answers needed to judge"
        return result
    # A tiny epsilon so that exactly 70% meets "at least 70%" despite float division.
    result.met = value >= threshold - 1e-9
    result.status = MET if result.met else NOT_MET
    return result


def _test_of(s: Figures, key: str, role: str) -> Any:
    for test in getattr(s, "tests", []):
        if test.benefit == key and test.role == role:
            return test
    return None


def judge_all(settings: dict[str, Any] | None, figures: Figures) -> list[CriterionResult]:
    default = is_default(settings)
    return [evaluate_criterion(c, figures, default=default) for c in criteria_for(settings)]


# --- changing them -----------------------------------------------------------------------------


def check_criterion(c: dict[str, Any]) -> dict[str, Any]:
    """A clean criterion, or UserError with one sentence naming the field."""
    kind = str(c.get("kind") or "")
    if kind not in CRITERION_KINDS:
        raise UserError(f"'{kind}' is not a kind of criterion; choose one of {', '.join(CRITERION_KINDS)}.")
    role = str(c.get("role") or "all")
    if role not in ROLE_PLURAL:
        raise UserError(f"'{role}' is not a role for a criterion (mentee, mentor or all).")
    if kind in ("improved_share", "mean_change") and role == "all":
        raise UserError("A change criterion is judged for mentees or for mentors; choose one role.")
    out: dict[str, Any] = {"kind": kind, "role": role}
    item = str(c.get("item") or "")
    benefits = {b.key for b in BENEFITS}
    if kind in ("improved_share", "mean_change") and item not in benefits:
        raise UserError(f"'{item}' is not a benefit; choose one of {', '.join(sorted(benefits))}.")
    if kind == "mean" and item not in benefits | {"satisfaction", "mentor_learning_rating"}:
        raise UserError(f"'{item}' has no mean to judge; choose satisfaction, mentor_learning_rating or a benefit.")
    if kind == "yes_share":
        item = "would_recommend"
    if kind == "response_rate":
        stage = str(c.get("stage") or "six_month")
        if stage not in ("baseline", "six_month"):
            raise UserError(f"'{stage}' is not a stage (baseline or six_month).")
        out["stage"] = stage
    else:
        out["item"] = item
    try:
        threshold = float(c.get("threshold"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserError(f"The threshold '{c.get('threshold')}' is not a number.") from None
    if not math.isfinite(threshold):
        raise UserError("The threshold is not a finite number.")
    if kind in SHARE_KINDS:
        if threshold > 1:  # typed as a percentage
            threshold /= 100
        if not 0 <= threshold <= 1:
            raise UserError("A share threshold goes from 0% to 100%.")
    elif kind == "mean" and not 1 <= threshold <= 5:
        raise UserError("A mean threshold goes from 1 to 5.")
    elif kind == "mean_change" and not -4 <= threshold <= 4:
        raise UserError("A mean change threshold goes from -4 to 4 points.")
    out["threshold"] = threshold
    try:
        min_n = int(c.get("min_n", DEFAULT_MIN_N))
    except (TypeError, ValueError):
        raise UserError(f"The minimum number of answers '{c.get('min_n')}' is not a whole number.") from None
    if not 1 <= min_n <= 100000:
        raise UserError("The minimum number of answers goes from 1 to 100,000.")
    out["min_n"] = min_n
    if c.get("label"):
        out["label"] = " ".join(str(c["label"]).split())[:200]
    return out


def set_criteria(session: Session, cohort_id: int, criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace a cohort's criteria (each checked first: one bad one changes nothing); logged."""
    clean = [check_criterion(c) for c in criteria]
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    update_settings(session, cohort_id, **{SETTINGS_KEY: clean})
    audit.record(
        session,
        "criteria changed",
        f"Success criteria of '{cohort.name}' set ({len(clean)})",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return clean


def current_criteria(session: Session, cohort_id: int) -> tuple[list[dict[str, Any]], bool]:
    """(criteria, whether they are the defaults) of a cohort."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return criteria_for(cohort.settings), is_default(cohort.settings)


def put_criterion(session: Session, cohort_id: int, criterion: dict[str, Any], number: int | None) -> int:
    """Add a criterion (``number`` None) or replace criterion ``number`` (1-based); returns its number."""
    criteria, _default = current_criteria(session, cohort_id)
    if number is None:
        criteria.append(criterion)
        number = len(criteria)
    elif 1 <= number <= len(criteria):
        criteria[number - 1] = criterion
    else:
        raise UserError(f"There is no criterion {number}; the cohort has {len(criteria)}.")
    set_criteria(session, cohort_id, criteria)
    return number


def remove_criterion(session: Session, cohort_id: int, number: int) -> dict[str, Any]:
    criteria, _default = current_criteria(session, cohort_id)
    if not 1 <= number <= len(criteria):
        raise UserError(f"There is no criterion {number}; the cohort has {len(criteria)}.")
    removed = criteria.pop(number - 1)
    set_criteria(session, cohort_id, criteria)
    return removed


def reset_criteria(session: Session, cohort_id: int) -> None:
    """Back to the defaults (the report labels them as defaults again); logged."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    settings = dict(cohort.settings or {})
    settings.pop(SETTINGS_KEY, None)
    cohort.settings = settings
    session.flush()
    audit.record(
        session,
        "criteria changed",
        f"Success criteria of '{cohort.name}' back to the defaults",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
