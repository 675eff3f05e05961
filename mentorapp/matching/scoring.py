"""Compatibility of a mentee with a mentor: a sum of named, weighted parts, each with a reason.

The parts (weights in :data:`DEFAULT_WEIGHTS`, overridable per cohort in
``cohort.settings["matching"]["weights"]``):

* **Focus areas, per goal horizon** (``focus_short``, ``focus_medium``,
  ``focus_long``). Each horizon is worth up to its weight, shared equally among
  the focus areas tagged on that goal. An area the mentor has expertise in earns
  its share times a years factor: half for no stated years, rising with the
  logarithm of the years (diminishing returns) to the full share at
  ``years_full`` years. "Short-term goal Leadership matches mentor's 12 years in
  Leadership (+0.30)".
* **Goal text versus experience text** (``text``): TF-IDF cosine similarity of
  the mentee's goal texts and the mentor's experience text (computed here with
  numpy/scipy; no model, no network), times the weight. IDF is taken over every
  participant given to the :class:`Scorer`, so build one scorer for the cohort.
  This word measure is the floor; meaning is added on top of it.
* **Meaning** (``meaning``): similarity of meaning (an embedded model, offline;
  see :mod:`mentorapp.people.meaning`) between the mentee's goals (texts and
  areas) and the mentor's experience (text and areas), so that "Policy" meets
  "Health and work policy" and a goal written in the coordinator's own words
  meets the experience it needs. Each side is the mean of its texts' unit
  vectors (each distinct text embedded once per scorer); the part is the weight
  times how far their cosine rises above :data:`MEANING_FLOOR`, scaled to 0..1.
  The reason names the closest goal and experience: "Long-term goal 'Lead an OH
  service' is close to the mentor's experience in Service development (+0.12)".
  Without the model this part is 0 and the word measure remains.
* **Career stage** (``stage_senior``, ``stage_junior``): a mentor one stage
  senior earns half of ``stage_senior``, two or more stages the whole; a mentor
  junior to the mentee costs ``stage_junior`` per stage; unknown stages count 0.
* **Region and meeting** (``region``, ``meeting_match``, ``meeting_conflict``):
  same region earns ``region``; both wanting the same way of meeting (in person or
  online) earns ``meeting_match``; one wanting in person and the other online
  costs ``meeting_conflict``.

* **Former pair** (:mod:`mentorapp.matching.history`): two people matched in an
  earlier cohort get a reason saying so ("Worked together in 2021 (Pilot 2021)"),
  worth :data:`~mentorapp.matching.history.PREFER_BONUS` when the cohort prefers
  former pairs and nothing otherwise.

The reasons of a :class:`PairScore` add up to its total exactly, and
:meth:`Scorer.matrix` gives the same numbers (to float32 precision) for every
pair at once, fast enough for 10,000 mentees x 5,000 mentors.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mentorapp.matching.history import PREFER_BONUS, PairHistory
from mentorapp.people import meaning
from mentorapp.people.meaning import tokens
from mentorapp.people.participants import ParticipantData
from mentorapp.people.vocabulary import CAREER_STAGES, HORIZON_LABELS, career_stage_rank

if TYPE_CHECKING:
    from scipy import sparse

DEFAULT_WEIGHTS: dict[str, float] = {
    # Focus-area overlap per goal horizon: the near goals weigh most.
    "focus_short": 0.30,
    "focus_medium": 0.25,
    "focus_long": 0.20,
    # Years of experience at which an area counts fully (0 years counts half).
    "years_full": 10.0,
    # TF-IDF cosine of goal text and experience text (0..1) times this.
    "text": 0.40,
    # Similarity of meaning of goals and experience above MEANING_FLOOR, scaled to 0..1, times this.
    "meaning": 0.30,
    # Mentor two or more career stages senior (one stage: half of it).
    "stage_senior": 0.15,
    # Per career stage the mentor is junior to the mentee (negative: a penalty).
    "stage_junior": -0.30,
    "region": 0.10,
    "meeting_match": 0.05,
    "meeting_conflict": -0.15,
}

HORIZON_WEIGHT_KEYS = {"short": "focus_short", "medium": "focus_medium", "long": "focus_long"}
MEETING_CODES = {"either": 0, "in person": 1, "online": 2}
TEXT_TERMS_SHOWN = 3
# Cosines of meaning at or below this add nothing (unrelated profiles in one field sit around 0.2-0.4).
MEANING_FLOOR = 0.35
QUOTE_CHARS = 60
# Text similarity joins the one dense product of the linear parts up to this many shared terms; sparse above.
FUSED_TEXT_TERMS = 512


def weights_for(cohort_settings: dict[str, Any] | None) -> dict[str, float]:
    """The cohort's ``settings["matching"]["weights"]`` merged over :data:`DEFAULT_WEIGHTS`.

    Unknown keys and values that are not numbers are ignored, so a hand-edited
    setting cannot break matching.
    """
    weights = dict(DEFAULT_WEIGHTS)
    matching = (cohort_settings or {}).get("matching") or {}
    custom = matching.get("weights") if isinstance(matching, dict) else None
    if isinstance(custom, dict):
        for key, value in custom.items():
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if key in weights and is_number and math.isfinite(float(value)):
                weights[key] = float(value)
    if weights["years_full"] < 1:
        weights["years_full"] = 1.0
    return weights


@dataclass(frozen=True)
class Reason:
    """One part of a score, as a sentence and its signed contribution."""

    text: str
    contribution: float
    kind: str  # "focus_short", "focus_medium", "focus_long", "text", "meaning", "stage", "region", "meeting"


@dataclass(frozen=True)
class PairScore:
    total: float
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "score": round(self.total, 4),
            "reasons": [{"text": r.text, "contribution": round(r.contribution, 4)} for r in self.reasons],
        }


def _as_written(word: str) -> str:
    """A shared word as a person writes it: two letters that are no stop word are an initialism ('QI', 'HR')."""
    return word.upper() if len(word) == 2 and word.isalpha() else word


def _signed(value: float) -> str:
    return f"{value:+.2f}"


def years_factor(years: float, years_full: float) -> float:
    """How much an area of expertise counts: 0.5 at 0 years, 1.0 from ``years_full`` on."""
    return 0.5 + 0.5 * min(1.0, math.log1p(max(years, 0.0)) / math.log1p(years_full))


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class _TextIndex:
    """TF-IDF vectors (sublinear tf, smooth idf, unit length) for mentee goals and mentor experience."""

    def __init__(self, mentee_docs: Sequence[str], mentor_docs: Sequence[str]) -> None:
        vocab: dict[str, int] = {}
        self.surface: list[str] = []
        counts: list[Counter[int]] = []
        seen: dict[str, Counter[int]] = {}  # texts repeat (templates, copied answers): tokenise once
        for doc in (*mentee_docs, *mentor_docs):
            c = seen.get(doc)
            if c is None:
                c = seen[doc] = Counter()
                for stem, word in tokens(doc):
                    idx = vocab.get(stem)
                    if idx is None:
                        idx = vocab[stem] = len(self.surface)
                        self.surface.append(word)
                    c[idx] += 1
            counts.append(c)
        n_docs = len(counts)
        df = np.zeros(len(vocab), dtype=np.float64)
        for c in counts:
            for idx in c:
                df[idx] += 1
        idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
        self.vectors: list[dict[int, float]] = []
        done: dict[int, dict[int, float]] = {}
        for c in counts:
            unit = done.get(id(c))
            if unit is None:
                vec = {idx: (1.0 + math.log(n)) * float(idf[idx]) for idx, n in c.items()}
                norm = math.sqrt(sum(v * v for v in vec.values()))
                unit = done[id(c)] = {k: v / norm for k, v in vec.items()} if norm else {}
            self.vectors.append(unit)
        self.n_mentees = len(mentee_docs)
        self.n_terms = len(vocab)

    def mentee(self, i: int) -> dict[int, float]:
        return self.vectors[i]

    def mentor(self, j: int) -> dict[int, float]:
        return self.vectors[self.n_mentees + j]

    def matrix(self, rows: Sequence[int]) -> sparse.csr_matrix:
        """Sparse TF-IDF rows for the given documents (float32)."""
        from scipy import sparse  # imported when first needed: keeps start-up fast

        indptr, indices, data = [0], [], []
        for d in rows:
            vec = self.vectors[d]
            indices.extend(vec.keys())
            data.extend(vec.values())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
            shape=(len(rows), self.n_terms),
        )


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


class _Meaning:
    """Unit vectors of every distinct goal and experience text, and one profile vector per person.

    Each person's items are (row of the text's vector, what the text is), and
    what it is becomes words only for the reason of a pair shown: a mentee's
    "Long-term goal 'Lead an OH service'", a mentor's "experience in Service
    development" (see :func:`_item_label`).
    """

    def __init__(
        self, mentees: Sequence[ParticipantData], mentors: Sequence[ParticipantData], weight: float = 1.0
    ) -> None:
        row: dict[str, int] = {}  # each distinct text (spaces collapsed) and its row
        self.mentee_items: list[list[tuple[int, tuple[str, str, str]]]] = []
        for p in mentees:
            items: dict[int, tuple[str, str, str]] = {}
            for g in p.goals:
                label = HORIZON_LABELS.get(g.horizon, "A")
                if text := " ".join(g.text.split()):
                    items.setdefault(row.setdefault(text, len(row)), ("goal", label, g.text))
                for area in g.focus_areas:
                    if text := " ".join(area.split()):
                        items.setdefault(row.setdefault(text, len(row)), ("area", label, area))
            self.mentee_items.append(list(items.items()))
        self.mentor_items: list[list[tuple[int, tuple[str, str, str]]]] = []
        for p in mentors:
            items = {}
            for e in p.expertise:
                if text := " ".join(e.focus_area.split()):
                    items.setdefault(row.setdefault(text, len(row)), ("expertise", "", e.focus_area))
            if text := " ".join(p.experience.split()):
                items.setdefault(row.setdefault(text, len(row)), ("experience", "", p.experience))
            self.mentor_items.append(list(items.items()))
        texts = list(row)
        folded: dict[str, int] = {}
        # Texts equal but for case share a number: a reason prefers a pair of different words.
        self.fold_id = np.array([folded.setdefault(t.casefold(), len(folded)) for t in texts], dtype=np.int64)
        vectors = meaning.embed(texts, many=True) if weight else None
        self.available = vectors is not None
        if vectors is None:
            vectors = np.zeros((len(texts), meaning.DIMENSIONS), dtype=np.float32)
        self.vectors = vectors
        self.mentee_profiles = self._profiles(self.mentee_items)
        self.mentor_profiles = self._profiles(self.mentor_items)

    def _profiles(self, people: list[list[tuple[int, tuple[str, str, str]]]]) -> np.ndarray:
        """Each person's mean text vector, unit length (zero for someone with no text): one sparse product."""
        from scipy import sparse

        counts = np.array([len(items) for items in people], dtype=np.int64)
        columns = np.fromiter((k for items in people for k, _ in items), dtype=np.int64, count=counts.sum())
        indptr = np.concatenate(([0], np.cumsum(counts)))
        ones = np.ones(len(columns), dtype=np.float32)
        members = sparse.csr_matrix((ones, columns, indptr), shape=(len(people), len(self.vectors)))
        out = np.asarray(members @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)

    @staticmethod
    def scaled(cosine: float) -> float:
        """0 at or below the floor, 1 at a cosine of 1."""
        return min(1.0, max(0.0, (cosine - MEANING_FLOOR) / (1.0 - MEANING_FLOOR)))

    @staticmethod
    def add_scaled(out: np.ndarray, cosines: np.ndarray, weight: float) -> None:
        """``out += weight * scaled(cosines)`` for a block of cosines (float32, in place: no temporaries)."""
        floor = np.float32(MEANING_FLOOR)
        cosines *= np.float32(weight) / (np.float32(1.0) - floor)
        cosines -= np.float32(weight) * floor / (np.float32(1.0) - floor)
        np.maximum(cosines, np.float32(0.0), out=cosines)
        np.minimum(cosines, np.float32(weight), out=cosines)
        out += cosines

    def closest(self, i: int, j: int) -> tuple[str, str]:
        """The mentee's goal and the mentor's experience closest in meaning (different words preferred)."""
        a, b = self.mentee_items[i], self.mentor_items[j]
        ra = np.fromiter((k for k, _ in a), dtype=np.int64, count=len(a))
        rb = np.fromiter((k for k, _ in b), dtype=np.int64, count=len(b))
        sims = self.vectors[ra] @ self.vectors[rb].T
        same = self.fold_id[ra][:, None] == self.fold_id[rb][None, :]
        if not same.all():
            sims[same] = -2.0
        r, c = divmod(int(np.argmax(sims)), sims.shape[1])
        return _item_label(a[r][1]), _item_label(b[c][1])


def _item_label(item: tuple[str, str, str]) -> str:
    """What a text of a person is, in words: (kind, horizon label, text as given)."""
    kind, horizon, text = item
    if kind == "goal":
        return f"{horizon} goal '{_quote(text)}'"
    if kind == "area":
        return f"{horizon} goal area {text.strip()}"
    if kind == "expertise":
        return f"experience in {text.strip()}"
    return f"experience ('{_quote(text)}')"


class Scorer:
    """Scores every mentee against every mentor of one cohort, with reasons.

    Participants need ids. ``score`` explains one pair; ``matrix`` scores all
    pairs at once with numpy (float32), equal to ``score(...).total``.
    """

    def __init__(
        self,
        mentees: list[ParticipantData],
        mentors: list[ParticipantData],
        weights: dict[str, float],
        *,
        stages: Sequence[str] = CAREER_STAGES,
        history: PairHistory | None = None,
        former_mode: str | None = None,
    ) -> None:
        self.mentees = list(mentees)
        # Former pairs of earlier cohorts, and what to do with them (the history's own mode unless given).
        self.history = history
        mode = former_mode or (history.mode if history is not None else "ignore")
        self.former_bonus = PREFER_BONUS if mode == "prefer" else 0.0
        # The cohort's career ladder, most junior first (``Cohort.career_stages``): seniority is a position in it.
        self.stages = list(stages)
        self.mentors = list(mentors)
        self.weights = {**DEFAULT_WEIGHTS, **weights}
        self.mentee_index = {p.id: i for i, p in enumerate(self.mentees)}
        self.mentor_index = {p.id: j for j, p in enumerate(self.mentors)}
        w = self.weights
        # Focus areas: one column per area (case-insensitive), goal shares and expertise factors.
        self.area_names: dict[str, str] = {}
        self._goal_shares: list[dict[str, list[tuple[str, float]]]] = []  # area key -> [(horizon, share)]
        for p in self.mentees:
            shares: dict[str, list[tuple[str, float]]] = {}
            for g in p.goals:
                key = HORIZON_WEIGHT_KEYS.get(g.horizon)
                areas = list(dict.fromkeys(_fold(a) for a in g.focus_areas if a.strip()))
                if key is None or not areas:
                    continue
                for raw in g.focus_areas:
                    self.area_names.setdefault(_fold(raw), raw.strip())
                for area in areas:
                    shares.setdefault(area, []).append((g.horizon, w[key] / len(areas)))
            self._goal_shares.append(shares)
        self._expertise: list[dict[str, tuple[int, float]]] = []  # area key -> (years, factor)
        for p in self.mentors:
            exp: dict[str, tuple[int, float]] = {}
            for e in p.expertise:
                key = _fold(e.focus_area)
                if not key:
                    continue
                self.area_names.setdefault(key, e.focus_area.strip())
                years = max(e.years, exp[key][0]) if key in exp else e.years
                exp[key] = (years, years_factor(years, w["years_full"]))
            self._expertise.append(exp)
        self._text = _TextIndex(
            [" ".join(g.text for g in p.goals) for p in self.mentees], [p.experience for p in self.mentors]
        )
        self._meaning = _Meaning(self.mentees, self.mentors, self.weights["meaning"])
        # False when the model could not be loaded (see people.meaning.unavailable_reason) or the weight is 0.
        self.meaning_available = self._meaning.available
        self._stage_mentee = [career_stage_rank(p.career_stage, self.stages) for p in self.mentees]
        self._stage_mentor = [career_stage_rank(p.career_stage, self.stages) for p in self.mentors]
        self._region_mentee = [_fold(p.region) for p in self.mentees]
        self._region_mentor = [_fold(p.region) for p in self.mentors]
        self._meet_mentee = [MEETING_CODES.get(_fold(p.meeting_preference), 0) for p in self.mentees]
        self._meet_mentor = [MEETING_CODES.get(_fold(p.meeting_preference), 0) for p in self.mentors]

    # -- the parts, shared by score() and matrix() ----------------------------------------------

    def _stage_value(self, mentee_rank: int | None, mentor_rank: int | None) -> float:
        if mentee_rank is None or mentor_rank is None:
            return 0.0
        gap = mentor_rank - mentee_rank
        if gap > 0:
            return self.weights["stage_senior"] * min(gap, 2) / 2
        if gap == 0:  # 0.0, not -0.0: the reason reads "(+0.00)"
            return 0.0
        return self.weights["stage_junior"] * -gap

    def _meeting_value(self, a: int, b: int) -> float:
        if a == 0 or b == 0:
            return 0.0
        return self.weights["meeting_match"] if a == b else self.weights["meeting_conflict"]

    # -- one pair, explained ---------------------------------------------------------------------

    def score(self, mentee_id: int, mentor_id: int) -> PairScore:
        """The score of one pair with a reason for each part; the reasons sum to the total."""
        i, j = self.mentee_index[mentee_id], self.mentor_index[mentor_id]
        reasons: list[Reason] = []
        expertise = self._expertise[j]
        focus: list[tuple[int, str, Reason]] = []
        for area, shares in self._goal_shares[i].items():
            if area not in expertise:
                continue
            years, factor = expertise[area]
            name = self.area_names[area]
            # Years unknown (a form that asked only for areas) are stored as 0: no "0 years" then.
            had = f"{years} years" if years > 1 else "1 year" if years == 1 else "expertise"
            for horizon, share in shares:
                if not share:  # the cohort switched this horizon off
                    continue
                value = share * factor
                text = f"{HORIZON_LABELS[horizon]} goal {name} matches mentor's {had} in {name} ({_signed(value)})"
                focus.append((list(HORIZON_WEIGHT_KEYS).index(horizon), name, Reason(text, value, f"focus_{horizon}")))
        reasons.extend(r for _, _, r in sorted(focus, key=lambda t: (t[0], t[1])))

        a, b = self._text.mentee(i), self._text.mentor(j)
        if len(b) < len(a):
            a, b = b, a
        terms = sorted(((v * b[k], k) for k, v in a.items() if k in b), reverse=True)
        cosine = sum(v for v, _ in terms)
        if cosine > 0 and self.weights["text"]:
            value = self.weights["text"] * cosine
            shown = ", ".join(_as_written(self._text.surface[k]) for _, k in terms[:TEXT_TERMS_SHOWN])
            more = " ..." if len(terms) > TEXT_TERMS_SHOWN else ""
            reasons.append(
                Reason(f"Goal text and mentor's experience share: {shown}{more} ({_signed(value)})", value, "text")
            )

        if self.weights["meaning"] and self._meaning.available:
            cosine = float(self._meaning.mentee_profiles[i] @ self._meaning.mentor_profiles[j])
            value = self.weights["meaning"] * self._meaning.scaled(cosine)
            if value > 0:
                goal, experience = self._meaning.closest(i, j)
                text = f"{goal} is close to the mentor's {experience} ({_signed(value)})"
                reasons.append(Reason(text, value, "meaning"))

        ri, rj = self._stage_mentee[i], self._stage_mentor[j]
        if ri is not None and rj is not None and (self.weights["stage_senior"] or self.weights["stage_junior"]):
            value = self._stage_value(ri, rj)
            gap = rj - ri
            stages = "stage" if abs(gap) == 1 else "stages"
            if gap > 0:
                text = f"Mentor is {gap} career {stages} senior ({self.stages[rj]}) ({_signed(value)})"
            elif gap < 0:
                text = f"Mentor is {-gap} career {stages} junior to the mentee ({_signed(value)})"
            else:
                text = f"Mentor is at the same career stage ({self.stages[rj]}) ({_signed(value)})"
            reasons.append(Reason(text, value, "stage"))

        region = self._region_mentee[i]
        if region and region == self._region_mentor[j] and self.weights["region"]:
            value = self.weights["region"]
            reasons.append(
                Reason(f"Same region ({self.mentors[j].region.strip()}) ({_signed(value)})", value, "region")
            )

        ma, mb = self._meet_mentee[i], self._meet_mentor[j]
        value = self._meeting_value(ma, mb)
        if value:
            if ma == mb:
                text = f"Both prefer to meet {self.mentees[i].meeting_preference.strip()} ({_signed(value)})"
            else:
                text = (
                    f"Mentee prefers to meet {self.mentees[i].meeting_preference.strip()}, mentor "
                    f"{self.mentors[j].meeting_preference.strip()} ({_signed(value)})"
                )
            reasons.append(Reason(text, value, "meeting"))
        former = self.history.get(mentee_id, mentor_id) if self.history is not None else None
        if former is not None:
            value = 0.0 if former.ended_early else self.former_bonus
            reasons.append(Reason(f"{former.sentence()} ({_signed(value)})", value, "history"))
        return PairScore(total=math.fsum(r.contribution for r in reasons), reasons=tuple(reasons))

    # -- every pair at once ----------------------------------------------------------------------

    def matrix(
        self,
        mentee_rows: Sequence[int] | None = None,
        mentor_cols: Sequence[int] | None = None,
        *,
        progress: Callable[[float], None] | None = None,
    ) -> np.ndarray:
        """Scores as float32, shape (mentees, mentors); optionally only some rows/columns (positions).

        Work is done in blocks of rows so that temporaries stay small: 10,000 x
        5,000 needs the 200 MB result and little more.
        """
        rows = np.arange(len(self.mentees)) if mentee_rows is None else np.asarray(mentee_rows, dtype=np.int64)
        cols = np.arange(len(self.mentors)) if mentor_cols is None else np.asarray(mentor_cols, dtype=np.int64)
        n, m = len(rows), len(cols)
        out = np.empty((n, m), dtype=np.float32)
        if n == 0 or m == 0:
            return out
        text_rows, text_cols = self._text_matrices(rows, cols)
        fused_text = text_cols.shape[1] <= FUSED_TEXT_TERMS
        left, right = self._linear_parts(rows, cols, (text_rows, text_cols) if fused_text else None)
        if not fused_text:  # many shared terms: a sparse product of its own
            text_cols_t = text_cols.T.tocsr().astype(np.float32) * np.float32(self.weights["text"])
        meaning_w = float(self.weights["meaning"]) if self._meaning.available else 0.0
        meaning_rows = self._meaning.mentee_profiles[rows]
        meaning_cols_t = np.ascontiguousarray(self._meaning.mentor_profiles[cols].T)
        block = max(1, min(n, 4_000_000 // m))
        for start in range(0, n, block):
            stop = min(n, start + block)
            view = out[start:stop]
            np.matmul(left[start:stop], right, out=view)
            if not fused_text:
                view += (text_rows[start:stop] @ text_cols_t).toarray()
            if meaning_w:
                self._meaning.add_scaled(view, meaning_rows[start:stop] @ meaning_cols_t, meaning_w)
            if progress is not None:
                progress(stop / n)
        if self.history is not None and self.former_bonus:
            for r, c in self.history.cells([self.mentees[i].id for i in rows], [self.mentors[j].id for j in cols]):
                out[r, c] += np.float32(self.former_bonus)
        return out

    def _linear_parts(
        self, rows: np.ndarray, cols: np.ndarray, text: tuple[sparse.csr_matrix, sparse.csr_matrix] | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Row and column features whose product is every part but meaning, so that one matrix product does them.

        Focus areas (goal shares x expertise factors), the text (TF-IDF, when
        given), career stage and meeting (each row carries its line of the
        stage-and-meeting table, each column a one-hot of its code) and region
        (one-hots, the weight on the column side).
        """
        goal_m, exp_m = self._focus_matrices(rows, cols)
        pair_table, code_i, code_j = self._pair_table(rows, cols)
        left, right = [goal_m, pair_table[code_i]], [exp_m, _one_hot(code_j, len(pair_table)).T]
        if text is not None:
            left.append(text[0].toarray().astype(np.float32))
            right.append(text[1].T.toarray().astype(np.float32) * np.float32(self.weights["text"]))
        if self.weights["region"]:
            region_i, region_j = self._region_codes(rows, cols)
            count = int(max(region_i.max(initial=-1), region_j.max(initial=-1))) + 1
            left.append(_one_hot(region_i, count))
            right.append(_one_hot(region_j, count).T * np.float32(self.weights["region"]))
        return np.hstack(left), np.ascontiguousarray(np.vstack(right))

    def _focus_matrices(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keys = {k: a for a, k in enumerate(self.area_names)}
        goal_m = np.zeros((len(rows), len(keys)), dtype=np.float32)
        for r, i in enumerate(rows):
            for area, shares in self._goal_shares[i].items():
                goal_m[r, keys[area]] = sum(s for _, s in shares)
        exp_m = np.zeros((len(keys), len(cols)), dtype=np.float32)
        for c, j in enumerate(cols):
            for area, (_, factor) in self._expertise[j].items():
                exp_m[keys[area], c] = factor
        return goal_m, exp_m

    def _text_matrices(self, rows: np.ndarray, cols: np.ndarray) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """TF-IDF of the rows and columns, restricted to terms used on both sides (the rest add nothing)."""
        a = self._text.matrix(rows.tolist())
        b = self._text.matrix((self._text.n_mentees + cols).tolist())
        shared = np.flatnonzero((np.diff(a.tocsc().indptr) > 0) & (np.diff(b.tocsc().indptr) > 0))
        return a[:, shared].tocsr(), b[:, shared].tocsr()

    def _pair_table(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stage and meeting parts depend only on (stage, meeting) codes: a small lookup table."""
        unknown = len(self.stages)
        stage_i = np.array([unknown if s is None else s for s in self._stage_mentee], dtype=np.int64)[rows]
        stage_j = np.array([unknown if s is None else s for s in self._stage_mentor], dtype=np.int64)[cols]
        meet_i = np.array(self._meet_mentee, dtype=np.int64)[rows]
        meet_j = np.array(self._meet_mentor, dtype=np.int64)[cols]
        size = (unknown + 1) * 3
        table = np.zeros((size, size), dtype=np.float32)
        for si in range(unknown + 1):
            for sj in range(unknown + 1):
                stage = self._stage_value(None if si == unknown else si, None if sj == unknown else sj)
                for mi in range(3):
                    for mj in range(3):
                        table[si * 3 + mi, sj * 3 + mj] = stage + self._meeting_value(mi, mj)
        return table, stage_i * 3 + meet_i, stage_j * 3 + meet_j

    def _region_codes(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        codes: dict[str, int] = {}
        ri = np.array([codes.setdefault(r, len(codes)) if r else -1 for r in self._region_mentee], dtype=np.int64)
        rj = np.array([codes.setdefault(r, len(codes)) if r else -2 for r in self._region_mentor], dtype=np.int64)
        return ri[rows], rj[cols]


def _one_hot(codes: np.ndarray, count: int) -> np.ndarray:
    """One row per code with a 1 in its column (float32); a negative code (unknown) gets a row of zeros."""
    out = np.zeros((len(codes), count), dtype=np.float32)
    known = np.flatnonzero(codes >= 0)
    out[known, codes[known]] = 1.0
    return out
