"""The application template offers the cohort's own career stages and regions in its drop-downs."""

from __future__ import annotations

from openpyxl import load_workbook

from mentorapp.importing.template import write_template


def _column(sheet, name: str) -> list[str]:
    headers = [c.value for c in sheet[1]]
    col = headers.index(name) + 1
    return [
        sheet.cell(row=r, column=col).value for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=col).value
    ]


def test_template_lists_are_the_cohorts_own(tmp_path):
    ladder = ["Student paramedic", "Paramedic", "Specialist paramedic", "Consultant paramedic"]
    path = write_template(
        tmp_path / "paramedics.xlsx",
        ["Pre-hospital care", "Education"],
        career_stages=ladder,
        regions=["Highlands", "Islands"],
    )
    lists = load_workbook(path)["Lists"]
    assert _column(lists, "career_stage") == ladder  # in the cohort's order, junior first
    assert _column(lists, "region") == ["Highlands", "Islands"]
    assert _column(lists, "focus") == ["Pre-hospital care", "Education"]
