"""The core (mentorapp/) never loads Qt: every one of its modules is imported in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import importlib, json, pkgutil, sys
import mentorapp
names = sorted(m.name for m in pkgutil.walk_packages(mentorapp.__path__, "mentorapp."))
failed = {}
for name in names:
    if name.startswith("mentorapp.store.migrations."):
        continue  # Alembic's scripts: run by Alembic inside a migration, not importable alone
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "mentorapp_ui"))
print(json.dumps({"imported": names, "failed": failed, "qt": qt}))
"""


def test_every_core_module_imports_without_loading_pyside6():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}
    # The walk found the wings, not an empty package.
    for wing in ("mentorapp.store.workspace", "mentorapp.cli.main", "mentorapp.matching.actions", "mentorapp.privacy"):
        assert wing in report["imported"]
    assert report["qt"] == [], f"the core loaded Qt: {report['qt'][:5]}"
