"""The running scheme: the meeting log, check-in answers, chase marks, who ended a pair

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

``meeting`` holds dated meetings of a pair as the coordinator logged them;
``checkin_answer`` one person's answer to one check-in about their pair (a
reported count of meetings for that period, never turned into dated meetings);
``chase_mark`` the days the coordinator reminded someone; ``match.ended_by``
says who ended a pair early (mentee, mentor or coordinator). New tables and a
new nullable column only: every earlier row stays as it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("match") as batch:
        batch.add_column(sa.Column("ended_by", sa.String(length=20), nullable=True))
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("reported_by", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("mode IN ('in-person', 'video', 'phone')", name=op.f("ck_meeting_mode")),
        sa.CheckConstraint("reported_by IN ('mentee', 'mentor', 'coordinator')", name=op.f("ck_meeting_reported_by")),
        sa.CheckConstraint("minutes IS NULL OR minutes > 0", name=op.f("ck_meeting_minutes")),
        _fk("meeting", "cohort_id", "cohort"),
        _fk("meeting", "match_id", "match"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index("ix_meeting_cohort_match_held", "meeting", ["cohort_id", "match_id", "held_on"], unique=False)
    op.create_index("ix_meeting_match_held", "meeting", ["match_id", "held_on"], unique=False)
    op.create_table(
        "checkin_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_on", sa.Date(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("times", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("wants_contact", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name=op.f("ck_checkin_answer_rating")),
        sa.CheckConstraint("times IS NULL OR times >= 0", name=op.f("ck_checkin_answer_times")),
        _fk("checkin_answer", "cohort_id", "cohort"),
        _fk("checkin_answer", "match_id", "match"),
        _fk("checkin_answer", "participant_id", "participant"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_answer")),
        sa.UniqueConstraint("participant_id", "match_id", "checkpoint_on", name=op.f("uq_checkin_answer_participant")),
    )
    for column in ("cohort_id", "match_id", "participant_id"):
        op.create_index(op.f(f"ix_checkin_answer_{column}"), "checkin_answer", [column], unique=False)
    op.create_table(
        "chase_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("about", sa.String(length=20), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "about IN ('first-meeting', 'check-in', 'evaluation', 'at-risk')", name=op.f("ck_chase_mark_about")
        ),
        _fk("chase_mark", "cohort_id", "cohort"),
        _fk("chase_mark", "participant_id", "participant"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chase_mark")),
    )
    for column in ("cohort_id", "participant_id"):
        op.create_index(op.f(f"ix_chase_mark_{column}"), "chase_mark", [column], unique=False)


def downgrade() -> None:
    op.drop_table("chase_mark")
    op.drop_table("checkin_answer")
    op.drop_table("meeting")
    with op.batch_alter_table("match") as batch:
        batch.drop_column("ended_by")
