"""Try an installed mentorapp as a new user would: every command, then a picture of every page.

    python3 scripts/try_installed.py --cli PROGRAM --gui PROGRAM --work DIR [--bare-env]

``--cli`` and ``--gui`` are the installed programs: a wheel's ``mentorapp-cli`` and ``mentorapp`` scripts, or
the bundle's ``dist/mentorapp/mentorapp-cli`` and ``dist/mentorapp/mentorapp``. Everything runs in ``DIR``
(a new folder: the working folder, the home folder, the database), never in the repository. With
``--bare-env`` the programs get an empty environment, as ``env -i`` gives them (no PATH, no Python, no
virtual environment), plus a HOME in ``DIR`` and the offscreen Qt platform. Standard library only, so
that any Python can run it against a bundle. Exit status 0 when every step did what it should; else
the first failure is named and the status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

COHORT = "Future Leaders pilot"  # the demo cohort's name
LARGE = "Large cohort"  # matched on the sparse path (over 1,000 x 1,000 places)
SECOND = "Autumn intake 2027"


class TourError(Exception):
    """A step that did not do what it should."""


class Tour:
    def __init__(self, cli: str, gui: str, work: Path, bare_env: bool) -> None:
        self.cli, self.gui, self.work = cli, gui, work
        home = work / "home"
        home.mkdir(parents=True, exist_ok=True)
        own = {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        if bare_env:  # literally env -i: nothing of this environment reaches the program
            self.env = {"PATH": os.defpath}
            self.prefix = [shutil.which("env") or "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in own.items())]
        else:
            self.env = {k: v for k, v in os.environ.items() if k != "MENTORAPP_DB" and not k.startswith("XDG_")}
            self.env.update(own)
            self.prefix = []
        self.db = str(work / "tour.db")
        self.steps = 0

    def run(self, program: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [*self.prefix, program, *args], cwd=self.work, env=self.env, capture_output=True, text=True, timeout=600
        )
        self.steps += 1
        shown = " ".join([Path(program).name, *args])
        print(f"[{proc.returncode}] {shown}", flush=True)
        if proc.returncode != expect:
            raise TourError(f"{shown} ended with status {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
        return proc

    def cli_run(self, *args: str, expect: int = 0) -> str:
        return self.run(self.cli, "--db", self.db, *args, expect=expect).stdout

    def file(self, name: str, starts: bytes) -> Path:
        path = self.work / name
        if not path.is_file() or not path.read_bytes().startswith(starts):
            raise TourError(f"{name} was not written (or is not a {starts!r} file).")
        return path

    def this_year(self) -> None:
        """The pilot: the demo cohort, matched, told, evaluated and reported on."""
        self.run(self.cli, "--version")
        self.cli_run("demo", "--with-evaluations")
        cohorts = json.loads(self.cli_run("cohorts", "--format", "json"))
        if [c["name"] for c in cohorts] != [COHORT]:
            raise TourError(f"cohorts lists {cohorts!r}")
        people = json.loads(self.cli_run("participants", "--cohort", COHORT, "--format", "json"))
        if {p["role"] for p in people} != {"mentee", "mentor"}:
            raise TourError(f"participants lists {len(people)} people, not the demo's mentees and mentors")
        self.cli_run("matches", "--cohort", COHORT)
        self.cli_run("match", "--cohort", COHORT, "--format", "json")
        self.cli_run("confirm", "--cohort", COHORT)
        self.cli_run("export", "roster", "--cohort", COHORT, "-o", "roster.xlsx")
        self.file("roster.xlsx", b"PK")
        self.cli_run("export", "letters", "--cohort", COHORT, "-o", "letters.pdf")
        self.file("letters.pdf", b"%PDF")
        self.cli_run("export", "report", "--cohort", COHORT, "-o", "report.pdf")
        self.file("report.pdf", b"%PDF")
        self.cli_run("evaluation", "--cohort", COHORT)
        self.cli_run("export", "evaluation-forms", "--cohort", COHORT, "--stage", "six-month", "-o", "forms.xlsx")
        self.cli_run("import-evaluations", "forms.xlsx", "--cohort", COHORT, "--dry-run")
        self.cli_run("export", "application-template", "-o", "applications.xlsx")
        self.file("applications.xlsx", b"PK")

    def next_year(self) -> None:
        """A second cohort imported from the first's list; a person's data exported, erased, restored."""
        people = json.loads(self.cli_run("participants", "--cohort", COHORT, "--format", "json"))
        mentee = next(p for p in people if p["role"] == "mentee")
        # Next year's cohort, imported from this year's list (mentors only: mentees need goals the CSV lacks).
        self.cli_run("cohorts", "add", SECOND, "--start", "2027-09-01")
        (self.work / "people.csv").write_text(self.cli_run("participants", "--cohort", COHORT, "--format", "csv"))
        args = ("--cohort", SECOND, "--accept-suggested-values", "--skip-invalid")
        self.cli_run("import", "people.csv", *args)
        mentors = json.loads(self.cli_run("participants", "--cohort", SECOND, "--format", "json"))
        if not mentors or {p["role"] for p in mentors} != {"mentor"}:
            raise TourError(f"the import brought {len(mentors)} participants into {SECOND}")
        self.cli_run("subject-access", mentee["email"], "-o", "subject-access")
        self.file("subject-access.pdf", b"%PDF")
        json.loads(self.file("subject-access.json", b"{").read_text(encoding="utf-8"))
        self.cli_run("backup", "-o", "before-erasure.db")
        self.cli_run("backups")
        self.cli_run("retention")
        self.cli_run("erase", mentee["email"], "--yes")
        self.cli_run("anonymise", "--cohort", SECOND, "--yes")
        self.cli_run("log")
        self.cli_run("restore", str(self.work / "before-erasure.db"))
        self.cli_run("export", "report", "--cohort", COHORT, "-o", "report.pdf", expect=1)  # never over a file
        self.cli_run("nonsense", expect=2)

    def large_cohort(self) -> None:
        """A cohort too big for the dense solver: the sparse one (lap's, scipy's as fallback) and its proof."""
        self.cli_run("demo", "--cohort", LARGE, "--mentees", "1600", "--mentors", "800", "--seed", "7")
        plan = json.loads(self.cli_run("match", "--cohort", LARGE, "--format", "json"))
        if not plan["exact"] or len(plan["matches"]) < 1000:
            raise TourError(f"the large cohort's plan: exact {plan['exact']}, {len(plan['matches'])} pairs")

    def pages(self) -> list[str]:
        """A picture of every page the window has (their names asked of the window itself)."""
        proc = self.run(self.gui, "--db", self.db, "--screenshot", "x.png", "--page", "no-such-page", expect=2)
        found = re.search(r"the pages are: (.+)\.", proc.stderr)
        if not found:
            raise TourError(f"the window did not list its pages: {proc.stderr[-2000:]}")
        names = found.group(1).split(", ")
        for name in names:
            self.run(self.gui, "--db", self.db, "--screenshot", f"page-{name}.png", "--page", name)
            picture = self.file(f"page-{name}.png", b"\x89PNG")
            if picture.stat().st_size < 20_000:
                raise TourError(f"the picture of the {name} page is nearly empty ({picture.stat().st_size} bytes)")
        return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True, help="the installed mentorapp-cli program")
    parser.add_argument("--gui", required=True, help="the installed mentorapp program (the window)")
    parser.add_argument("--work", required=True, type=Path, help="a new folder to work in")
    parser.add_argument("--bare-env", action="store_true", help="run the programs with an empty environment")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=False)
    tour = Tour(str(Path(args.cli).resolve()), str(Path(args.gui).resolve()), args.work.resolve(), args.bare_env)
    try:
        tour.this_year()
        pages = tour.pages()  # of the pilot's cohort (the window shows the cohort used last)
        tour.next_year()
        tour.large_cohort()
    except TourError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"Every step worked ({tour.steps} runs); pictures of {', '.join(pages)} in {args.work}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
