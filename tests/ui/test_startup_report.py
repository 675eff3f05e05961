"""`main.py --startup-report` ends on every first page, whatever is still being built when it closes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.ui.test_startup import ROOT, _env


@pytest.mark.parametrize("first_page", ["outputs", "evaluation", "report"])
def test_startup_report_exits_whatever_the_first_page(tmp_path, demo_db, first_page):
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(demo_db.path), "--page", first_page]
    try:
        result = subprocess.run(
            [*command, "--startup-report"], capture_output=True, text=True, timeout=90, env=_env(tmp_path)
        )
    except subprocess.TimeoutExpired:  # a guard against hanging the suite, not a measure of speed
        pytest.fail(f"--startup-report on the {first_page} page did not exit (the other pages were still being built)")
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["shown", "ready"]
