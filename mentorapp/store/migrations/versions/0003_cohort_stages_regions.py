"""A cohort keeps its own ordered career stages and its own regions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Existing cohorts get the lists the application used to build in (the
stages junior to senior, as the matcher ranked them), so their matching and
their participants' answers stay exactly as they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copied, not imported: a migration must keep doing what it did when the defaults change.
CAREER_STAGES = [
    "Student or foundation",
    "Specialty trainee",
    "Early career specialist",
    "Established practitioner",
    "Consultant or senior practitioner",
    "Senior leader",
]
REGIONS = [
    "London",
    "South East",
    "South West",
    "East of England",
    "Midlands",
    "North West",
    "North East and Yorkshire",
    "Scotland",
    "Wales",
    "Northern Ireland",
]


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN, never a batch copy of the table: on SQLite a copy drops the old
    # cohort table, and with foreign keys on that would cascade-delete every participant.
    op.add_column("cohort", sa.Column("career_stages", sa.JSON(), server_default="[]", nullable=False))
    op.add_column("cohort", sa.Column("regions", sa.JSON(), server_default="[]", nullable=False))
    cohort = sa.table("cohort", sa.column("career_stages", sa.JSON()), sa.column("regions", sa.JSON()))
    op.execute(cohort.update().values(career_stages=CAREER_STAGES, regions=REGIONS))


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), for the same reason: no copy of the cohort table.
    op.drop_column("cohort", "regions")
    op.drop_column("cohort", "career_stages")
