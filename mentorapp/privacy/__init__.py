"""Data-protection duties: erase a person, anonymise a cohort, answer a subject access request, retention.

Erasing removes the participant and everything that hangs off them (goals,
expertise, matches, exclusions, evaluations) and rewrites the activity log so
their name and email no longer appear in it. Anonymising a cohort replaces
names, contact details and free text but keeps roles, career stages, regions,
focus areas, matches and ratings, so the evaluation statistics survive.
A subject access export gathers everything held about one email address.

The modules: :mod:`.scrub` (finding a person's text), :mod:`.erase`,
:mod:`.anonymise` (with retention) and :mod:`.subject_access`; their public
names are here, so callers write ``privacy.erase_participant``.
"""

from __future__ import annotations

from mentorapp.privacy.anonymise import (
    DEFAULT_RETENTION_MONTHS,
    RETENTION_KEY,
    AnonymisationSummary,
    anonymise_cohort,
    cohort_retention_months,
    cohorts_due_for_anonymising,
    is_anonymised,
    retention_months,
    set_retention_months,
)
from mentorapp.privacy.erase import ErasureSummary, erase_participant, find_by_email
from mentorapp.privacy.scrub import ERASED
from mentorapp.privacy.subject_access import (
    subject_access_data,
    subject_access_paths,
    subject_access_pdf,
    write_subject_access,
)

__all__ = [
    "DEFAULT_RETENTION_MONTHS",
    "ERASED",
    "RETENTION_KEY",
    "AnonymisationSummary",
    "ErasureSummary",
    "anonymise_cohort",
    "cohort_retention_months",
    "cohorts_due_for_anonymising",
    "erase_participant",
    "find_by_email",
    "is_anonymised",
    "retention_months",
    "set_retention_months",
    "subject_access_data",
    "subject_access_paths",
    "subject_access_pdf",
    "write_subject_access",
]
