"""Cohorts, participants, goals, expertise, matches and excluded pairs

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="recruiting", nullable=False),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('recruiting', 'matching', 'running', 'evaluating', 'closed')",
            name=op.f("ck_cohort_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort")),
        sa.UniqueConstraint("name", name=op.f("uq_cohort_name")),
    )

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("job_title", sa.String(length=300), nullable=False),
        sa.Column("career_stage", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("membership_number", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), server_default="1", nullable=False),
        sa.Column("availability", sa.String(length=500), nullable=False),
        sa.Column(
            "meeting_preference",
            sa.String(length=20),
            server_default="either",
            nullable=False,
        ),
        sa.Column("experience", sa.Text(), nullable=False),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('mentee', 'mentor', 'both')", name=op.f("ck_participant_role")),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_participant_capacity")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_participant_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("cohort_id", "email", name="uq_participant_cohort_email"),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "excluded_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("mentor_id <> mentee_id", name=op.f("ck_excluded_pair_not_self")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_excluded_pair_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["participant.id"],
            name=op.f("fk_excluded_pair_mentee_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["participant.id"],
            name=op.f("fk_excluded_pair_mentor_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_excluded_pair")),
        sa.UniqueConstraint("mentor_id", "mentee_id", name="uq_excluded_pair_mentor_mentee"),
    )
    with op.batch_alter_table("excluded_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_excluded_pair_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "expertise",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("focus_area", sa.String(length=100), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.CheckConstraint("years >= 0", name=op.f("ck_expertise_years")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_expertise_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expertise")),
        sa.UniqueConstraint("participant_id", "focus_area", name="uq_expertise_participant_area"),
    )
    with op.batch_alter_table("expertise", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expertise_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("horizon", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("focus_areas", sa.JSON(), nullable=False),
        sa.CheckConstraint("horizon IN ('short', 'medium', 'long')", name=op.f("ck_goal_horizon")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_goal_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
        sa.UniqueConstraint("participant_id", "horizon", name="uq_goal_participant_horizon"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="proposed", nullable=False),
        sa.Column("end_reason", sa.String(length=500), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("override_same_org", sa.Boolean(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("letter_sent_on", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'confirmed', 'active', 'completed', 'ended_early')",
            name=op.f("ck_match_status"),
        ),
        sa.CheckConstraint("mentor_id <> mentee_id", name=op.f("ck_match_not_self")),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_match_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["participant.id"],
            name=op.f("fk_match_mentee_id_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["participant.id"],
            name=op.f("fk_match_mentor_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match")),
    )
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            "uq_match_current_mentee",
            ["mentee_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('proposed', 'confirmed', 'active')"),
            postgresql_where=sa.text("status IN ('proposed', 'confirmed', 'active')"),
        )


def downgrade() -> None:
    op.drop_table("match")
    op.drop_table("goal")
    op.drop_table("expertise")
    op.drop_table("excluded_pair")
    op.drop_table("participant")
    op.drop_table("cohort")
