"""People and their memberships of cohorts; exclusions between people, across cohorts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

A ``person`` holds who someone is and how to reach them (title, names, email,
phone, membership number, consent); the ``participant`` table becomes their
membership of one cohort and keeps its ids, so matches, evaluation answers,
forms already sent and the activity log still point at the right rows.
Participants with the same email (any case) in different cohorts become one
person, whose details are taken from their newest membership. Former values
are kept by person; an excluded pair becomes one row per pair of people.

On SQLite the participant, former_value and excluded_pair tables are copied
into their new shape; mentorapp.store.db.upgrade runs this with foreign keys
off and in one transaction, so nothing cascades and a failure changes nothing.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_FIELDS = ("title", "first_name", "last_name", "email", "phone", "membership_number", "consent", "consent_date")


def _person_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=False),
        sa.Column("last_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("membership_number", sa.String(length=50), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("version_id", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table("person", *_person_columns())
    op.create_index(op.f("ix_person_email"), "person", ["email"], unique=False)
    op.add_column("participant", sa.Column("person_id", sa.Integer(), nullable=True))

    old = sa.table("participant", *(sa.column(c) for c in ("id", "person_id", "created_at", *PERSON_FIELDS)))
    person = sa.table("person", *(sa.column(c) for c in ("id", "created_at", "updated_at", *PERSON_FIELDS)))
    rows = bind.execute(sa.select(old).order_by(old.c.id)).mappings().all()
    by_email: dict[str, list[Any]] = {}
    for row in rows:
        by_email.setdefault((row["email"] or "").strip().casefold() or f"#{row['id']}", []).append(row)
    next_id = 1
    for group in by_email.values():
        newest = group[-1]  # the highest id: the latest application
        values = {field: newest[field] for field in PERSON_FIELDS}
        values["consent"] = bool(values["consent"])
        bind.execute(
            person.insert().values(
                id=next_id, created_at=group[0]["created_at"], updated_at=newest["created_at"], **values
            )
        )
        ids = [r["id"] for r in group]
        bind.execute(old.update().where(old.c.id.in_(ids)).values(person_id=next_id))
        next_id += 1
    if bind.dialect.name == "postgresql" and next_id > 1:
        op.execute(f"SELECT setval(pg_get_serial_sequence('person', 'id'), {next_id - 1})")

    # Former values: by person.
    op.add_column("former_value", sa.Column("person_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE former_value SET person_id = "
        "(SELECT participant.person_id FROM participant WHERE participant.id = former_value.participant_id)"
    )
    with op.batch_alter_table("former_value", recreate="auto") as batch:
        batch.drop_index("ix_former_value_participant_id")
        batch.drop_constraint("fk_former_value_participant_id_participant", type_="foreignkey")
        batch.drop_column("participant_id")
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_former_value_person_id_person"), "person", ["person_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(op.f("ix_former_value_person_id"), ["person_id"], unique=False)

    # Excluded pairs: one per pair of people, across cohorts.
    excluded = bind.execute(
        sa.text(
            "SELECT x.cohort_id, x.reason, x.created_at, a.person_id, b.person_id FROM excluded_pair x "
            "JOIN participant a ON a.id = x.mentor_id JOIN participant b ON b.id = x.mentee_id ORDER BY x.id"
        )
    ).all()
    op.drop_table("excluded_pair")
    _create_people_exclusions()
    seen: set[tuple[int, int]] = set()
    table = sa.table(
        "excluded_pair", *(sa.column(c) for c in ("person_a_id", "person_b_id", "cohort_id", "reason", "created_at"))
    )
    for cohort_id, reason, created_at, one, other in excluded:
        key = (min(one, other), max(one, other))
        if one == other or key in seen:
            continue
        seen.add(key)
        bind.execute(
            table.insert().values(
                person_a_id=key[0], person_b_id=key[1], cohort_id=cohort_id, reason=reason, created_at=created_at
            )
        )

    # The participant row becomes the membership.
    with op.batch_alter_table("participant", recreate="auto") as batch:
        batch.drop_constraint("uq_participant_cohort_email", type_="unique")
        for field in PERSON_FIELDS:
            batch.drop_column(field)
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_participant_person_id_person"), "person", ["person_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(op.f("ix_participant_person_id"), ["person_id"], unique=False)
        batch.create_unique_constraint("uq_participant_cohort_person", ["cohort_id", "person_id"])


def _create_people_exclusions() -> None:
    op.create_table(
        "excluded_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_a_id", sa.Integer(), nullable=False),
        sa.Column("person_b_id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("person_a_id < person_b_id", name=op.f("ck_excluded_pair_ordered")),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name=op.f("fk_excluded_pair_cohort_id_cohort"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"], ["person.id"], name=op.f("fk_excluded_pair_person_a_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"], ["person.id"], name=op.f("fk_excluded_pair_person_b_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_excluded_pair")),
        sa.UniqueConstraint("person_a_id", "person_b_id", name="uq_excluded_pair_people"),
    )
    op.create_index(op.f("ix_excluded_pair_cohort_id"), "excluded_pair", ["cohort_id"], unique=False)
    op.create_index(op.f("ix_excluded_pair_person_a_id"), "excluded_pair", ["person_a_id"], unique=False)
    op.create_index(op.f("ix_excluded_pair_person_b_id"), "excluded_pair", ["person_b_id"], unique=False)


def downgrade() -> None:
    """Back to one participant row per cohort with its own name and contact details."""
    bind = op.get_bind()
    with op.batch_alter_table("participant", recreate="auto") as batch:
        batch.add_column(sa.Column("title", sa.String(length=50), server_default="", nullable=False))
        batch.add_column(sa.Column("first_name", sa.String(length=200), server_default="", nullable=False))
        batch.add_column(sa.Column("last_name", sa.String(length=200), server_default="", nullable=False))
        batch.add_column(sa.Column("email", sa.String(length=320), server_default="", nullable=False))
        batch.add_column(sa.Column("phone", sa.String(length=50), server_default="", nullable=False))
        batch.add_column(sa.Column("membership_number", sa.String(length=50), server_default="", nullable=False))
        batch.add_column(sa.Column("consent", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("consent_date", sa.Date(), nullable=True))
    for field in PERSON_FIELDS:
        op.execute(
            f"UPDATE participant SET {field} = (SELECT person.{field} FROM person WHERE person.id = participant.person_id)"
        )
    # Each former value goes back to every membership of its person.
    former = bind.execute(
        sa.text(
            "SELECT participant.id, f.value, f.recorded_at FROM former_value f "
            "JOIN participant ON participant.person_id = f.person_id ORDER BY f.id, participant.id"
        )
    ).all()
    op.drop_table("former_value")
    op.create_table(
        "former_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name="fk_former_value_participant_id_participant",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_former_value"),
    )
    op.create_index("ix_former_value_participant_id", "former_value", ["participant_id"], unique=False)
    values = sa.table("former_value", *(sa.column(c) for c in ("participant_id", "value", "recorded_at")))
    for participant_id, value, recorded_at in former:
        bind.execute(values.insert().values(participant_id=participant_id, value=value, recorded_at=recorded_at))
    pairs = bind.execute(
        sa.text(
            "SELECT mentor.cohort_id, mentor.id, mentee.id, x.reason, x.created_at FROM excluded_pair x "
            "JOIN participant mentor ON mentor.person_id IN (x.person_a_id, x.person_b_id) "
            "JOIN participant mentee ON mentee.person_id IN (x.person_a_id, x.person_b_id) "
            "AND mentee.person_id <> mentor.person_id AND mentee.cohort_id = mentor.cohort_id "
            "WHERE mentor.role IN ('mentor', 'both') AND mentee.role IN ('mentee', 'both') ORDER BY x.id"
        )
    ).all()
    op.drop_table("excluded_pair")
    op.create_table(
        "excluded_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("mentor_id <> mentee_id", name="ck_excluded_pair_not_self"),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohort.id"], name="fk_excluded_pair_cohort_id_cohort", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"], ["participant.id"], name="fk_excluded_pair_mentee_id_participant", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["participant.id"], name="fk_excluded_pair_mentor_id_participant", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_excluded_pair"),
        sa.UniqueConstraint("mentor_id", "mentee_id", name="uq_excluded_pair_mentor_mentee"),
    )
    op.create_index("ix_excluded_pair_cohort_id", "excluded_pair", ["cohort_id"], unique=False)
    table = sa.table(
        "excluded_pair", *(sa.column(c) for c in ("cohort_id", "mentor_id", "mentee_id", "reason", "created_at"))
    )
    for cohort_id, mentor_id, mentee_id, reason, created_at in pairs:
        bind.execute(
            table.insert().values(
                cohort_id=cohort_id, mentor_id=mentor_id, mentee_id=mentee_id, reason=reason, created_at=created_at
            )
        )
    with op.batch_alter_table("participant", recreate="auto") as batch:
        batch.drop_constraint("uq_participant_cohort_person", type_="unique")
        batch.drop_index("ix_participant_person_id")
        batch.drop_constraint("fk_participant_person_id_person", type_="foreignkey")
        batch.drop_column("person_id")
        batch.create_unique_constraint("uq_participant_cohort_email", ["cohort_id", "email"])
    op.drop_index("ix_person_email", table_name="person")
    op.drop_table("person")
