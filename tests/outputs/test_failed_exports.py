"""An export that fails midway leaves no file behind, neither a part nor a temporary one,
and an earlier export of the same name survives it unchanged."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from mentorapp import privacy
from mentorapp.evaluation import forms
from mentorapp.outputs import safe_text
from mentorapp.outputs.files import atomic_paths
from mentorapp.outputs.roster_files import export_roster
from mentorapp.store import audit
from mentorapp.store.models import AuditEvent, Participant


class MidwayError(Exception):
    """The failure the test injects."""


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "exports"  # the test database lives in tmp_path
    folder.mkdir()
    return folder


def _listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _exports(db) -> int:
    with db.session() as s:
        return len(s.scalars(select(AuditEvent.id).where(AuditEvent.action.like("%export%"))).all())


@pytest.fixture
def email(demo_db) -> str:
    with demo_db.session() as s:
        return s.scalars(select(Participant.email).order_by(Participant.id)).first()


def test_subject_access_failing_after_the_json_leaves_neither_file(demo_db, email, tmp_path, monkeypatch):
    out = tmp_path / "out"
    with demo_db.transaction() as s:
        privacy.write_subject_access(s, email, out / "earlier")
    earlier = {name: (out / name).read_bytes() for name in _listing(out)}
    assert sorted(earlier) == ["earlier.json", "earlier.pdf"]

    def broken_pdf(data):
        raise MidwayError("the PDF could not be made")

    monkeypatch.setattr("mentorapp.privacy.subject_access.subject_access_pdf", broken_pdf)
    for name in ("request", "earlier"):  # a new pair, and over the earlier pair
        with demo_db.transaction() as s, pytest.raises(MidwayError):
            privacy.write_subject_access(s, email, out / name, replace=True)
    assert _listing(out) == ["earlier.json", "earlier.pdf"]
    assert {name: (out / name).read_bytes() for name in _listing(out)} == earlier


def test_an_evaluation_form_failing_while_saved_leaves_nothing(demo_db, demo_cohort_id, out, monkeypatch):
    before = _exports(demo_db)
    with demo_db.transaction() as s:
        forms.write_evaluation_form(s, demo_cohort_id, "baseline", out / "form.xlsx")
    assert _exports(demo_db) == before + 1  # recorded
    original = (out / "form.xlsx").read_bytes()
    real_save = forms.Workbook.save

    def save_half(wb, filename):
        real_save(wb, filename)
        with open(filename, "r+b") as fh:
            fh.truncate(os.path.getsize(filename) // 2)
        raise MidwayError("the disk filled up")

    monkeypatch.setattr(forms.Workbook, "save", save_half)
    for name in ("form.xlsx", "other.xlsx"):
        with demo_db.transaction() as s, pytest.raises(MidwayError):
            forms.write_evaluation_form(s, demo_cohort_id, "six_month", out / name)
    assert _listing(out) == ["form.xlsx"]
    assert (out / "form.xlsx").read_bytes() == original
    assert _exports(demo_db) == before + 1  # a failed export is not recorded as written


def test_a_roster_csv_failing_after_some_rows_leaves_nothing(demo_db, demo_cohort_id, out, monkeypatch):
    calls = {"n": 0}
    real = safe_text.csv_text

    def fail_after_a_few(value, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 30:
            raise MidwayError("a value could not be written")
        return real(value, *args, **kwargs)

    monkeypatch.setattr(safe_text, "csv_text", fail_after_a_few)
    with demo_db.session() as s, pytest.raises(MidwayError):
        export_roster(s, demo_cohort_id, out / "mentees.csv", sheet="Mentees")
    assert calls["n"] > 30 and _listing(out) == []


def test_a_group_of_files_is_moved_into_place_together_or_not_at_all(out):
    a, b = out / "a.json", out / "b.pdf"
    with pytest.raises(MidwayError), atomic_paths([a, b]) as (ta, tb):
        ta.write_text("first")
        raise MidwayError("before the second")
    assert _listing(out) == []
    # The second cannot be moved into place (a folder holds its name): the first, new, is removed again.
    b.mkdir()
    with pytest.raises(OSError), atomic_paths([a, b]) as (ta, tb):
        ta.write_text("first")
        tb.write_text("second")
    assert _listing(out) == ["b.pdf"] and b.is_dir()
    b.rmdir()
    with atomic_paths([a, b]) as (ta, tb):
        ta.write_text("first")
        tb.write_text("second")
    assert a.read_text() == "first" and b.read_text() == "second"
    assert (a.stat().st_mode & 0o777) == 0o600 and (b.stat().st_mode & 0o777) == 0o600


def test_an_export_refused_by_the_log_writes_no_form(demo_db, demo_cohort_id, out, monkeypatch):
    def refuse(where):
        raise audit.ExportRefusedError("refused: the activity log cannot record it")

    monkeypatch.setattr(audit, "check_export_allowed", refuse)
    with demo_db.transaction() as s, pytest.raises(audit.ExportRefusedError):
        forms.write_evaluation_form(s, demo_cohort_id, "baseline", out / "form.xlsx")
    assert _listing(out) == []
