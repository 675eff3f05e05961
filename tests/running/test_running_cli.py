"""The command line, end to end: demo --running, dashboard, meetings, check-ins, chase, end, rematch, complete."""

from __future__ import annotations

import json
import re

import pytest

from mentorapp.cli.main import main as cli

TODAY = "2021-11-20"  # day 80 of the demo scheme


def run(capsys, db_path, *args):
    code = cli(["--db", db_path, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scheme(db_path, capsys):
    code, out, _err = run(capsys, db_path, "demo", "--running", "--mentees", "12", "--mentors", "9", "--seed", "77")
    assert code == 0 and f"dashboard --today {TODAY}" in out
    return db_path


def test_dashboard_json_has_the_documented_keys_and_pairs_at_risk(scheme, capsys):
    code, out, _ = run(capsys, scheme, "dashboard", "--today", TODAY, "--format", "json")
    data = json.loads(out)
    assert code == 0 and {"pipeline", "response_rates", "pairs_at_risk", "next_dates"} <= set(data)
    assert list(data["pipeline"]) == [
        "applied", "matched", "letters_sent", "started", "first_meeting_held", "active", "ended_early", "completed"
    ]  # fmt: skip
    assert data["pipeline"]["ended_early"] == 1
    rules = {f["rule"] for p in data["pairs_at_risk"] for f in p["flags"]}
    assert {"no_first_meeting", "gone_quiet", "low_rating", "wants_contact"} <= rules
    for pair in data["pairs_at_risk"]:
        assert {"email", "name"} <= set(pair["mentee"]) and {"email", "name"} <= set(pair["mentor"])
        assert all(set(f) == {"rule", "since", "text"} for f in pair["flags"])
    code, out, _ = run(capsys, scheme, "dashboard", "--today", TODAY)
    assert "Pairs at risk" in out and "No first meeting" in out
    # Read by a person: every date as the flags' sentences write them, none as typed after --today.
    assert "as of 20 November 2021" in out and "Next check-in: 30 November 2021; evaluation: 1 March 2022" in out
    assert "since 29 September 2021: No first meeting" in out
    assert re.search(r"\d{4}-\d\d-\d\d", out) is None
    assert "_" not in out  # no stored codes ("six_month", "ended_early") where words are read
    code, out, _ = run(capsys, scheme, "dashboard", "--today", TODAY, "--figure", "started")
    assert code == 0 and "Active" in out and "1 September 2021" in out
    assert re.search(r"\d{4}-\d\d-\d\d", out) is None and "active" not in out.split()
    code, _out, err = run(capsys, scheme, "dashboard", "--figure", "startd")
    assert code == 2 and "'startd' is not a figure of the dashboard" in err


def active_mentee(capsys, db_path) -> str:
    _code, out, _ = run(capsys, db_path, "matches", "--format", "json")
    rows = json.loads(out)
    assert all("mentee_email" in r and "mentor_email" in r for r in rows)
    return next(r["mentee_email"] for r in rows if r["status"] == "active")


def test_meetings_are_logged_and_impossible_ones_refused(scheme, capsys):
    email = active_mentee(capsys, scheme)
    code, _out, err = run(capsys, scheme, "meetings", "add", "--mentee", email, "--date", "2021-08-01")
    assert code == 1 and "before the pair" in err and "started (2021-09-01)" in err
    code, _out, err = run(capsys, scheme, "meetings", "add", "--mentee", email, "--date", "2099-01-01")
    assert code == 1 and "in the future" in err
    code, out, _ = run(
        capsys, scheme, "meetings", "add", "--mentee", email, "--date", "2021-11-12", "--minutes", "40",
        "--mode", "phone", "--reported-by", "mentor", "--note", "Short call",
    )  # fmt: skip
    assert code == 0 and "Logged the meeting" in out
    code, out, _ = run(capsys, scheme, "meetings", "--format", "json")
    logged = [m for m in json.loads(out) if m["note"] == "Short call"]
    assert logged and logged[0]["mentee_email"] == email and logged[0]["mode"] == "phone"


def test_check_ins_chase_end_rematch_and_complete(scheme, capsys, tmp_path):
    code, out, _ = run(capsys, scheme, "check-ins", "export", "--out-dir", str(tmp_path / "forms"), "--today", TODAY)
    assert code == 0 and "check-in form" in out and list((tmp_path / "forms").glob("*.xlsx"))
    code, out, _ = run(capsys, scheme, "check-ins", "import", str(tmp_path / "forms"), "--today", TODAY)
    assert code == 0 and "Imported" in out
    code, out, _ = run(
        capsys,
        scheme,
        "chase",
        "--about",
        "first-meeting",
        "--today",
        TODAY,
        "--out-dir",
        str(tmp_path / "fm"),
        "--mark-sent",
    )
    assert code == 0 and "e-mail draft" in out and "as chased on 2021-11-20" in out
    assert len(list((tmp_path / "fm").glob("*.eml"))) >= 2
    code, out, _ = run(capsys, scheme, "dashboard", "--today", TODAY, "--format", "json")
    assert json.loads(out)["chased"]["first-meeting"]["last_sent_on"] == TODAY
    email = active_mentee(capsys, scheme)
    code, out, _err = run(
        capsys, scheme, "end", "--mentee", email, "--reason", "Not a good fit", "--by", "mentee", "--date", "2021-11-15"
    )
    assert code == 0 and "--mentee " + email in out
    code, out, _err = run(
        capsys, scheme, "match", "--apply", "--mentee", email, "--objective", "coverage", "--format", "json"
    )
    assert code == 0
    stored = json.loads(out)
    assert [m["mentee"]["email"] for m in stored["matches"]] == [email] and stored["applied"]
    # Before the evaluation date completing running pairs is refused unless asked for in so many words.
    code, _out, err = run(capsys, scheme, "complete", "--today", TODAY)
    assert code == 1 and "is still 101 days away" in err and "--before-evaluation" in err
    code, out, _ = run(capsys, scheme, "complete")
    assert code == 0 and "Completed" in out and "on 1 March 2022." in out
    code, out, _ = run(capsys, scheme, "matches", "--status", "active", "--format", "json")
    assert json.loads(out) == []


def test_thresholds_and_templates_are_edited_and_an_unknown_placeholder_refused(scheme, capsys, tmp_path):
    _code, before, _ = run(capsys, scheme, "check-ins", "--format", "json")
    code, out, _ = run(capsys, scheme, "running-settings", "--first-meeting-weeks", "3", "--format", "json")
    assert code == 0 and json.loads(out)["first_meeting_weeks"] == 3
    _code, after, _ = run(capsys, scheme, "check-ins", "--format", "json")
    assert json.loads(after) == json.loads(before)  # the schedule still counts from the day the pairs started
    code, out, _ = run(capsys, scheme, "dashboard", "--today", TODAY, "--format", "json")
    texts = [f["text"] for p in json.loads(out)["pairs_at_risk"] for f in p["flags"]]
    assert any("No first meeting 3 weeks after" in t for t in texts)
    body = tmp_path / "body.txt"
    body.write_text("Dear {recipient_first_name}, please call {coordinator_phone}.", encoding="utf-8")
    code, _out, err = run(capsys, scheme, "chase-template", "--about", "at-risk", "--body-file", str(body))
    assert code == 1 and "Unknown placeholder {coordinator_phone}" in err
    body.write_text("Dear {recipient_first_name},\n\nShall we talk?\n\n{signature}", encoding="utf-8")
    code, out, _ = run(capsys, scheme, "chase-template", "--about", "at-risk", "--body-file", str(body))
    assert code == 0 and "Shall we talk?" in out


def test_start_on_the_letters_day_marks_their_letters_so_the_pipeline_has_no_gap(db_path, capsys):
    assert run(capsys, db_path, "demo", "--mentees", "6", "--mentors", "5", "--seed", "3")[0] == 0
    assert run(capsys, db_path, "match", "--apply")[0] == 0
    assert run(capsys, db_path, "confirm")[0] == 0
    code, out, _ = run(capsys, db_path, "start", "--date", "2021-09-01", "--letters-sent")
    assert (
        code == 0
        and out.strip() == "Started 6 pairs of 'Future Leaders pilot' on 2021-09-01; 6 letters marked as sent that day."
    )
    code, out, _ = run(capsys, db_path, "dashboard", "--today", "2021-09-10", "--format", "json")
    pipeline = json.loads(out)["pipeline"]
    assert pipeline["letters_sent"] == pipeline["started"] == 6
