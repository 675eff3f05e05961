"""Commands for running the six months: start, meetings, check-ins, dashboard, chase, end, complete.

``start --cohort C [--date D] [--mentee EMAIL ...]``; ``meetings --cohort C [--format json]``;
``meetings add --cohort C --mentee EMAIL --date D [--minutes N] [--mode M] [--reported-by R] [--note T]``;
``meetings delete ID``; ``check-ins --cohort C`` (the schedule; ``--set-days 30,90,150``);
``check-ins export --cohort C --out-dir DIR``; ``check-ins import DIR --cohort C``;
``dashboard --cohort C [--today D] [--format json] [--figure NAME]``;
``chase --cohort C --about first-meeting|check-in|evaluation|at-risk [--today D] --out-dir DIR [--mark-sent]``;
``end --cohort C --mentee EMAIL --reason TEXT [--by mentee|mentor|coordinator] [--date D]``;
``complete --cohort C``; ``running-settings`` (thresholds, sender) and ``chase-template --about A``
(show or change, an unknown placeholder refused). The work is in :mod:`mentorapp.running` and
:mod:`mentorapp.matching.actions`, imported by the handler that needs it so that every other command
starts quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from mentorapp.cli.output import print_json, print_table
from mentorapp.cli.values import date_value, id_value, whole_number
from mentorapp.dates import long_date
from mentorapp.errors import UsageError, UserError
from mentorapp.people.cohorts import find_cohort
from mentorapp.words import plural

COHORT_HELP = "cohort name (may be left out when there is only one)"
TODAY_HELP = "count as if today were this day, YYYY-MM-DD (for reproducible results)"
TOPICS = ("first-meeting", "check-in", "evaluation", "at-risk")


def _days(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    parse = whole_number(1, 3660, "a day after the start")
    return [parse(p) for p in parts]


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    start = commands.add_parser("start", help="mark confirmed pairs as started (active) on a date")
    start.add_argument("--cohort", help=COHORT_HELP)
    start.add_argument("--date", type=date_value, default=None, help="start date YYYY-MM-DD (default: today)")
    start.add_argument("--mentee", action="append", metavar="EMAIL", help="only this mentee's pair (repeatable)")
    start.add_argument(
        "--letters-sent",
        action="store_true",
        help="their letters went out on the start date: mark as sent the letters not marked yet",
    )
    start.set_defaults(func=run_start)

    meetings = commands.add_parser("meetings", help="the meeting log of a cohort; 'meetings add' logs one")
    meetings.add_argument("--cohort", help=COHORT_HELP)
    meetings.add_argument("--format", choices=("table", "json"), default="table")
    meetings.set_defaults(func=run_meetings)
    actions = meetings.add_subparsers(dest="meetings_command", metavar="ACTION", parser_class=type(meetings))
    add = actions.add_parser("add", help="log a meeting of a mentee's current pair")
    add.add_argument("--cohort", help=COHORT_HELP)
    add.add_argument("--mentee", required=True, metavar="EMAIL")
    add.add_argument("--date", type=date_value, required=True, help="the day they met, YYYY-MM-DD")
    add.add_argument("--minutes", type=whole_number(1, 24 * 60, "a number of minutes"), default=None)
    add.add_argument("--mode", choices=("in-person", "video", "phone"), default=None)
    add.add_argument("--reported-by", choices=("mentee", "mentor", "coordinator"), default="coordinator")
    add.add_argument("--note", default="", help="a private note (the coordinator's only)")
    add.set_defaults(func=run_meetings_add)
    delete = actions.add_parser("delete", help="remove a logged meeting by its id")
    delete.add_argument("id", type=id_value)
    delete.set_defaults(func=run_meetings_delete)

    checkins = commands.add_parser("check-ins", help="the check-in schedule; export forms, import answers")
    checkins.add_argument("--cohort", help=COHORT_HELP)
    checkins.add_argument("--set-days", type=_days, metavar="30,90,150", help="change the schedule (days after start)")
    checkins.add_argument("--format", choices=("table", "json"), default="table")
    checkins.set_defaults(func=run_checkins)
    ci = checkins.add_subparsers(dest="checkins_command", metavar="ACTION", parser_class=type(checkins))
    out = ci.add_parser("export", help="one check-in form per person asked, into a folder")
    out.add_argument("--cohort", help=COHORT_HELP)
    out.add_argument("--out-dir", type=Path, required=True, metavar="DIR")
    out.add_argument("--date", type=date_value, default=None, help="the check-in of this date (default: the one due)")
    out.add_argument("--today", type=date_value, default=None, help=TODAY_HELP)
    out.add_argument("--replace", action="store_true", help="clear the forms an earlier export wrote in DIR")
    out.set_defaults(func=run_checkins_export)
    back = ci.add_parser("import", help="read a folder of returned check-in forms (all or nothing)")
    back.add_argument("folder", type=Path, metavar="DIR")
    back.add_argument("--cohort", help=COHORT_HELP)
    back.add_argument("--today", type=date_value, default=None, help=TODAY_HELP)
    back.set_defaults(func=run_checkins_import)

    dash = commands.add_parser("dashboard", help="pipeline, response rates, pairs at risk and next dates")
    dash.add_argument("--cohort", help=COHORT_HELP)
    dash.add_argument("--today", type=date_value, default=None, help=TODAY_HELP)
    dash.add_argument("--figure", default=None, help="list the people behind one figure (e.g. active, at_risk)")
    dash.add_argument("--format", choices=("table", "json"), default="table")
    dash.set_defaults(func=run_dashboard)

    chase = commands.add_parser("chase", help="one e-mail draft (.eml) per person to remind")
    chase.add_argument("--cohort", help=COHORT_HELP)
    chase.add_argument("--about", choices=TOPICS, required=True)
    chase.add_argument("--today", type=date_value, default=None, help=TODAY_HELP)
    chase.add_argument("--out-dir", type=Path, required=True, metavar="DIR")
    chase.add_argument("--mark-sent", action="store_true", help="record that these people were chased today")
    chase.add_argument("--replace", action="store_true", help="clear the drafts an earlier run wrote in DIR")
    chase.set_defaults(func=run_chase)

    end = commands.add_parser("end", help="end a mentee's pair early, with the reason")
    end.add_argument("--cohort", help=COHORT_HELP)
    end.add_argument("--mentee", required=True, metavar="EMAIL")
    end.add_argument("--reason", required=True)
    end.add_argument("--by", choices=("mentee", "mentor", "coordinator"), default="coordinator")
    end.add_argument("--date", type=date_value, default=None, help="the day it ended (default: today)")
    end.set_defaults(func=run_end)

    rs = commands.add_parser(
        "running-settings", help="thresholds of the at-risk rules and the sender of chase e-mails (show or change)"
    )
    rs.add_argument("--cohort", help=COHORT_HELP)
    rs.add_argument("--first-meeting-weeks", type=whole_number(1, 52, "a number of weeks"), default=None)
    rs.add_argument("--quiet-weeks", type=whole_number(1, 52, "a number of weeks"), default=None)
    rs.add_argument("--low-rating", type=whole_number(1, 4, "a rating"), default=None)
    rs.add_argument("--sender-name", default=None)
    rs.add_argument("--sender-email", default=None)
    rs.add_argument("--signature", default=None, help="the lines that end every chase e-mail (\\n for a new line)")
    rs.add_argument("--format", choices=("table", "json"), default="table")
    rs.set_defaults(func=run_running_settings)

    tpl = commands.add_parser("chase-template", help="show or change the template of one kind of chase e-mail")
    tpl.add_argument("--cohort", help=COHORT_HELP)
    tpl.add_argument("--about", choices=TOPICS, required=True)
    tpl.add_argument("--subject", default=None)
    tpl.add_argument("--body-file", type=Path, default=None, metavar="FILE.txt", help="the text, UTF-8")
    tpl.add_argument("--attach-form", choices=("yes", "no"), default=None)
    tpl.add_argument("--default", action="store_true", help="put back the built-in template")
    tpl.set_defaults(func=run_chase_template)

    complete = commands.add_parser("complete", help="mark every active pair completed at the evaluation date")
    complete.add_argument("--cohort", help=COHORT_HELP)
    complete.add_argument(
        "--before-evaluation",
        action="store_true",
        help="complete them even though the evaluation date is still ahead (refused without it)",
    )
    complete.add_argument("--today", type=date_value, default=None, help=TODAY_HELP)
    complete.set_defaults(func=run_complete)


def run_start(ctx) -> int:
    from mentorapp.matching.actions import start_pairs
    from mentorapp.running.people import mentee_match

    day = ctx.args.date or dt.date.today()
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        ids = None
        if ctx.args.mentee:
            ids = [mentee_match(s, cohort.id, email, ("confirmed",)).id for email in ctx.args.mentee]
        change = start_pairs(s, cohort.id, day, match_ids=ids, letters_sent=ctx.args.letters_sent)
        name = cohort.name
    unsent = change.newly_set("letter_sent_on")
    marked = f"; {plural(unsent, 'letter')} marked as sent that day" if unsent else ""
    print(f"Started {plural(len(change.match_ids), 'pair')} of '{name}' on {day.isoformat()}{marked}.")
    return 0


def run_meetings(ctx) -> int:
    from mentorapp.running.meetings import MODE_LABELS, list_meetings

    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        rows = list_meetings(s, cohort.id)
    if ctx.args.format == "json":
        print_json([r.to_json() for r in rows])
    elif not rows:
        print(f"No meetings logged in '{cohort.name}' yet; log one with 'meetings add'.")
    else:
        print_table(
            ("Id", "Date", "Mentee", "Mentor", "Minutes", "Way", "Reported by", "Note"),
            [
                [
                    r.id,
                    r.held_on,
                    r.mentee,
                    r.mentor,
                    r.minutes or "",
                    MODE_LABELS.get(r.mode or "", ""),
                    r.reported_by,
                    r.note,
                ]
                for r in rows
            ],
        )
    return 0


def run_meetings_add(ctx) -> int:
    from mentorapp.running.meetings import add_meeting, mentee_pair

    a = ctx.args
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, a.cohort)
        match = mentee_pair(s, cohort.id, a.mentee)
        add_meeting(s, match.id, a.date, minutes=a.minutes, mode=a.mode, reported_by=a.reported_by, note=a.note)
        who = f"{match.mentee.full_name} and {match.mentor.full_name}"
    print(f"Logged the meeting of {who} on {a.date.isoformat()}.")
    return 0


def run_meetings_delete(ctx) -> int:
    from mentorapp.running.meetings import delete_meeting

    with ctx.db.transaction() as s:
        change = delete_meeting(s, ctx.args.id)
    print(f"Removed: {change.description.removeprefix('Remove ')}.")
    return 0


def run_checkins(ctx) -> int:
    from mentorapp.running.checkins import checkin_schedule, set_checkin_days

    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        if ctx.args.set_days is not None:
            set_checkin_days(s, cohort.id, ctx.args.set_days)
        schedule = checkin_schedule(s, cohort.id)
    if ctx.args.format == "json":
        print_json([c.to_json() for c in schedule])
    else:
        print_table(("Check-in", "Day", "Date"), [[c.number, c.day, c.due_on] for c in schedule])
    return 0


def run_checkins_export(ctx) -> int:
    from mentorapp.running.checkin_forms import choose_checkpoint, export_checkin_forms

    a = ctx.args
    with ctx.db.session() as s:
        cohort = find_cohort(s, a.cohort)
        checkpoint = choose_checkpoint(s, cohort.id, a.today or dt.date.today(), a.date)
        files = export_checkin_forms(s, cohort.id, a.out_dir, checkpoint, earlier="clear" if a.replace else "refuse")
    print(f"Wrote {plural(len(files), 'check-in form')} for {checkpoint.label} to {a.out_dir}.")
    return 0


def run_checkins_import(ctx) -> int:
    from mentorapp.running.checkin_forms import import_checkin_folder

    with ctx.db.session() as s:
        cohort_id = find_cohort(s, ctx.args.cohort).id
    reading = import_checkin_folder(ctx.db, cohort_id, ctx.args.folder, ctx.args.today)
    print(reading.summary(ctx.args.folder))
    return 0


def run_dashboard(ctx) -> int:
    from mentorapp.evaluation.instrument import STAGE_LABELS
    from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
    from mentorapp.running.dashboard import FIGURES, PIPELINE_LABELS, dashboard, people_behind

    a = ctx.args
    if a.figure and a.figure not in FIGURES:  # a mistyped option is wrong usage (exit 2), like any other
        raise UsageError(f"'{a.figure}' is not a figure of the dashboard; use one of {', '.join(FIGURES)}.")
    with ctx.db.session() as s:
        cohort = find_cohort(s, a.cohort)
        if a.figure:
            rows = people_behind(s, cohort.id, a.figure, a.today)
            if a.format == "json":
                print_json([r.to_json() for r in rows])
            else:
                print_table(
                    ("Name", "Email", "Partner", "Status", "Started", "Last chased"),
                    [
                        [
                            r.person.name,
                            r.person.email,
                            r.partner.name if r.partner else "",
                            MATCH_STATUS_LABELS.get(r.status, r.status.capitalize()),
                            long_date(r.started_on) if r.started_on else "",
                            long_date(r.last_chased) if r.last_chased else "",
                        ]
                        for r in rows
                    ],
                )
            return 0
        board = dashboard(s, cohort.id, a.today)
    if a.format == "json":
        print_json(board.to_json())
        return 0
    data = board.to_json()
    # A report read by a person: dates as the flags' own sentences write them, not as typed after --today.
    print(f"{board.cohort_name}, as of {long_date(board.today)}")
    print_table(("Stage", "Mentees"), [[PIPELINE_LABELS[k], v] for k, v in board.pipeline.items()])
    rates = data["response_rates"]
    for label, rate in (
        ("Check-in", rates["check_in"]),
        (
            f"Evaluation ({STAGE_LABELS.get(board.evaluation_stage, board.evaluation_stage).lower()})",
            rates["evaluation"],
        ),
    ):
        if rate:
            share = "" if rate["rate"] is None else f" ({rate['rate']:.0%})"
            print(f"{label}: {rate['answered']} of {rate['asked']} answered{share}")
    nxt = board.next_check_in
    print(f"Next check-in: {long_date(nxt.due_on) if nxt else 'none'}; evaluation: {long_date(board.evaluation_date)}")
    if board.active_past_evaluation:
        n = board.active_past_evaluation
        print(
            f"The evaluation date has passed and {plural(n, 'pair')} {'are' if n != 1 else 'is'} still active: "
            "once the six-month evaluation is in, run 'complete' to mark them completed."
        )
    for about, chased in data["chased"].items():
        if chased["people"]:
            last = long_date(dt.date.fromisoformat(chased["last_sent_on"]))
            print(f"Chased about {about}: {plural(chased['people'], 'person')}, last on {last}")
    print(f"\nPairs at risk ({len(board.at_risk)}):")
    for pair in board.at_risk:
        print(f"  {pair.mentee.name} with {pair.mentor.name}")
        for flag in pair.flags:
            print(f"    since {long_date(flag.since)}: {flag.text}")
    return 0


def run_chase(ctx) -> int:
    from mentorapp.running.chase import (
        all_addresses,
        chase_list,
        evaluation_stage,
        make_drafts,
        mark_chased,
        write_drafts,
    )

    a = ctx.args
    today = a.today or dt.date.today()
    with ctx.db.session() as s:
        cohort = find_cohort(s, a.cohort)
        items = chase_list(s, cohort.id, a.about, today)
        attach = None
        if a.about == "evaluation":
            attach = _evaluation_attachment(s, cohort.id, evaluation_stage(cohort, today))
        drafts = make_drafts(s, cohort.id, a.about, items, attach=attach)
        files = write_drafts(s, cohort.id, a.about, drafts, a.out_dir, earlier="clear" if a.replace else "refuse")
        cohort_id, name = cohort.id, cohort.name
    print(f"Wrote {plural(len(files), 'e-mail draft')} to {a.out_dir} (open each and send it).")
    print(f"All addresses, for one blind-copy message: {all_addresses(items)}")
    if a.mark_sent:
        with ctx.db.transaction() as s:
            mark_chased(s, cohort_id, [i.person.id for i in items], a.about, today)
        n = len({i.person.id for i in items})
        print(f"Marked {n} {'person' if n == 1 else 'people'} of '{name}' as chased on {today}.")
    return 0


def _evaluation_attachment(session, cohort_id: int, stage: str):
    """Each person's own evaluation form (the evaluation wing's form per person) to attach to their draft.

    None when this version has no per-person evaluation forms: the drafts then go without one.
    """
    try:
        from mentorapp.evaluation.person_forms import form_filename, person_forms, write_person_form
    except ImportError:
        return None
    from mentorapp.running.chase import Attachment
    from mentorapp.store.models import Cohort

    cohort = session.get(Cohort, cohort_id)
    forms = {f.participant_id: f for f in person_forms(session, cohort_id, stage)}

    def attach(_session, item):
        form = forms.get(item.person.id)
        if form is None:
            return None
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "form.xlsx"
            write_person_form(form, cohort, stage, path)
            return Attachment(form_filename(form, stage), path.read_bytes())

    return attach


def run_end(ctx) -> int:
    from mentorapp.matching.actions import end_pair
    from mentorapp.running.people import mentee_match

    a = ctx.args
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, a.cohort)
        match = mentee_match(s, cohort.id, a.mentee, ("active", "confirmed", "proposed"))
        end_pair(s, match.id, reason=a.reason, ended_by=a.by, on=a.date)
        who, mentor = match.mentee.full_name, match.mentor.full_name
    print(
        f"Ended the pair of {who} with {mentor}; they will not be proposed to each other again. "
        f'Find {who} a new mentor with: match --cohort "{cohort.name}" --apply --mentee {a.mentee}'
    )
    return 0


def run_complete(ctx) -> int:
    from mentorapp.matching.actions import complete_pairs

    today = ctx.args.today or dt.date.today()
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        name, day = cohort.name, cohort.evaluation_date
        if today < day and not ctx.args.before_evaluation:  # running pairs are rarely meant to be completed
            raise UserError(
                f"The evaluation date of '{name}', {long_date(day)}, is still {plural((day - today).days, 'day')} "
                "away and its pairs are still running; give --before-evaluation to complete them now."
            )
        change = complete_pairs(s, cohort.id)
    n = len(change.match_ids)
    if not n:
        print(f"There were no active pairs to complete in '{name}'.")
        return 0
    print(f"Completed {plural(n, 'active pair')} of '{name}' on {long_date(day)}.")
    return 0


def run_running_settings(ctx) -> int:
    from dataclasses import asdict

    from mentorapp.running.settings import load_running_settings, save_running_settings

    a = ctx.args
    changes = {
        "first_meeting_weeks": a.first_meeting_weeks,
        "quiet_weeks": a.quiet_weeks,
        "low_rating": a.low_rating,
        "sender_name": a.sender_name,
        "sender_email": a.sender_email,
        "signature": a.signature.replace("\\n", "\n") if a.signature is not None else None,
    }
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, a.cohort)
        settings = load_running_settings(s, cohort.id)
        wanted = {k: v for k, v in changes.items() if v is not None}
        if wanted:
            for key, value in wanted.items():
                setattr(settings, key, value)
            save_running_settings(s, cohort.id, settings)
        shown = asdict(settings)
    if a.format == "json":
        print_json(shown)
    else:
        print_table(("Setting", "Value"), [[k, v] for k, v in shown.items()], max_width=80)
    return 0


def run_chase_template(ctx) -> int:
    from mentorapp.running.chase_templates import default_chase_template, load_chase_template, save_chase_template

    a = ctx.args
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, a.cohort)
        template = default_chase_template(a.about) if a.default else load_chase_template(s, cohort.id, a.about)
        if a.subject is not None:
            template.subject = a.subject
        if a.body_file is not None:
            template.body = a.body_file.read_text(encoding="utf-8")
        if a.attach_form is not None:
            template.attach_form = a.attach_form == "yes"
        if a.default or a.subject is not None or a.body_file is not None or a.attach_form is not None:
            save_chase_template(s, cohort.id, a.about, template)  # an unknown placeholder is refused here
    print(f"Subject: {template.subject}\nAttach the person's form: {'yes' if template.attach_form else 'no'}\n")
    print(template.body)
    return 0
