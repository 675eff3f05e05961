"""cohorts weights: list, change (penalties as positive amounts), refuse with a sentence, back to defaults."""

from __future__ import annotations

import json

from tests.cli.test_cli_basics import run


def test_weights_are_listed_changed_and_refused(capsys, db_path):
    assert run(capsys, "--db", db_path, "demo", "--mentees", "5", "--mentors", "3")[0] == 0
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "weights", "--format", "json")
    shown = {row["name"]: row["value"] for row in json.loads(out)["weights"]}
    assert code == 0 and shown["text"] == 0.4 and shown["stage_junior"] == 0.3

    code, out, err = run(
        capsys, "--db", db_path, "cohorts", "weights", "--set", "text=0.6", "--set", "stage_junior=0.2"
    )
    assert code == 0 and "saved" in out and "Wrote to the database" in err
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "weights")
    assert "(default 0.4)" in out.splitlines()[4]

    code, _, err = run(capsys, "--db", db_path, "cohorts", "weights", "--set", "text=2")
    assert code == 1 and err.strip() == "The weight text must be between 0 and 1."
    code, _, err = run(capsys, "--db", db_path, "cohorts", "weights", "--set", "text")
    assert code == 2 and "NAME=VALUE" in err

    assert run(capsys, "--db", db_path, "cohorts", "weights", "--defaults")[0] == 0
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "weights")
    assert "default" not in out.split("\n", 1)[1]
