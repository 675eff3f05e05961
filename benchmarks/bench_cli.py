"""The command line as a script meets it: what every command costs to start, and the participant list as JSON.

1. Fixed cost: ``cohorts`` on a 40-person database, a whole process, against a
   bare ``python -c "import sqlalchemy, sqlalchemy.orm, argparse, sqlite3"``
   (what any command that reads a database must at least load), made the quickest
   way: with the cyclic garbage collector paused, as ours starts (mentorapp/__main__.py;
   it saves about 40 ms, some of it over SQLAlchemy's own import, which would otherwise
   be a saving the reference could have had too). Best of 24 runs a side, in two batches
   of 12 with the next job between them. Goal <= 1.5x.
2. ``participants --format json`` at 10,000, with the fixed cost taken off (the
   same command on the 40-person database, timed beside it), against sqlite3
   reading the same fields (participant with its person, goals, expertise) and
   ``json.dumps`` of the same shape written to the same place. Goal <= 2x.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

from benchmarks.fixtures import cli, env, small_database, society_database
from benchmarks.timing import interleaved, process, ratio_row

BARE = "import gc; gc.disable(); import sqlalchemy, sqlalchemy.orm, argparse, sqlite3"

PERSON = ("title", "first_name", "last_name", "email", "phone", "membership_number", "consent")
MEMBERSHIP = (
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "role",
    "capacity",
    "notes",
    "meeting_preference",
    "availability",
    "experience",
)


def reference_json(path: Path, out) -> None:
    """sqlite3 and json.dumps: the same fields of every participant of the database, written in one piece."""
    con = sqlite3.connect(path)
    columns = ", ".join([*(f"person.{c}" for c in PERSON), *(f"participant.{c}" for c in MEMBERSHIP)])
    names = ("id", *PERSON, *MEMBERSHIP)
    rows = con.execute(
        f"SELECT participant.id, {columns} FROM participant JOIN person ON person.id = participant.person_id "
        "ORDER BY person.last_name, person.first_name, participant.id"
    ).fetchall()
    goals: dict[int, list] = {}
    for pid, horizon, text, areas in con.execute("SELECT participant_id, horizon, text, focus_areas FROM goal"):
        goals.setdefault(pid, []).append({"horizon": horizon, "text": text, "focus_areas": json.loads(areas)})
    expertise: dict[int, list] = {}
    for pid, area, years in con.execute("SELECT participant_id, focus_area, years FROM expertise"):
        expertise.setdefault(pid, []).append({"focus_area": area, "years": years})
    data = [
        dict(zip(names, row)) | {"goals": goals.get(row[0], []), "expertise": expertise.get(row[0], [])} for row in rows
    ]
    out.write(json.dumps(data, ensure_ascii=False) + "\n")  # the C encoder: the fastest the json module is
    con.close()


def main() -> None:
    small = small_database()
    society, _cohort = society_database()
    environment = env()
    process(cli(small, "cohorts"), environment)()  # first run: the daily backup, compiled files
    process(cli(society, "cohorts"), environment)()

    # Best of 12, not 5, in two batches with the participants row between them: both take a third of a
    # second and differ by a fraction of that, less than a busy machine's worst minutes. Best-of-5 of the
    # bare import once read 469 ms (against 272 ms), and one batch of 12 read 418 ms (against 251 ms):
    # a load that lasts as long as a batch slows one side more than the other; a second batch a
    # minute later does not meet the same load.
    fixed = {
        "bare": process([sys.executable, "-c", BARE], environment),
        "cohorts": process(cli(small, "cohorts"), environment),
    }
    first = interleaved(fixed, repeat=12)

    with open(os.devnull, "w", encoding="utf-8") as devnull:
        listing = interleaved(
            {
                "reference": lambda: reference_json(society, devnull),
                "small": process(cli(small, "participants", "--format", "json"), environment),
                "ours": process(cli(society, "participants", "--format", "json"), environment),
            }
        )
    second = interleaved(fixed, repeat=12)
    best = {side: min(first[side], second[side]) for side in fixed}
    ratio_row(
        "any command's fixed cost: `cohorts`, 40 people, vs bare SQLAlchemy import (best of 2 x 12)",
        best["cohorts"],
        best["bare"],
        1.5,
    )
    ratio_row(
        "`participants --format json`, 10,000, fixed cost off, vs sqlite3 + json.dumps",
        listing["ours"] - listing["small"],
        listing["reference"],
        2.0,
    )


if __name__ == "__main__":
    main()
