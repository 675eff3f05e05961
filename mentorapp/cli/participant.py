"""Command: participant EMAIL (one participant's details; --set FIELD=VALUE changes them).

The window edits a participant in its dialog; on the command line the only way
to raise a mentor's capacity or mend a job title was to import a one-row file.
Goals and expertise stay with the dialog and the import: they are lists, not one value.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from typing import Any

from mentorapp.cli.output import print_json, print_table
from mentorapp.cli.values import date_value
from mentorapp.errors import UsageError, UserError
from mentorapp.people.validation import FIELD_LABELS

# field -> what it is called on the screen: one value each (goals and expertise are lists)
FIELDS = {k: label for k, label in FIELD_LABELS.items() if k not in ("goals", "expertise")}


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    one = commands.add_parser("participant", help="show one participant, or change their details with --set")
    one.add_argument("email", metavar="EMAIL", help="the participant's e-mail address in the cohort")
    one.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    one.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"change one detail (repeatable); FIELD is one of {', '.join(FIELDS)}",
    )
    one.add_argument("--format", choices=("table", "json"), default="table")
    one.set_defaults(func=run_participant)


def _parsed(assignments: list[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or key not in FIELDS:
            raise UsageError(
                f"participant: --set takes FIELD=VALUE with FIELD one of {', '.join(FIELDS)}; not '{item}'."
            )
        changes[key] = value.strip()
    return changes


def _value(field: str, text: str) -> Any:
    """The stored value of one --set, or a sentence naming the field."""
    from mentorapp.importing import values

    try:
        if field == "capacity":
            number = values.capacity(text)
            if number is None:
                raise values.ValueProblemError("it is empty")
            return number
        if field == "role":
            return values.role(text)
        if field == "consent":
            return values.yes_no(text)
        if field == "meeting_preference":
            return values.meeting_preference(text)
        if field == "consent_date":
            return date_value(text) if text else None
    except (values.ValueProblemError, argparse.ArgumentTypeError) as exc:
        said = str(exc).rstrip(".")
        raise UserError(f"{said}." if said.startswith(FIELDS[field]) else f"{FIELDS[field]}: {said}.") from None
    return text


def run_participant(ctx) -> int:
    from mentorapp.people.cohorts import find_cohort
    from mentorapp.people.participants import ParticipantData, titled_name, update_participant
    from mentorapp.running.people import participant_by_email

    args = ctx.args
    changes = {field: _value(field, text) for field, text in _parsed(args.set).items()}
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, args.cohort)
        before = ParticipantData.from_model(participant_by_email(s, cohort.id, args.email))
        after = dataclasses.replace(before, **changes)
        if changes and after != before:
            update_participant(s, after)
    changed = [f for f in changes if getattr(after, f) != getattr(before, f)]
    data = after.to_json() | {k: getattr(after, k) for k in FIELDS if k not in after.to_json()}
    if args.format == "json":
        print_json(data | {"changed": changed})
        return 0
    if changes:
        said = "; ".join(
            f"{FIELDS[f]} {_shown(getattr(before, f), f)} → {_shown(getattr(after, f), f)}" for f in changed
        )
        print(f"Changed {titled_name(after)}: {said}." if changed else f"Nothing changed for {titled_name(after)}.")
    print_table(("Detail", "Value"), [(label, _shown(getattr(after, f), f)) for f, label in FIELDS.items()])
    return 0


def _shown(value: Any, field: str = "") -> str:
    from mentorapp.dates import long_date
    from mentorapp.people.vocabulary import ROLE_LABELS

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return long_date(value)
    return ROLE_LABELS.get(value, value) if field == "role" else str(value)
