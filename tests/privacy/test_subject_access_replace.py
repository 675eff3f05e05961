"""Subject access never writes over an earlier export without saying so."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentorapp import privacy
from mentorapp.cli.main import main
from mentorapp.errors import UserError
from mentorapp.store.models import Participant

pytestmark = pytest.mark.sqlite_only


def test_an_earlier_export_is_refused_unless_replaced(demo_db, tmp_path, capsys):
    with demo_db.session() as s:
        first, second = s.scalars(select(Participant.email).order_by(Participant.id).limit(2)).all()
    out = tmp_path / "out"
    with demo_db.transaction() as s:
        privacy.write_subject_access(s, first, out / "request")
    earlier = (out / "request.json").read_bytes()
    # The JSON alone, the PDF alone, or both there: refused, nothing changed.
    (out / "other.pdf").write_bytes(b"someone's own file")
    for name in ("request", "request.pdf", "other"):
        with demo_db.transaction() as s, pytest.raises(UserError, match="already exist"):
            privacy.write_subject_access(s, second, out / name)
    assert (out / "request.json").read_bytes() == earlier
    assert (out / "other.pdf").read_bytes() == b"someone's own file" and not (out / "other.json").exists()
    path = demo_db.path
    demo_db.dispose()
    assert main(["--db", str(path), "subject-access", second, "-o", str(out / "request")]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["--db", str(path), "subject-access", second, "-o", str(out / "request"), "--replace"]) == 0
    assert (out / "request.json").read_bytes() != earlier
    assert sorted(p.name for p in out.iterdir()) == ["other.pdf", "request.json", "request.pdf"]
