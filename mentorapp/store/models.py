"""SQLAlchemy 2.0 typed models: the schema of a mentoring scheme.

Rules that must never be broken live in the schema itself (one membership per
person and cohort, nobody matched with themself, one current match per mentee), so that
no code path, including a hand-written script, can store an impossible state.
Tables that two coordinators may edit at once carry a version counter
(optimistic locking): the second save fails instead of silently overwriting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    case,
    event,
    func,
    inspect,
    null,
    select,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

# Named constraints so that Alembic batch migrations on SQLite can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

COHORT_STATUSES = ("recruiting", "matching", "running", "evaluating", "closed")
ROLES = ("mentee", "mentor", "both")
HORIZONS = ("short", "medium", "long")
MATCH_STATUSES = ("proposed", "confirmed", "active", "completed", "ended_early")
# A mentee has at most one match in one of these statuses at a time.
CURRENT_MATCH_STATUSES = ("proposed", "confirmed", "active")
# Pairs that take the mentee and one of the mentor's places in their cohort: the current ones and the
# completed ones (a mentee whose pair completed is not matched again; the mentor's place stays used).
PLACE_STATUSES = (*CURRENT_MATCH_STATUSES, "completed")
EVALUATION_STAGES = ("baseline", "six_month")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.current_timestamp()
    )


class Cohort(Timestamped, Base):
    __tablename__ = "cohort"
    __table_args__ = (CheckConstraint(_in("status", COHORT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    evaluation_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="recruiting", server_default="recruiting")
    focus_areas: Mapped[list[str]] = mapped_column(default=list)
    # The cohort's own career ladder, most junior first (the matcher's seniority), and its regions.
    career_stages: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    regions: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    # Matching weights, letter template, success criteria, import mappings ...
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    participants: Mapped[list[Participant]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version_id}


class Person(Timestamped, Base):
    """Someone the society knows, once, whichever cohorts they joined.

    Who they are and how to reach them live here; what was true of them in one
    cohort (role, organisation, goals ...) lives in their :class:`Participant`
    membership of it, so a closed cohort keeps what it was.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50), default="")
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    membership_number: Mapped[str] = mapped_column(String(50), default="")
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    memberships: Mapped[list[Participant]] = relationship(back_populates="person", passive_deletes=True)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# The fields a participant takes from their person; the rest belong to the membership.
PERSON_FIELDS = ("title", "first_name", "last_name", "email", "phone", "membership_number", "consent", "consent_date")


def _person_field(name: str) -> hybrid_property[Any]:
    """``participant.<name>`` reads and writes the person's field; in SQL it is the person's column."""

    def get(self: Participant) -> Any:
        person = self.person
        return getattr(person, name) if person is not None else None

    def set_(self: Participant, value: Any) -> None:
        if self.person is None:
            self.person = Person()
        setattr(self.person, name, value)

    def expression(cls: type[Participant]) -> Any:
        column = Person.__table__.c[name]
        value = select(column).where(Person.id == cls.person_id).correlate_except(Person).scalar_subquery()
        # Named through the participant's own column, so that select(Participant.email) alone reads FROM participant.
        return case((cls.person_id.is_(None), null()), else_=value).label(name)

    return hybrid_property(get, set_, expr=expression)


class Participant(Timestamped, Base):
    """A person's membership of one cohort (the id matches, forms and the log point at)."""

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id", name="uq_participant_cohort_person"),
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint("capacity >= 0", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    job_title: Mapped[str] = mapped_column(String(300), default="")
    career_stage: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str] = mapped_column(Text, default="")
    # Mentor side: how many mentees, when and how they can meet, what they bring.
    capacity: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    availability: Mapped[str] = mapped_column(String(500), default="")
    meeting_preference: Mapped[str] = mapped_column(String(20), default="either", server_default="either")
    experience: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    cohort: Mapped[Cohort] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="joined")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True, order_by="Goal.id"
    )
    expertise: Mapped[list[Expertise]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True, order_by="Expertise.id"
    )

    __mapper_args__ = {"version_id_col": version_id}

    title = _person_field("title")
    first_name = _person_field("first_name")
    last_name = _person_field("last_name")
    email = _person_field("email")
    phone = _person_field("phone")
    membership_number = _person_field("membership_number")
    consent = _person_field("consent")
    consent_date = _person_field("consent_date")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    @property
    def is_mentee(self) -> bool:
        return self.role in ("mentee", "both")


class Goal(Base):
    """A mentee's goal for one horizon: free text plus focus-area tags."""

    __tablename__ = "goal"
    __table_args__ = (
        UniqueConstraint("participant_id", "horizon", name="uq_goal_participant_horizon"),
        CheckConstraint(_in("horizon", HORIZONS), name="horizon"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    horizon: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    focus_areas: Mapped[list[str]] = mapped_column(default=list)

    participant: Mapped[Participant] = relationship(back_populates="goals")


class Expertise(Base):
    """A mentor's experience in one focus area, in years."""

    __tablename__ = "expertise"
    __table_args__ = (
        UniqueConstraint("participant_id", "focus_area", name="uq_expertise_participant_area"),
        CheckConstraint("years >= 0", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    focus_area: Mapped[str] = mapped_column(String(100))
    years: Mapped[int] = mapped_column(Integer, default=0)

    participant: Mapped[Participant] = relationship(back_populates="expertise")


# One current match per mentee: a partial unique index, as migration 0001 makes it on SQLite and PostgreSQL.
# Its PostgreSQL WHERE is given when that DDL is made (below), not as postgresql_where= here: SQLAlchemy would
# import the whole PostgreSQL dialect (60 ms) to check that keyword, at the start of every command on SQLite.
_CURRENT_ONLY = text(_in("status", CURRENT_MATCH_STATUSES))
_CURRENT_MENTEE = Index("uq_match_current_mentee", "mentee_id", unique=True, sqlite_where=_CURRENT_ONLY)


@event.listens_for(_CURRENT_MENTEE, "before_create")
def _partial_on_postgresql(index: Index, connection: Any, **_kw: Any) -> None:
    """CREATE INDEX on PostgreSQL (metadata.create_all) gets the WHERE too; its dialect is loaded by then."""
    if connection.dialect.name == "postgresql":
        index.dialect_options["postgresql"]["where"] = _CURRENT_ONLY


class Match(Timestamped, Base):
    __tablename__ = "match"
    __table_args__ = (
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        CheckConstraint(_in("status", MATCH_STATUSES), name="status"),
        _CURRENT_MENTEE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed", server_default="proposed")
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The coordinator confirmed a same-organisation pair on purpose.
    override_same_org: Mapped[bool] = mapped_column(Boolean, default=False)
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    letter_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_by: Mapped[str | None] = mapped_column(String(20))  # mentee, mentor or coordinator (ended early)
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id])

    __mapper_args__ = {"version_id_col": version_id}


class ExcludedPair(Base):
    """Two people the matcher never pairs again, in any cohort (a hand-set "never again", or after an end).

    One row per pair of people, whichever was mentor: ``person_a_id`` is the lower id.
    ``cohort_id`` says where it was set (kept empty if that cohort is deleted).
    """

    __tablename__ = "excluded_pair"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id", name="uq_excluded_pair_people"),
        CheckConstraint("person_a_id < person_b_id", name="ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    person_b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class EvaluationResponse(Timestamped, Base):
    """One participant's answers at one stage (baseline or six months)."""

    __tablename__ = "evaluation_response"
    __table_args__ = (
        UniqueConstraint("participant_id", "stage", name="uq_evaluation_response_participant_stage"),
        CheckConstraint(_in("stage", EVALUATION_STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    # The role the participant answered as (mentor questions differ).
    role: Mapped[str] = mapped_column(String(10))
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    answers: Mapped[list[EvaluationAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version_id}


class EvaluationAnswer(Base):
    """One answer; item_key names the instrument item it belongs to."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (UniqueConstraint("response_id", "item_key", name="uq_evaluation_answer_response_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("evaluation_response.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(50))
    value_int: Mapped[int | None] = mapped_column(Integer)
    value_text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[EvaluationResponse] = relationship(back_populates="answers")


class AuditEvent(Base):
    """Who changed what and when. Holds ids and names, never goals or comments."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    os_user: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(50), index=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohort.id", ondelete="SET NULL"), index=True)
    entity_type: Mapped[str] = mapped_column(String(50), default="")
    entity_id: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(1000), default="")


class AppSetting(Base):
    """Application-wide settings kept with the data (letterhead, retention ...)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class FormerValue(Base):
    """A name, email or phone a person had before it was changed: erasing them must find it too."""

    __tablename__ = "former_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# The identifying fields whose earlier values are kept in FormerValue when they change.
IDENTIFYING_FIELDS = ("title", "first_name", "last_name", "email", "phone")


@event.listens_for(Session, "before_flush")
def _keep_former_values(session: Session, _context: Any, _instances: Any) -> None:
    """Whenever a person's name, email or phone changes, keep the old value by id (any code path)."""
    for obj in session.dirty:
        if not isinstance(obj, Person) or obj.id is None:
            continue
        state = inspect(obj)
        old: dict[str, str] = {}
        for field in IDENTIFYING_FIELDS:
            history = state.attrs[field].history
            gone = [v for v in history.deleted if isinstance(v, str) and v.strip()] if history.has_changes() else []
            if gone:
                old[field] = gone[0]
        if not old:
            continue
        first, last = old.get("first_name", obj.first_name), old.get("last_name", obj.last_name)
        values = {old.get("email", ""), old.get("phone", "")}
        if "first_name" in old or "last_name" in old:
            values |= {f"{first} {last}".strip(), f"{last}, {first}"}
        for value in sorted(v for v in values if v.strip()):
            session.add(FormerValue(person_id=obj.id, value=value[:320]))


# -- the running scheme: the meeting log, check-in answers, chase marks (revision 0006) ---------

MEETING_MODES = ("in-person", "video", "phone")
REPORTERS = ("mentee", "mentor", "coordinator")
CHASE_TOPICS = ("first-meeting", "check-in", "evaluation", "at-risk")


class Meeting(Base):
    """One meeting of a pair, dated: logged by the coordinator from what a side told them."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(_in("mode", MEETING_MODES), name="mode"),
        CheckConstraint(_in("reported_by", REPORTERS), name="reported_by"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes"),
        Index("ix_meeting_match_held", "match_id", "held_on"),
        # A cohort's meetings, grouped by pair (the log, the report's figure), read in the order of this index.
        Index("ix_meeting_cohort_match_held", "cohort_id", "match_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    minutes: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str | None] = mapped_column(String(20))
    reported_by: Mapped[str] = mapped_column(String(20), default="coordinator")
    # Private to the coordinator: in no export sent to a participant but their subject access export
    # (the right of access covers notes about them; the coordinator reads it before sending).
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CheckinAnswer(Base):
    """One person's answer to one check-in about their pair; seen by the coordinator only.

    ``times`` is what that side reported for the period since the last check-in: a
    count, never turned into dated meetings, and never added to the other side's count.
    """

    __tablename__ = "checkin_answer"
    __table_args__ = (
        UniqueConstraint("participant_id", "match_id", "checkpoint_on", name="uq_checkin_answer_participant"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating"),
        CheckConstraint("times IS NULL OR times >= 0", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("match.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    checkpoint_on: Mapped[dt.date] = mapped_column(Date)
    met: Mapped[bool | None] = mapped_column(Boolean)
    times: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    wants_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ChaseMark(Base):
    """The coordinator sent a person a reminder about something, on a day."""

    __tablename__ = "chase_mark"
    __table_args__ = (CheckConstraint(_in("about", CHASE_TOPICS), name="about"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    about: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
