"""Letters never print a placeholder: people are described from what is known; the default letterhead is flagged."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pypdf
import pytest
from sqlalchemy import select

from mentorapp.cli.main import main
from mentorapp.outputs.letter_template import default_template
from mentorapp.outputs.letter_text import CohortInfo, LetterMatch, Person, compose, describe_mentor
from mentorapp.outputs.letterhead import Letterhead, default_letterhead_warning, save_letterhead
from mentorapp.store.models import Match, Participant
from tests.support.outputs_data import add_matches

DAY = dt.date(2024, 3, 4)
COHORT = CohortInfo(7, "Allied Health Mentoring 2024", dt.date(2024, 3, 18), dt.date(2024, 9, 18))


def mentor(**kw) -> Person:
    base = dict(id=20, title="Ms", first_name="Gwen", last_name="Ashdown")
    return Person(**{**base, **kw})


def mentee(**kw) -> Person:
    base = dict(id=10, title="Mr", first_name="Kofi", last_name="Adjei", email="kofi@example.net")
    return Person(**{**base, **kw})


def text_of(letter) -> str:
    return "\n".join(p if isinstance(p, str) else "\n".join(p) for p in letter.paragraphs)


def test_a_mentor_without_a_description_is_described_from_job_organisation_and_years():
    gwen = mentor(
        job_title="Advanced physiotherapy practitioner",
        organisation="Riverside Community Health",
        expertise=[("Musculoskeletal rehabilitation", 4), ("Team leadership", 11), ("Research", 0)],
    )
    assert describe_mentor(gwen) == (
        "Ms Gwen Ashdown is an Advanced physiotherapy practitioner at Riverside Community Health, "
        "with 11 years in Team leadership and 4 in Musculoskeletal rehabilitation and experience in Research."
    )


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        (
            {"organisation": "Harbour Ports Ltd", "career_stage": "Senior lead"},
            "Ms Gwen Ashdown works at Harbour Ports Ltd (Senior lead), with 1 year in Ergonomics.",
        ),
        (
            {"career_stage": "Registrar (ST3+)"},
            "Ms Gwen Ashdown is at the 'Registrar (ST3+)' stage of their career, with 1 year in Ergonomics.",
        ),
        ({}, "Ms Gwen Ashdown brings 1 year in Ergonomics."),
    ],
)
def test_what_little_is_known_still_reads_as_a_sentence(known, expected):
    assert describe_mentor(mentor(expertise=[("Ergonomics", 1)], **known)) == expected


def test_a_written_description_is_kept_and_nothing_at_all_is_said_plainly():
    assert describe_mentor(mentor(experience="  Ran the county's fit-note service.  ")) == (
        "Ran the county's fit-note service."
    )
    assert describe_mentor(mentor()) == "Ms Gwen Ashdown will tell you about their experience at your first meeting."


def test_letters_say_no_placeholder_for_a_mentor_without_description_or_a_mentee_without_goal_text():
    match = LetterMatch(
        id=3,
        status="confirmed",
        mentee=mentee(goals=[("short", "", ["Return to work planning", "Negotiation"]), ("long", "", [])]),
        mentor=mentor(job_title="Occupational therapist", organisation="Fenland Care", expertise=[("Negotiation", 6)]),
    )
    to_mentee = text_of(compose(match, "mentee", default_template(), COHORT, Letterhead(), DAY))
    to_mentor = text_of(compose(match, "mentor", default_template(), COHORT, Letterhead(), DAY))
    assert (
        "About your mentor: Ms Gwen Ashdown is an Occupational therapist at Fenland Care, with 6 years in Negotiation."
        in (to_mentee)
    )
    assert "Short-term (next 6-12 months): To develop in Return to work planning and Negotiation" in to_mentor
    for text in (to_mentee, to_mentor):
        assert "(not described)" not in text and "(no goals recorded)" not in text
        assert "Long-term" not in text  # a goal with nothing in it is left out


def test_default_letterhead_warning_names_what_is_still_default():
    assert (
        default_letterhead_warning(Letterhead(society_name="Northfield Therapy Society", coordinator_name="Jo Birch"))
        is None
    )
    only_signature = default_letterhead_warning(Letterhead(society_name="Northfield Therapy Society"))
    assert only_signature == "The letters use the default letterhead (the signature 'The Scheme Coordinator')"


@pytest.fixture
def undescribed(demo_db, demo_cohort_id):
    """The demo's matches, with the first active match's mentor stripped of the free-text description."""
    add_matches(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        match = s.scalars(select(Match).where(Match.status == "active").order_by(Match.id)).first()
        person = s.get(Participant, match.mentor_id)
        person.experience = ""
        return match.id, f"{person.title} {person.first_name} {person.last_name}".strip(), person.job_title


def test_cli_warns_once_about_the_default_letterhead_and_still_writes_the_letters(
    demo_db, db_path, undescribed, tmp_path, capsys
):
    match_id, name, job = undescribed
    out = tmp_path / "letters.pdf"
    assert main(["--db", db_path, "export", "letters", "--match", str(match_id), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        "Warning: the letters use the default letterhead (the society name 'Mentoring Scheme' and the signature "
        "'The Scheme Coordinator'); set your society's name and coordinator with 'letterhead --society NAME "
        "--coordinator NAME' (or in the window: Letters & roster, Letterhead tab) before sending them."
    ]
    # The command the warning names does it: the next letters are signed by the society's coordinator.
    assert (
        main(
            [
                "--db",
                db_path,
                "letterhead",
                "--society",
                "Society of Occupational Medicine",
                "--coordinator",
                "Dr Jane Fry",
                "--address",
                "Hamilton House\\n2 Marchmont Street",
            ]
        )
        == 0
    )
    assert "Saved the letterhead" in capsys.readouterr().out
    again = tmp_path / "again.pdf"
    assert main(["--db", db_path, "export", "letters", "--match", str(match_id), "-o", str(again)]) == 0
    assert "Warning:" not in capsys.readouterr().err
    signed = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(again).pages)
    assert "Dr Jane Fry" in signed and "Society of Occupational Medicine" in signed and "2 Marchmont Street" in signed
    assert main(["--db", db_path, "letterhead", "--first-meeting-days", "0"]) == 2
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(out).pages)
    assert f"About your mentor: {name} is" in text and job.split()[0] in text
    assert "(not described)" not in text

    with demo_db.transaction() as s:
        save_letterhead(s, Letterhead(society_name="Northfield Therapy Society", coordinator_name="Jo Birch"))
    assert main(["--db", db_path, "export", "letters", "--match", str(match_id), "-o", str(out), "--replace"]) == 0
    assert "Warning" not in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_one_letter_renders_to_an_image(demo_db, db_path, undescribed, tmp_path):
    match_id, _name, _job = undescribed
    out = tmp_path / "one.pdf"
    assert (
        main(["--db", db_path, "export", "letters", "--match", str(match_id), "--side", "mentee", "-o", str(out)]) == 0
    )
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 5_000


def test_letters_name_only_what_is_known_of_a_post_and_a_telephone():
    """No '(no telephone number given)' and no dangling 'at' when a form asked for neither."""
    bare = LetterMatch(id=4, status="confirmed", mentee=mentee(), mentor=mentor(email="gwen@example.org"))
    to_mentee = text_of(compose(bare, "mentee", default_template(), COHORT, Letterhead(), DAY))
    to_mentor = text_of(compose(bare, "mentor", default_template(), COHORT, Letterhead(), DAY))
    assert "Your mentor is Ms Gwen Ashdown." in to_mentee
    assert "please contact Gwen (gwen@example.org) to introduce yourself" in to_mentee
    assert "introduce your mentee, Mr Kofi Adjei." in to_mentor
    assert "contact you, from kofi@example.net, to arrange" in to_mentor
    for text in (to_mentee, to_mentor):
        assert "(no telephone" not in text and " at ." not in text and ", ." not in text

    known = LetterMatch(
        id=5,
        status="confirmed",
        mentee=mentee(phone="07700 900123", organisation="Fenland Care"),
        mentor=mentor(email="gwen@example.org", phone="01632 960001", job_title="Ergonomist", organisation="Arden"),
    )
    to_mentee = text_of(compose(known, "mentee", default_template(), COHORT, Letterhead(), DAY))
    to_mentor = text_of(compose(known, "mentor", default_template(), COHORT, Letterhead(), DAY))
    assert "Your mentor is Ms Gwen Ashdown, Ergonomist at Arden." in to_mentee
    assert "(gwen@example.org or 01632 960001)" in to_mentee
    assert "introduce your mentee, Mr Kofi Adjei, of Fenland Care." in to_mentor
    assert "from kofi@example.net or 07700 900123," in to_mentor
