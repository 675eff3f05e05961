"""Commands: backup, restore, log, subject-access, erase, anonymise, retention."""

from __future__ import annotations

import argparse
import sys

from mentorapp import privacy
from mentorapp.cli.output import RAW_HELP, print_csv, print_json, print_table
from mentorapp.cli.values import MAX_ID, since_value, whole_number
from mentorapp.errors import UsageError, UserError
from mentorapp.people.cohorts import find_cohort, list_cohorts
from mentorapp.store import audit, backup, locking
from mentorapp.store.db import resolve_url, sqlite_path
from mentorapp.store.models import Participant


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    b = commands.add_parser("backup", help="write a consistent copy of the database")
    b.add_argument("-o", "--output", metavar="FILE", help="where to write it (default: the backups folder)")
    b.set_defaults(func=run_backup)

    r = commands.add_parser("restore", help="replace the database with a checked backup (the current one is kept)")
    r.add_argument("file", metavar="FILE", help="a backup made by mentorapp")
    r.set_defaults(func=run_restore)

    bl = commands.add_parser("backups", help="list the backups of the database")
    bl.add_argument("--format", choices=("table", "json"), default="table")
    bl.set_defaults(func=run_backups)

    log = commands.add_parser("log", help="show the activity log: who changed what, when")
    log.add_argument("--cohort", help="only this cohort")
    log.add_argument("--action", help="only actions starting with this, e.g. 'match' or 'participant erased'")
    log.add_argument("--since", type=since_value, help="from this date (YYYY-MM-DD) or this many days back (7d)")
    log.add_argument("--until", type=since_value, help="up to this date (YYYY-MM-DD)")
    log.add_argument("--user", help="only changes by this operating-system user")
    log.add_argument(
        "--limit", type=whole_number(1, 10**9), default=None, help="at most this many entries (newest first)"
    )
    log.add_argument("--format", choices=("table", "csv", "json"), default="table")
    log.add_argument("--raw", action="store_true", help=RAW_HELP)
    log.set_defaults(func=run_log)

    sa = commands.add_parser("subject-access", help="write everything held about a person (JSON and PDF)")
    sa.add_argument("email")
    sa.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.json and FILE.pdf are written")
    sa.add_argument("--replace", action="store_true", help="write over FILE.json and FILE.pdf of an earlier export")
    sa.set_defaults(func=run_subject_access)

    er = commands.add_parser("erase", help="erase a participant everywhere, for good")
    er.add_argument("who", metavar="EMAIL_OR_ID", help="the participant's email (all cohorts) or id")
    er.add_argument("--cohort", help="only in this cohort")
    er.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    er.set_defaults(func=run_erase)

    an = commands.add_parser("anonymise", help="replace names, contacts and free text in a cohort; keep statistics")
    an.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    an.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    an.set_defaults(func=run_anonymise)

    ret = commands.add_parser("retention", help="show or set how long closed cohorts keep personal data")
    ret.add_argument("--months", type=whole_number(1, 1200), help="set the retention period in months")
    ret.add_argument(
        "--cohort", help="with --months: this cohort's own period (each cohort is anonymised on its own when due)"
    )
    ret.add_argument(
        "--general", action="store_true", help="with --cohort: the cohort follows the general period again"
    )
    ret.set_defaults(func=run_retention)


def _db_file(ctx) -> object:
    path = sqlite_path(resolve_url(ctx.args.db))
    if path is None:
        raise UserError(
            "Backups and restores work on the embedded SQLite database; a shared PostgreSQL "
            "database is backed up by its administrator with pg_dump."
        )
    return path


def run_backup(ctx) -> int:
    _db_file(ctx)
    target = backup.create_backup(ctx.db, ctx.args.output, kind="manual")
    print(f"Backup written to {target}.")
    return 0


def run_restore(ctx) -> int:
    path = _db_file(ctx)
    try:
        lock = locking.acquire(path)
    except locking.DatabaseLockedError as exc:
        where = exc.info.describe() if exc.info else "in another mentorapp"
        raise UserError(f"{path.name} is open {where}; close it there before restoring.") from exc
    with lock:
        result = backup.restore_backup(path, ctx.args.file)
    kept = f" The previous database was saved as {result.previous}." if result.previous else ""
    again = f" {result.erased_again_sentence}" if result.erased_again else ""
    print(f"Restored the database from {result.restored_from}.{kept}{again}")
    return 0


def run_backups(ctx) -> int:
    found = backup.list_backups(_db_file(ctx))
    rows = [
        {"file": str(b.path), "taken_at": b.taken_at.replace(microsecond=0).isoformat(), "kind": b.kind} for b in found
    ]
    if ctx.args.format == "json":
        print_json(rows)
    elif not rows:
        print("No backups yet. Make one with 'backup'.")
    else:
        print_table(("Taken", "Kind", "File"), [[r["taken_at"], r["kind"], r["file"]] for r in rows], max_width=200)
    return 0


def run_log(ctx) -> int:
    args = ctx.args
    if args.raw and args.format != "csv":
        raise UsageError("mentorapp log: --raw goes with --format csv.")
    with ctx.db.session() as s:
        cohort_id = find_cohort(s, args.cohort).id if args.cohort else None
        entries = audit.query(
            s,
            cohort_id=cohort_id,
            action=args.action,
            since=args.since,
            until=args.until,
            user=args.user,
            limit=args.limit,
        )
    data = [e.to_json() for e in entries]
    keys = ("at", "user", "action", "cohort", "description")
    if args.format == "json":
        print_json(data)
    elif args.format == "csv":
        print_csv(keys, [[d[k] for k in keys] for d in data], raw=args.raw)
    elif not data:
        print("No activity matches.")
    else:
        print_table(("When (UTC)", "User", "Action", "Cohort", "Description"), [[d[k] for k in keys] for d in data], 80)
    return 0


def run_subject_access(ctx) -> int:
    with ctx.db.transaction() as s:
        json_path, pdf_path = privacy.write_subject_access(s, ctx.args.email, ctx.args.output, replace=ctx.args.replace)
    print(f"Wrote {json_path} and {pdf_path}.")
    return 0


def _confirm(ctx, question: str) -> None:
    if ctx.args.yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question} Add --yes to confirm.")
    answer = input(f"{question} Type 'yes' to go ahead: ")
    if answer.strip().lower() != "yes":
        raise UserError("Nothing was changed.")


def run_erase(ctx) -> int:
    who = ctx.args.who.strip()
    with ctx.db.session() as s:
        if who.isascii() and who.isdigit():
            p = s.get(Participant, int(who)) if int(who) <= MAX_ID else None
            people = [p] if p else []
            if not people:
                raise UserError(f"There is no participant with id {who}.")
        else:
            people = privacy.find_by_email(s, who)
            if not people:
                raise UserError(f"No participant has the email address {who}.")
        if ctx.args.cohort:
            cohort = find_cohort(s, ctx.args.cohort)
            people = [p for p in people if p.cohort_id == cohort.id]
            if not people:
                raise UserError(f"{who} is not a participant of '{cohort.name}'.")
        ids = [p.id for p in people]
        names = ", ".join(f"{p.full_name} (#{p.id})" for p in people)
    _confirm(ctx, f"Erase {names} with their matches and evaluations, for good? {backup.erase_note(ctx.db)}")
    with ctx.db.transaction() as s:
        results = [privacy.erase_participant(s, pid) for pid in ids]
    matches = sum(r.matches for r in results)
    evaluations = sum(r.evaluations for r in results)
    print(f"Erased {len(results)} participant record(s), {matches} match(es) and {evaluations} evaluation(s).")
    return 0


def run_anonymise(ctx) -> int:
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        cohort_id, name = cohort.id, cohort.name
    _confirm(ctx, f"Replace every name, contact detail and free text in '{name}', for good?")
    with ctx.db.transaction() as s:
        result = privacy.anonymise_cohort(s, cohort_id)
    print(
        f"Anonymised '{name}': {result.participants} participants; "
        f"{result.answers_removed} free-text answers removed; statistics kept."
    )
    return 0


def run_retention(ctx) -> int:
    args = ctx.args
    if args.general and not args.cohort:
        raise UsageError("mentorapp retention: --general goes with --cohort.")
    if args.cohort and args.months is None and not args.general:
        raise UsageError("mentorapp retention: with --cohort, give --months N or --general.")
    if args.months is not None or args.general:
        with ctx.db.transaction() as s:
            cohort_id = find_cohort(s, args.cohort).id if args.cohort else None
            privacy.set_retention_months(s, None if args.general else args.months, cohort_id)
    with ctx.db.session() as s:
        months = privacy.retention_months(s)
        due = [c.name for c in privacy.cohorts_due_for_anonymising(s)]
        own = [
            (c.name, privacy.cohort_retention_months(c, months))
            for c in list_cohorts(s)
            if privacy.cohort_retention_months(c, months) != months
        ]
    print(f"Closed cohorts keep personal data for {months} months after their evaluation date.")
    for name, period in own:
        print(f"'{name}' keeps it for {period} months.")
    if due:
        print("Due for anonymising: " + ", ".join(f"'{n}'" for n in due) + ".")
    return 0
