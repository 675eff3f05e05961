"""Importing applications from the spreadsheets and CSV files online forms produce.

``fields`` recognises the columns, ``values`` reads the answers, ``mapping``
suggests and remembers which column is which field, ``plan`` makes the dry run
(``row_reader`` reads each row, ``plan_data`` holds the plan), ``apply`` writes it
in one transaction, ``template`` writes the application spreadsheet. The file
readers live in :mod:`mentorapp.importing.readers`.
"""

from mentorapp.importing.apply import apply_plan
from mentorapp.importing.fields import IGNORE, LABELS, TARGETS, auto_map, mapping_problems
from mentorapp.importing.mapping import load_mapping_file, saved_settings, suggest_mapping
from mentorapp.importing.plan import build_plan, preview
from mentorapp.importing.plan_data import (
    DUPLICATE_POLICIES,
    ImportCancelledError,
    ImportOptions,
    ImportPlan,
    ImportRefusedError,
    ImportResult,
    PlannedRow,
    Problem,
)

__all__ = [
    "DUPLICATE_POLICIES",
    "IGNORE",
    "LABELS",
    "TARGETS",
    "ImportCancelledError",
    "ImportOptions",
    "ImportPlan",
    "ImportRefusedError",
    "ImportResult",
    "PlannedRow",
    "Problem",
    "apply_plan",
    "auto_map",
    "build_plan",
    "load_mapping_file",
    "mapping_problems",
    "preview",
    "saved_settings",
    "suggest_mapping",
]
