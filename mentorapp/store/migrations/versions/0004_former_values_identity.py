"""A participant's former names and contact details; each database knows its own identity

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

``former_value`` keeps, by participant id, every name, email and phone a
participant had before it was changed (an import updating a duplicate renames
people), so that erasing them finds log lines written under an old name.
``app_setting['database_id']`` is a random identity copied into every backup,
so a backup can be told from a file the application did not make.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "former_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_former_value_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_former_value")),
    )
    op.create_index(op.f("ix_former_value_participant_id"), "former_value", ["participant_id"], unique=False)
    setting = sa.table("app_setting", sa.column("key", sa.String), sa.column("value", sa.JSON))
    bind = op.get_bind()
    if bind.execute(sa.select(setting.c.key).where(setting.c.key == "database_id")).first() is None:
        op.bulk_insert(setting, [{"key": "database_id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.execute("DELETE FROM app_setting WHERE key = 'database_id'")
    op.drop_index(op.f("ix_former_value_participant_id"), table_name="former_value")
    op.drop_table("former_value")
