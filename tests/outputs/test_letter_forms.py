"""The letterhead, the signature and the footer are drawn once per PDF as form XObjects on every page (issue 19)."""

from __future__ import annotations

import pypdf

from mentorapp.outputs.letters import export_letters
from tests.support.outputs_data import add_matches


def test_the_logo_is_one_image_inside_one_form_shown_on_every_page(demo_db, demo_cohort_id, tmp_path) -> None:
    add_matches(demo_db, demo_cohort_id)
    out = tmp_path / "letters.pdf"
    with demo_db.session() as s:
        result = export_letters(s, demo_cohort_id, path=out)
    reader = pypdf.PdfReader(out)
    assert result.pages == len(reader.pages) >= 4
    forms, images = set(), set()
    for page in reader.pages:
        text = " ".join(page.extract_text().split())
        assert text.startswith("Mentoring Scheme") and "Private and confidential" in text
        assert "Yours sincerely, The Scheme Coordinator" in text
        for ref in page["/Resources"]["/XObject"].values():
            form = ref.get_object()
            assert form["/Subtype"] == "/Form"  # no image drawn on a page itself
            forms.add(ref.idnum)
            inner = form.get("/Resources", {}).get("/XObject") or {}
            images |= {r.idnum for r in inner.values() if r.get_object()["/Subtype"] == "/Image"}
    # Every page shows the same three forms (letterhead, signature, footer); the logo is one image in the file.
    assert len(forms) == 3
    assert len(images) == 1
