"""The wheel, installed (not editable) into a new environment and run from another folder with an empty
environment (env -i), does a coordinator's jobs: the command line's letters, report and subject access,
and the window.

The new environment gets mentorapp from the wheel alone; its libraries (PySide6, SQLAlchemy …) are
borrowed from the test environment's site-packages through a path file, which adds the folder but never
runs the editable install's hook there, so nothing of the repository can be found. (`make bundle-check`
and scripts/try_installed.py run the full tour: every command and every page.)
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a new environment holding the wheel built from this tree."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in ("mentorapp", "ui", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip"]
    build = subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp), str(source)], capture_output=True, text=True)
    if build.returncode and "No matching distribution" in build.stderr:
        pytest.skip("the build backend (setuptools) cannot be fetched here")
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp.glob("mentorapp-*.whl")
    env_dir = tmp / "fresh"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, capture_output=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed_libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin"


def run(bin_dir: Path, work: Path, program: str, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    """``program`` with an empty environment (no PATH, no Python, no MENTORAPP_DB), in ``work``."""
    env = {"HOME": str(work / "home"), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), str(bin_dir / program), *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == expect, proc.stdout + proc.stderr
    return proc


def test_only_mentorapp_names_are_installed_and_they_come_from_the_wheel(installed, tmp_path):
    probe = (
        "import importlib.util, json, mentorapp, mentorapp_ui, mentorapp.resources;"
        "print(json.dumps([mentorapp.__file__, mentorapp_ui.__file__, mentorapp.resources.__file__,"
        " importlib.util.find_spec('ui'), importlib.util.find_spec('main')]))"
    )
    proc = subprocess.run([str(installed / "python"), "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    core, screens, resources, ui, main = json.loads(proc.stdout)
    site = str(installed.parent / "lib")
    assert core.startswith(site) and screens.startswith(site) and resources.startswith(site)
    assert ui is None and main is None


@pytest.mark.skipif(not Path("/usr/bin/env").exists(), reason="needs env -i")
def test_the_installed_commands_and_window_do_a_coordinators_jobs_from_another_folder(installed, tmp_path):
    (tmp_path / "home").mkdir()
    db = str(tmp_path / "society.db")
    assert run(installed, tmp_path, "mentorapp-cli", "--version").stdout.startswith("mentorapp")

    def cli(*args: str) -> str:
        return run(installed, tmp_path, "mentorapp-cli", "--db", db, *args).stdout

    cli("demo", "--with-evaluations")
    people = json.loads(cli("participants", "--format", "json"))
    cli("confirm")
    cli("export", "letters", "-o", "letters.pdf")
    cli("export", "report", "-o", "report.pdf")
    cli("subject-access", people[0]["email"], "-o", "person")
    for name in ("letters.pdf", "report.pdf", "person.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF"), name
    assert json.loads((tmp_path / "person.json").read_text(encoding="utf-8"))
    run(installed, tmp_path, "mentorapp", "--db", db, "--screenshot", "report.png", "--page", "report")
    picture = tmp_path / "report.png"
    assert picture.read_bytes().startswith(b"\x89PNG") and picture.stat().st_size > 20_000
    # The database was opened through the installed migrations, and the log went to the data folder.
    assert (tmp_path / "home" / ".local" / "share" / "mentorapp").is_dir()
