"""The trial of issue 18 for matching and comparison: the pilot, a second year of returning people, matching
that remembers, and a report that compares the two years (the import of returning people: test_second_year_trial)."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mentorapp.cli.main import main
from mentorapp.people.cohorts import find_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.db import open_database
from mentorapp.store.models import Match, Participant

pytestmark = pytest.mark.both_databases

PILOT, SECOND = "Future Leaders pilot", "Members 2022"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_pilot_then_a_second_year_matched_without_repeats_and_compared(db_path, tmp_path, capsys):
    assert run(capsys, "--db", db_path, "demo", "--with-evaluations")[0] == 0
    assert run(capsys, "--db", db_path, "cohorts", "add", SECOND, "--start", "2022-09-01")[0] == 0
    db = open_database(db_path)
    with db.transaction() as s:
        pilot_id, second_id = find_cohort(s, PILOT).id, find_cohort(s, SECOND).id
        for p in list_participants(s, pilot_id):  # everyone applies again: same names and e-mails
            data = ParticipantData(**{k: getattr(p, k) for k in ParticipantData.__dataclass_fields__})
            data.id = data.cohort_id = data.version_id = data.person_id = None
            create_participant(s, second_id, data)
        person = {pid: person_id for pid, person_id in s.execute(select(Participant.id, Participant.person_id))}
        pilot = {
            (person[m.mentee_id], person[m.mentor_id]): m.status
            for m in s.scalars(select(Match).where(Match.cohort_id == pilot_id))
        }
    db.dispose()
    worked = {pair for pair, status in pilot.items() if status in ("confirmed", "active", "completed")}
    ended = {pair for pair, status in pilot.items() if status == "ended_early"}
    assert worked and ended

    def pairs(out: str) -> set[tuple[int, int]]:
        return {(m["mentee"]["person_id"], m["mentor"]["person_id"]) for m in json.loads(out)["matches"]}

    code, out, _ = run(capsys, "--db", db_path, "match", "--cohort", SECOND, "--format", "json")
    assert code == 0 and pairs(out) and not pairs(out) & (worked | ended)
    code, out, _ = run(
        capsys, "--db", db_path, "match", "--cohort", SECOND, "--former-pairs", "prefer", "--format", "json"
    )
    repeated = pairs(out) & worked
    assert repeated == worked and not pairs(out) & ended  # every pilot pair is possible again; an early end never
    code, out, _ = run(capsys, "--db", db_path, "match", "--cohort", SECOND, "--apply")
    assert code == 0 and "are avoided" in out and "Worked together" not in out

    report = tmp_path / "second-year.pdf"
    code, out, err = run(
        capsys, "--db", db_path, "export", "report", "--cohort", SECOND, "--compare", PILOT, "-o", str(report)
    )
    assert code == 0, err
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(report)).pages)
    assert f"Compared with {PILOT}" in text and "No evaluation answers yet" in text
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "--format", "json")
    second = next(c for c in json.loads(out) if c["name"] == SECOND)
    assert second["match_rate"] == 0 and second["has_evaluation_answers"] is False  # proposed only: not yet matched
