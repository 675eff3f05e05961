"""Evaluation statistics and success criteria: the figures behind the report.

Plain Python over a handful of queries (no Qt), so the Report page, the PDF
and the command line show the same numbers. Change per benefit is *paired*:
only people who rated a benefit at both stages count towards the change and
the share who improved; the stage means use everyone who answered.
"""

from __future__ import annotations

import datetime as dt
import statistics as st
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.evaluation.anonymise_quotes import Anonymiser, anonymise, make_anonymiser
from mentorapp.evaluation.attrition import Attrition, compute_attrition
from mentorapp.evaluation.criteria import CriterionResult, is_default, judge_all
from mentorapp.evaluation.inference import PairedTest, tests_for
from mentorapp.evaluation.instrument import BENEFITS, RETRO_PREFIX, RETROSPECTIVE, cohort_options
from mentorapp.evaluation.themes import QuestionThemes, count_themes, themes_for
from mentorapp.store.models import Cohort, EvaluationAnswer, EvaluationResponse, Match, Participant

# Matches that were really running: their people were asked to evaluate.
TAKEN_UP = ("confirmed", "active", "completed", "ended_early")
ROLE_GROUPS = ("mentee", "mentor")
ROLE_PLURAL = {"mentee": "mentees", "mentor": "mentors", "all": "participants"}
TEXT_KEYS = ("went_well", "could_be_better", "mentor_learning")


@dataclass
class ResponseRate:
    stage: str
    role: str  # mentee, mentor or all
    asked: int
    responded: int

    @property
    def rate(self) -> float | None:
        return self.responded / self.asked if self.asked else None


@dataclass
class BenefitStat:
    """One benefit for one role group: stage means and the paired change."""

    key: str
    label: str
    role: str
    baseline_n: int = 0
    baseline_mean: float | None = None
    six_month_n: int = 0
    six_month_mean: float | None = None
    paired_n: int = 0
    mean_change: float | None = None
    improved: int = 0
    unchanged: int = 0
    worse: int = 0

    @property
    def share_improved(self) -> float | None:
        return self.improved / self.paired_n if self.paired_n else None


@dataclass
class ScaleSummary:
    """Answers to a 1-5 item: how many gave each rating, and the mean."""

    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        return sum(k * v for k, v in self.counts.items()) / self.n if self.n else None

    def share_at_least(self, value: int) -> float | None:
        return sum(v for k, v in self.counts.items() if k >= value) / self.n if self.n else None


@dataclass
class MeetingSummary:
    """Meetings per pair, as reported at six months."""

    pairs: int = 0  # pairs with a reported figure
    pairs_total: int = 0  # pairs that ran
    values: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return st.fmean(self.values) if self.values else None

    @property
    def median(self) -> float | None:
        return st.median(self.values) if self.values else None

    def buckets(self) -> list[tuple[str, int]]:
        edges = (("None", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6-8", 6, 8), ("9+", 9, 10**9))
        return [(label, sum(1 for v in self.values if lo <= round(v) <= hi)) for label, lo, hi in edges]


@dataclass
class Quote:
    """A free-text answer, anonymised. ``key`` is stable across re-imports and undo."""

    key: str
    role: str
    item_key: str
    text: str
    excluded: bool = False
    approved: bool = False  # the coordinator has read this text and let it be printed

    @property
    def stamp(self) -> str:
        """The key and the text's checksum: an approval holds only for the text that was read."""
        return f"{self.key}#{zlib.crc32(self.text.encode()):08x}"

    @property
    def printable(self) -> bool:
        return self.approved and not self.excluded


@dataclass
class CohortNumbers:
    applied: int = 0
    mentees: int = 0
    mentors: int = 0
    pairs: int = 0
    proposed: int = 0
    confirmed: int = 0
    active: int = 0
    completed: int = 0
    ended_early: int = 0
    both: int = 0  # participants who are a mentee and a mentor: counted under each role, once in all

    def both_note(self) -> str:
        """The sentence that explains why the roles' figures add up to more than everyone's ("" when none)."""
        if not self.both:
            return ""
        who = "participant is" if self.both == 1 else "participants are"
        return (
            f"{self.both} {who} both a mentee and a mentor: counted under each role, and once among all "
            "participants, so the two roles add up to more than all."
        )


@dataclass
class EvaluationStats:
    cohort_id: int
    cohort_name: str
    start_date: dt.date
    evaluation_date: dt.date
    numbers: CohortNumbers
    rates: list[ResponseRate]
    benefits: dict[str, list[BenefitStat]]  # role group -> one per benefit
    satisfaction: dict[str, ScaleSummary]  # role group and "all"
    recommend_yes: int
    recommend_n: int
    meetings: MeetingSummary
    mentor_learning: ScaleSummary
    end_reasons: list[tuple[str, int]]
    quotes: list[Quote]
    criteria: list[CriterionResult]
    first_response: dt.date | None = None
    last_response: dt.date | None = None
    tests: list[PairedTest] = field(default_factory=list)
    retrospective_tests: list[PairedTest] = field(default_factory=list)  # 'looking back' -> six months
    retrospective_asked: bool = False
    attrition: Attrition = field(default_factory=Attrition)
    themes: list[QuestionThemes] = field(default_factory=list)
    theme_groups: dict[str, list[str]] = field(default_factory=dict)
    criteria_default: bool = True

    def test(self, key: str, role: str = "mentee") -> PairedTest | None:
        return next((t for t in self.tests if t.benefit == key and t.role == role), None)

    def rate(self, stage: str, role: str = "all") -> ResponseRate:
        for r in self.rates:
            if r.stage == stage and r.role == role:
                return r
        return ResponseRate(stage, role, 0, 0)

    def benefit(self, key: str, role: str = "mentee") -> BenefitStat | None:
        return next((b for b in self.benefits.get(role, []) if b.key == key), None)

    @property
    def recommend_share(self) -> float | None:
        return self.recommend_yes / self.recommend_n if self.recommend_n else None

    @property
    def has_responses(self) -> bool:
        return any(r.responded for r in self.rates)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--format json`` and tests."""
        from dataclasses import asdict

        data = asdict(self)
        data["start_date"] = self.start_date.isoformat()
        data["evaluation_date"] = self.evaluation_date.isoformat()
        data["first_response"] = self.first_response.isoformat() if self.first_response else None
        data["last_response"] = self.last_response.isoformat() if self.last_response else None
        for r, d in zip(self.rates, data["rates"]):
            d["rate"] = r.rate
        for role, stats in self.benefits.items():
            for b, d in zip(stats, data["benefits"][role]):
                d["share_improved"] = b.share_improved
        for key, s in self.satisfaction.items():
            data["satisfaction"][key]["mean"] = s.mean
        data["meetings"]["mean"] = self.meetings.mean
        data["meetings"]["median"] = self.meetings.median
        data["mentor_learning"]["mean"] = self.mentor_learning.mean
        data["tests"] = [t.to_json() for t in self.tests]
        data["retrospective_tests"] = [t.to_json() for t in self.retrospective_tests]
        for c, d in zip(self.criteria, data["criteria"]):
            d["verdict"] = c.verdict
        for f, d in zip(self.attrition.follow_up, data["attrition"]["follow_up"]):
            d["both_rate"] = f.both_rate
        for q, d in zip(self.quotes, data["quotes"]):
            d["printable"] = q.printable
        return data


def _groups(role: str) -> tuple[str, ...]:
    """Role groups a participant counts in ('both' counts as mentee and mentor)."""
    return ROLE_GROUPS if role == "both" else (role,)


# --- computing ------------------------------------------------------------------------------


def asked_participants(session: Session, cohort_id: int) -> dict[int, str]:
    """Who was asked to evaluate: people in a match that ran (everyone when nobody is matched yet)."""
    rows = session.execute(
        select(Match.mentor_id, Match.mentee_id).where(Match.cohort_id == cohort_id, Match.status.in_(TAKEN_UP))
    ).all()
    roles = {
        pid: role
        for pid, role in session.execute(
            select(Participant.id, Participant.role).where(Participant.cohort_id == cohort_id)
        )
    }
    if not rows:
        return roles
    ids = {pid for pair in rows for pid in pair}
    return {pid: role for pid, role in roles.items() if pid in ids}


def compute_stats(session: Session, cohort_id: int) -> EvaluationStats:
    """Every figure of the evaluation report for one cohort."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise LookupError(f"no cohort {cohort_id}")
    settings = dict(cohort.settings or {})
    people = session.execute(
        select(
            Participant.id, Participant.role, Participant.first_name, Participant.last_name, Participant.organisation
        ).where(Participant.cohort_id == cohort_id)
    ).all()
    role_of = {pid: role for pid, role, *_rest in people}
    matches = session.execute(
        select(Match.mentor_id, Match.mentee_id, Match.status, Match.end_reason).where(Match.cohort_id == cohort_id)
    ).all()

    numbers = CohortNumbers(applied=len(people))
    for role in role_of.values():
        numbers.mentees += role in ("mentee", "both")
        numbers.mentors += role in ("mentor", "both")
        numbers.both += role == "both"
    reasons: Counter[str] = Counter()
    for _mentor, _mentee, status, reason in matches:
        setattr(numbers, status, getattr(numbers, status) + 1)
        if status in TAKEN_UP:
            numbers.pairs += 1
        if status == "ended_early":
            reasons[" ".join((reason or "").split()) or "No reason recorded"] += 1

    # All answers in one query: (participant, stage, item) -> value.
    answers: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    submitted: dict[tuple[int, str], dt.date | None] = {}
    rows = session.execute(
        select(
            EvaluationResponse.participant_id,
            EvaluationResponse.stage,
            EvaluationResponse.submitted_on,
            EvaluationAnswer.item_key,
            EvaluationAnswer.value_int,
            EvaluationAnswer.value_text,
        )
        .join(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id, isouter=True)
        .where(EvaluationResponse.cohort_id == cohort_id)
    )
    for pid, stage, day, key, vint, vtext in rows:
        submitted[(pid, stage)] = day
        if key is not None:
            answers[(pid, stage)][key] = vtext if vtext is not None else vint

    asked = asked_participants(session, cohort_id)
    for pid, _stage in submitted:
        asked.setdefault(pid, role_of.get(pid, "mentee"))

    rates: list[ResponseRate] = []
    for stage in ("baseline", "six_month"):
        for group in (*ROLE_GROUPS, "all"):
            members = [pid for pid, role in asked.items() if group == "all" or group in _groups(role)]
            rates.append(ResponseRate(stage, group, len(members), sum(1 for p in members if (p, stage) in submitted)))

    benefits: dict[str, list[BenefitStat]] = {}
    for group in (*ROLE_GROUPS, "all"):
        members = [pid for pid, role in role_of.items() if group == "all" or group in _groups(role)]
        stats = []
        for item in BENEFITS:
            b = BenefitStat(item.key, item.label, group)
            base = [answers[(p, "baseline")].get(item.key) for p in members if (p, "baseline") in answers]
            six = [answers[(p, "six_month")].get(item.key) for p in members if (p, "six_month") in answers]
            base = [v for v in base if v is not None]
            six = [v for v in six if v is not None]
            b.baseline_n, b.six_month_n = len(base), len(six)
            b.baseline_mean = st.fmean(base) if base else None
            b.six_month_mean = st.fmean(six) if six else None
            changes = []
            for p in members:
                before = answers.get((p, "baseline"), {}).get(item.key)
                after = answers.get((p, "six_month"), {}).get(item.key)
                if before is not None and after is not None:
                    changes.append(after - before)
            b.paired_n = len(changes)
            b.mean_change = st.fmean(changes) if changes else None
            b.improved = sum(1 for d in changes if d > 0)
            b.unchanged = sum(1 for d in changes if d == 0)
            b.worse = sum(1 for d in changes if d < 0)
            stats.append(b)
        benefits[group] = stats

    satisfaction = {g: ScaleSummary() for g in (*ROLE_GROUPS, "all")}
    learning = ScaleSummary()
    recommend_yes = recommend_n = 0
    for (pid, stage), given in answers.items():
        if stage != "six_month":
            continue
        role = role_of.get(pid, "mentee")
        value = given.get("satisfaction")
        if value in satisfaction["all"].counts:
            satisfaction["all"].counts[value] += 1
            for g in _groups(role):
                satisfaction[g].counts[value] += 1
        if given.get("would_recommend") is not None:
            recommend_n += 1
            recommend_yes += bool(given["would_recommend"])
        if given.get("mentor_learning_rating") in learning.counts:
            learning.counts[given["mentor_learning_rating"]] += 1

    meetings = _meetings(matches, answers)
    anonymiser = make_anonymiser(
        [n for _id, _role, first, last, _org in people for n in (first, last)], [org for *_r, org in people]
    )
    quotes = _quotes(
        answers,
        role_of,
        anonymiser,
        set(settings.get("excluded_quotes") or []),
        set(settings.get("approved_quotes") or []),
    )
    groups = themes_for(settings)
    comments = {key: [q.text for q in quotes if q.item_key == key] for key in TEXT_KEYS}
    days = [d for d in submitted.values() if d is not None]
    result = EvaluationStats(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        start_date=cohort.start_date,
        evaluation_date=cohort.evaluation_date,
        numbers=numbers,
        rates=rates,
        benefits=benefits,
        satisfaction=satisfaction,
        recommend_yes=recommend_yes,
        recommend_n=recommend_n,
        meetings=meetings,
        mentor_learning=learning,
        end_reasons=reasons.most_common(),
        quotes=quotes,
        criteria=[],
        first_response=min(days) if days else None,
        last_response=max(days) if days else None,
    )
    result.tests = tests_for(answers, role_of)
    result.retrospective_asked = RETROSPECTIVE in cohort_options(settings)
    if result.retrospective_asked or any(k.startswith(RETRO_PREFIX) for given in answers.values() for k in given):
        result.retrospective_tests = tests_for(answers, role_of, retrospective=True)
    result.attrition = compute_attrition(
        asked, set(submitted), answers, [(mentor, mentee, status) for mentor, mentee, status, _r in matches]
    )
    result.themes = count_themes(comments, groups)
    result.theme_groups = groups
    result.criteria_default = is_default(settings)
    result.criteria = judge_all(settings, result)
    return result


def _meetings(matches: list[Any], answers: dict[tuple[int, str], dict[str, Any]]) -> MeetingSummary:
    """Meetings per pair: the mentee's figure, else the mentor's when they had only this mentee."""
    ran = [
        (mentor, mentee) for mentor, mentee, status, _r in matches if status in ("active", "completed", "ended_early")
    ]
    mentees_of = Counter(mentor for mentor, _m in ran)
    summary = MeetingSummary(pairs_total=len(ran))
    for mentor, mentee in ran:
        value = answers.get((mentee, "six_month"), {}).get("meetings")
        if value is None and mentees_of[mentor] == 1:
            value = answers.get((mentor, "six_month"), {}).get("meetings")
        if value is not None:
            summary.values.append(float(value))
    summary.pairs = len(summary.values)
    return summary


def _quotes(
    answers: dict[tuple[int, str], dict[str, Any]],
    role_of: dict[int, str],
    anonymiser: Anonymiser,
    excluded: set[str],
    approved: set[str],
) -> list[Quote]:
    quotes = []
    for (pid, stage), given in sorted(answers.items()):
        if stage != "six_month":
            continue
        for key in TEXT_KEYS:
            text = given.get(key)
            if isinstance(text, str) and text.strip():
                qkey = f"{pid}:{stage}:{key}"
                role = "mentor" if key == "mentor_learning" else role_of.get(pid, "mentee")
                quote = Quote(qkey, role, key, anonymise(text, anonymiser), qkey in excluded)
                quote.approved = quote.stamp in approved
                quotes.append(quote)
    return quotes


@dataclass
class ResponderRow:
    """One asked participant and when they answered each stage (for the Evaluation page)."""

    participant_id: int
    name: str
    role: str
    answered: dict[str, dt.date | None]  # stage -> date; a stage is a key only when answered


def responders(session: Session, cohort_id: int) -> list[ResponderRow]:
    """Everyone asked to evaluate (plus anyone who answered anyway), sorted by name."""
    asked = asked_participants(session, cohort_id)
    answered: dict[int, dict[str, dt.date | None]] = defaultdict(dict)
    for pid, stage, day in session.execute(
        select(EvaluationResponse.participant_id, EvaluationResponse.stage, EvaluationResponse.submitted_on).where(
            EvaluationResponse.cohort_id == cohort_id
        )
    ):
        answered[pid][stage] = day
    ids = set(asked) | set(answered)
    rows = session.execute(
        select(Participant.id, Participant.title, Participant.first_name, Participant.last_name, Participant.role)
        .where(Participant.cohort_id == cohort_id)
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    )
    return [
        ResponderRow(pid, " ".join(p for p in (title, first, last) if p), role, dict(answered.get(pid, {})))
        for pid, title, first, last, role in rows
        if pid in ids
    ]
