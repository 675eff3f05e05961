"""Chase e-mails: templates checked at save time, one RFC 5322 draft per person, attachments, marking as chased."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from urllib.parse import unquote

import pytest

from mentorapp.errors import UserError
from mentorapp.matching.actions import undo_change
from mentorapp.running.chase import (
    all_addresses,
    chase_list,
    last_chased,
    mailto_url,
    make_drafts,
    mark_chased,
    write_drafts,
)
from mentorapp.running.chase_templates import (
    ChaseTemplate,
    ChaseTemplateError,
    load_chase_template,
    save_chase_template,
)
from mentorapp.running.checkins import CheckinData, save_checkin_answer
from mentorapp.running.settings import load_running_settings, save_running_settings

TODAY = dt.date(2024, 3, 1)
DAY30 = dt.date(2024, 2, 14)


def test_a_template_with_an_unknown_placeholder_is_refused_at_save_time_with_its_name(running):
    bad = ChaseTemplate("Hello {recipient_first_name}", "Dear {recipient_first_name}, see {mentor_phone}.")
    with (
        running.db.transaction() as s,
        pytest.raises(ChaseTemplateError, match=r"Unknown placeholder \{mentor_phone\} in the text"),
    ):
        save_chase_template(s, running.cohort_id, "first-meeting", bad)
    with running.db.transaction() as s:
        good = ChaseTemplate("Meeting {partner_first_name}?", "Hi {recipient_first_name}\n{signature}", False)
        save_chase_template(s, running.cohort_id, "first-meeting", good)
        assert load_chase_template(s, running.cohort_id, "first-meeting") == good
        assert load_chase_template(s, running.cohort_id, "check-in").attach_form  # still the default
    with running.db.transaction() as s, pytest.raises(UserError, match="not a list to chase"):
        load_chase_template(s, running.cohort_id, "holiday")


def test_first_meeting_drafts_one_per_person_utf8_marked_unsent(running, tmp_path):
    db = running.db
    with db.transaction() as s:
        settings = load_running_settings(s, running.cohort_id)
        settings.sender_name, settings.sender_email, settings.signature = (
            "Øyvind Brænne",
            "scheme@society.test",
            "Øyvind\nScheme office",
        )
        save_running_settings(s, running.cohort_id, settings)
    with db.session() as s:
        items = chase_list(s, running.cohort_id, "first-meeting", TODAY)
        drafts = make_drafts(s, running.cohort_id, "first-meeting", items)
        files = write_drafts(s, running.cohort_id, "first-meeting", drafts, tmp_path / "drafts")
    # Every pair is flagged (nobody met): each person once per pair; Esther has two pairs, so two drafts.
    assert sorted(i.person.name for i in items) == sorted(
        ["Zoë Ørsted", "Esther Achterberg", "Brian Okonkwo-Smith", "Esther Achterberg", "Cleo Nnamdi", "Femi Adeyemi"]
    )
    assert len(files) == 6 and all(p.suffix == ".eml" for p in files)
    zoe = next(p for p in files if p.name.startswith("Ørsted Zoë"))
    msg = email.message_from_bytes(zoe.read_bytes(), policy=policy.default)
    assert msg["X-Unsent"] == "1" and msg["To"].addresses[0].display_name == "Zoë Ørsted"
    assert msg["From"].addresses[0].addr_spec == "scheme@society.test"
    body = msg.get_body(("plain",)).get_content()
    assert "Dear Zoë," in body and "Esther Achterberg" in body and body.rstrip().endswith("Scheme office")
    assert "Brian" not in body and "Cleo" not in body  # only what concerns them and their partner
    started = next(i for i in items if i.person.name == "Zoë Ørsted").started_on
    assert f"started on {started.day} {started:%B %Y}." in body and started.isoformat() not in body
    url = mailto_url(next(d for d in drafts if d.item.person.name == "Zoë Ørsted"))
    assert url.startswith("mailto:zoe.orsted@northern.test?subject=") and "Dear Zo" in unquote(url)
    assert all_addresses(items).count("esther.achterberg@northern.test") == 1


def test_check_in_drafts_carry_the_persons_own_form_and_never_anyones_answers(running, tmp_path):
    db = running.db
    with db.transaction() as s:
        save_checkin_answer(
            s,
            CheckinData(running.pid("Esther"), running.pairs["Zoë"], DAY30, rating=1, comment="Zoë never replies"),
            today=TODAY,
        )
    with db.session() as s:
        items = chase_list(s, running.cohort_id, "check-in", TODAY)
        drafts = make_drafts(s, running.cohort_id, "check-in", items)
        write_drafts(s, running.cohort_id, "check-in", drafts, tmp_path / "checkin")
    names = sorted(i.person.name for i in items)
    assert names == ["Brian Okonkwo-Smith", "Cleo Nnamdi", "Esther Achterberg", "Femi Adeyemi", "Zoë Ørsted"]
    esther = next(d for d in drafts if d.item.person.name == "Esther Achterberg")
    assert "Brian Okonkwo-Smith" in esther.body  # her unanswered pair; one e-mail for her
    for draft in drafts:
        raw = draft.eml_bytes()
        assert b"never replies" not in raw
        assert [a.filename.endswith(".xlsx") for a in draft.attachments] == [True]
    with pytest.raises(UserError, match="already holds"), db.session() as s:
        write_drafts(s, running.cohort_id, "check-in", drafts, tmp_path / "checkin")


def test_marking_people_as_chased_is_dated_and_undoable(running):
    with running.db.transaction() as s:
        change = mark_chased(s, running.cohort_id, [running.pid("Zoë"), running.pid("Zoë")], "first-meeting", TODAY)
    with running.db.session() as s:
        assert last_chased(s, running.cohort_id) == {running.pid("Zoë"): TODAY}
    with running.db.transaction() as s:
        undo_change(s, change)
    with running.db.session() as s:
        assert last_chased(s, running.cohort_id) == {}


def test_a_mentor_with_three_mentees_is_written_to_about_them_as_a_list():
    """'with A and B and C' read badly; the check-in e-mail also promised five questions for a form of six."""
    import datetime as dt

    from mentorapp.running.chase import ChaseItem, template_values
    from mentorapp.running.chase_templates import DEFAULTS
    from mentorapp.running.people import PersonRef
    from mentorapp.running.settings import Sender
    from mentorapp.store.models import Cohort
    from mentorapp.words import listing

    assert [listing(x) for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == ["", "A", "A and B", "A, B and C"]
    mentees = tuple(PersonRef(i, f"Dr {n} Li", f"{n}@x.test", "mentee", n, "Li") for i, n in enumerate("ABC"))
    mentor = PersonRef(9, "Esther Achterberg", "e@x.test", "mentor", "Esther", "Achterberg")
    item = ChaseItem(mentor, mentees[0], "mentor", 1, dt.date(2024, 1, 15), "", partners=mentees)
    cohort = Cohort(name="Northern pilot 2024", start_date=dt.date(2024, 1, 15), evaluation_date=dt.date(2024, 7, 15))
    values = template_values(cohort, item, Sender("Office", "o@x.test", "Office"), 4)
    assert values["partner_full_name"] == "Dr A Li, Dr B Li and Dr C Li"
    assert values["partner_first_name"] == "A, B and C"
    assert "five" not in DEFAULTS["check-in"]["body"]
