"""Per-person files: names unique by construction, earlier exports never silently mixed in or
replaced, and a failed export leaves none of its files."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorapp.cli.main import main
from mentorapp.errors import UserError
from mentorapp.outputs import letters as letters_module
from mentorapp.outputs.files import MANIFEST, EarlierExportsError, earlier_exports, folder_export, person_filename
from mentorapp.outputs.letters import export_letters, list_letter_matches
from mentorapp.store.models import Participant
from tests.support.outputs_data import add_matches

pytestmark = pytest.mark.sqlite_only

DAY = dt.date(2021, 9, 6)


def _folded(name: str) -> str:
    """How a case-insensitive, accent-folding file system might compare two names."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


NAMES = st.one_of(
    st.text(max_size=400),
    st.sampled_from(["Zoë O'Brien", "zoe obrien", "ZOË O’BRIEN", "Zoe O-Brien", "", " ", "...", "CON", "a/b\\c:d"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NAMES, st.integers(1, 2**63 - 1)), min_size=2, max_size=20, unique_by=lambda t: t[1]))
def test_person_file_names_are_unique_by_construction(people):
    names = [person_filename(label, pid) for label, pid in people]
    assert len({_folded(n) for n in names}) == len(people)
    for (_label, pid), name in zip(people, names):
        assert name.endswith(f" {pid}.pdf") and len(name.encode()) <= 255
        assert "/" not in name and "\\" not in name and "\x00" not in name


def test_a_long_name_in_any_script_fits_and_keeps_what_tells_its_files_apart():
    """A 200-emoji name made 'File name too long'; an 86-letter one lost ' pair N', so a mentor's drafts collided."""
    name = person_filename("😀" * 200 + " " + "Ω" * 200, 41)
    assert len(name.encode()) <= 255 and name.endswith("😀 41.pdf")
    one, two = (person_filename("A" * 86, 5, ".eml", detail=f" pair {n}") for n in (98, 99))
    assert one != two and one.endswith(" pair 98 5.eml")
    # Direction overrides and invisible marks never reach a file name (it would show reversed).
    assert person_filename("\u202eNakamura\u200b Aiko", 7) == "Nakamura Aiko 7.pdf"


def test_a_folder_export_refuses_clears_or_keeps_earlier_files(tmp_path):
    folder = tmp_path / "letters"
    with folder_export(folder, ["a 1.pdf", "b 2.pdf"]) as temps:
        for t in temps:
            t.write_text("first")
    (folder / "notes.txt").write_text("the coordinator's own")
    assert sorted(p.name for p in earlier_exports(folder)) == ["a 1.pdf", "b 2.pdf"]
    with pytest.raises(EarlierExportsError, match="2 files from an earlier export"), folder_export(folder, ["c 3.pdf"]):
        pytest.fail("refused before writing")
    with folder_export(folder, ["c 3.pdf", "a 1.pdf"], earlier="keep") as temps:
        for t in temps:
            t.write_text("second")
    assert sorted(p.name for p in earlier_exports(folder)) == ["a 1.pdf", "b 2.pdf", "c 3.pdf"]
    assert (folder / "a 1.pdf").read_text() == "second" and (folder / "b 2.pdf").read_text() == "first"
    with folder_export(folder, ["d 4.pdf"], earlier="clear") as temps:
        temps[0].write_text("third")
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, "d 4.pdf", "notes.txt"]
    # A file of a new name that no export wrote is never replaced, whatever the choice.
    (folder / "e 5.pdf").write_text("not ours")
    for choice in ("clear", "keep"):
        with (
            pytest.raises(UserError, match="no mentorapp export wrote it"),
            folder_export(folder, ["e 5.pdf"], earlier=choice),
        ):
            pytest.fail("refused before writing")
    assert (folder / "e 5.pdf").read_text() == "not ours" and (folder / "d 4.pdf").exists()
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_a_manifest_never_points_outside_its_folder(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    outside = tmp_path / "precious.pdf"
    outside.write_text("keep me")
    (folder / MANIFEST).write_text('{"files": ["../precious.pdf", "/etc/passwd", 3]}')
    assert earlier_exports(folder) == []
    with folder_export(folder, ["a 1.pdf"], earlier="clear") as temps:
        temps[0].write_text("x")
    assert outside.read_text() == "keep me"


# --- letters, one file per participant -------------------------------------------------------


@pytest.fixture
def same_names(demo_db, demo_cohort_id):
    """Matched letter recipients whose names collide in every way a file system could confuse."""
    add_matches(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        matches = list_letter_matches(s, demo_cohort_id, None)
        ids = sorted({m.mentee.id for m in matches} | {m.mentor.id for m in matches})
        names = [
            ("Zoë", "O'Brien"),
            ("Zoë", "O'Brien"),
            ("zoe", "obrien"),
            ("ZOË", "O’BRIEN"),
            ("Zoe", "O-Brien"),
            ("Zoë" * 100, "O'Brien" * 60),
            ("Zoë" * 100, "O'Brien" * 60),
        ]
        for pid, (first, last) in zip(ids, names):
            person = s.get(Participant, pid)
            person.first_name, person.last_name = first, last
    return ids


def test_letters_of_people_with_colliding_names_each_get_their_own_file(demo_db, demo_cohort_id, same_names, tmp_path):
    folder = tmp_path / "letters"
    with demo_db.session() as s:
        result = export_letters(s, demo_cohort_id, out_dir=folder, statuses=None, letter_date=DAY)
    files = [p for p in folder.iterdir() if p.name != MANIFEST]
    assert len(files) == len(same_names) == len(result.files) == len(set(result.files))
    assert len({_folded(p.name) for p in files}) == len(files)
    for pid in same_names:
        assert sum(p.name.endswith(f" {pid}.pdf") for p in files) == 1


def test_a_second_letters_export_into_the_same_folder_says_so(demo_db, demo_cohort_id, tmp_path, capsys):
    add_matches(demo_db, demo_cohort_id)
    folder = tmp_path / "letters"
    with demo_db.session() as s:
        first = export_letters(s, demo_cohort_id, out_dir=folder, statuses=None, letter_date=DAY)
    with demo_db.session() as s, pytest.raises(EarlierExportsError):
        export_letters(s, demo_cohort_id, out_dir=folder, statuses=["confirmed"], letter_date=DAY)
    assert sorted(p for p in folder.iterdir() if p.name != MANIFEST) == sorted(first.files)
    path = demo_db.path
    demo_db.dispose()
    args = ["--db", str(path), "export", "letters", "--status", "confirmed", "--out-dir", str(folder)]
    assert main(args) == 1
    assert "--replace" in capsys.readouterr().err
    assert main([*args, "--replace"]) == 0
    capsys.readouterr()
    now = [p for p in folder.iterdir() if p.name != MANIFEST]
    assert 0 < len(now) < len(first.files)  # only the confirmed matches' letters: the earlier ones are gone


def test_a_letters_export_failing_midway_leaves_no_file(demo_db, demo_cohort_id, tmp_path, monkeypatch):
    add_matches(demo_db, demo_cohort_id)
    folder = tmp_path / "letters"
    calls = {"n": 0}
    real = letters_module.render_letters

    def fail_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(letters_module, "render_letters", fail_on_the_third)
    with demo_db.session() as s, pytest.raises(OSError):
        export_letters(s, demo_cohort_id, out_dir=folder, statuses=None, letter_date=DAY)
    assert calls["n"] == 3 and list(folder.iterdir()) == []
