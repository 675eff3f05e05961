"""{first_meeting_deadline}: the letterhead's days counted from the pair's start, not from the day of printing.

A letter printed in December 2026 for the pilot of 2021 said "arrange your first meeting before
24 December 2026" beside "The scheme runs until its evaluation on 1 March 2022".
"""

from __future__ import annotations

import datetime as dt

from mentorapp.outputs.letter_template import default_template
from mentorapp.outputs.letter_text import CohortInfo, LetterMatch, Person, compose, placeholder_values
from mentorapp.outputs.letterhead import Letterhead
from mentorapp.outputs.letters import list_letter_matches
from mentorapp.store.models import Match
from tests.support.outputs_data import add_matches

PILOT = CohortInfo(1, "Future Leaders pilot", dt.date(2021, 9, 1), dt.date(2022, 3, 1))
PRINTED = dt.date(2026, 12, 3)  # years after the scheme
LETTERHEAD = Letterhead(first_meeting_days=21)


def pair(**kw) -> LetterMatch:
    mentee = Person(id=1, title="Dr", first_name="Aisha", last_name="Ali")
    mentor = Person(id=2, title="Dr", first_name="Grace", last_name="Fraser")
    return LetterMatch(id=5, status="active", mentee=mentee, mentor=mentor, **kw)


def deadline(match: LetterMatch, letter_date: dt.date) -> str:
    return placeholder_values(match, "mentee", PILOT, LETTERHEAD, letter_date)["first_meeting_deadline"]


def test_a_started_pair_counts_from_the_day_it_started_whenever_its_letter_is_printed():
    started = pair(started_on=dt.date(2021, 9, 15), letter_sent_on=dt.date(2021, 9, 10))
    assert deadline(started, PRINTED) == "6 October 2021"
    letter = compose(started, "mentee", default_template(), PILOT, LETTERHEAD, PRINTED)
    text = "\n".join(p if isinstance(p, str) else "\n".join(p) for p in letter.paragraphs)
    assert "before 6 October 2021" in text and "2026" not in text.split("evaluation")[0]


def test_a_pair_whose_letter_went_out_counts_from_that_day():
    assert deadline(pair(letter_sent_on=dt.date(2021, 9, 10)), PRINTED) == "1 October 2021"  # 21 days after
    # Sent before the cohort starts: from the start.
    assert deadline(pair(letter_sent_on=dt.date(2021, 8, 20)), PRINTED) == "22 September 2021"


def test_a_letter_going_out_now_counts_from_today_or_from_a_later_start():
    assert deadline(pair(), dt.date(2021, 9, 10)) == "1 October 2021"
    assert deadline(pair(), dt.date(2021, 8, 2)) == "22 September 2021"  # the cohort starts on 1 September


def test_the_listing_carries_each_pair_s_start(demo_db, demo_cohort_id):
    add_matches(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        first = s.query(Match).filter_by(cohort_id=demo_cohort_id).order_by(Match.id).first()
        first.status, first.started_on = "active", dt.date(2021, 9, 15)
        first_id = first.id
    with demo_db.session() as s:
        for details in (True, False):
            listed = {m.id: m for m in list_letter_matches(s, demo_cohort_id, statuses=None, details=details)}
            assert listed[first_id].started_on == dt.date(2021, 9, 15), details
