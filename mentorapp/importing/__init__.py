"""Importing applications from the spreadsheets and CSV files online forms produce.

``fields`` recognises the columns, ``values`` reads the answers, ``plan`` makes
the dry run and applies it in one transaction, ``template`` writes the
application spreadsheet. The file readers live in :mod:`mentorapp.importing.readers`.
"""

from mentorapp.importing.fields import IGNORE, LABELS, TARGETS, auto_map, mapping_problems
from mentorapp.importing.plan import (
    DUPLICATE_POLICIES,
    ImportCancelledError,
    ImportOptions,
    ImportPlan,
    ImportRefusedError,
    ImportResult,
    PlannedRow,
    Problem,
    apply_plan,
    build_plan,
    load_mapping_file,
    preview,
    saved_settings,
    suggest_mapping,
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
