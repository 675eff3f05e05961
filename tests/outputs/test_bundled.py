"""Bundled files (fonts, icons, letter templates, the logo) are found through the package, as an
installed copy finds them, and the wheel carries them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mentorapp.outputs import bundled, pdf_fonts
from mentorapp_ui.app.resources import icon_path

ROOT = Path(__file__).resolve().parents[2]  # the test reads the repository; the code never climbs
RESOURCES = ROOT / "resources"


def repository_resources() -> list[Path]:
    """Every file of the top-level resources/ folder, relative to it (its __init__.py aside)."""
    return sorted(
        p.relative_to(RESOURCES)
        for p in RESOURCES.rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    )


def test_every_bundled_file_is_found_through_the_package():
    found = repository_resources()
    assert {p.parts[0] for p in found} == {"fonts", "icons", "letter_templates", "letterhead"}
    for rel in found:
        assert bundled.bundled(*rel.parts).read_bytes() == (RESOURCES / rel).read_bytes(), rel
        assert bundled.bundled_path(*rel.parts).is_file(), rel


def test_the_files_letters_reports_and_the_window_use_are_there():
    assert bundled.default_logo().is_file()
    assert set(json.loads(bundled.default_letter_template_text())) >= {"mentee_body", "mentor_body"}
    for filename in pdf_fonts._FILES.values():
        assert bundled.font_path(filename).is_file(), filename
    assert icon_path("mentorapp.svg").is_file()


def test_no_module_climbs_out_of_its_package():
    climbing = re.compile(r"parent\.parent|parents\[")
    offenders = [
        str(path.relative_to(ROOT))
        for base in ("mentorapp", "ui")
        for path in (ROOT / base).rglob("*.py")
        if climbing.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.slow
def test_the_wheel_installs_only_mentorapp_names_with_their_data(tmp_path):
    # Build from a copy, so that the build leaves nothing in the working tree.
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in ("mentorapp", "ui", "resources"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    if build.returncode and "No matching distribution" in build.stderr:
        pytest.skip("the build backend (setuptools) cannot be fetched here")
    assert build.returncode == 0, build.stderr
    # The backend's warnings (BuildBackendWarning, SetuptoolsDeprecationWarning: a licence table, package
    # data outside the listed packages) are printed with the build's output.
    assert not re.findall(r"\w+Warning\b", build.stdout + build.stderr), build.stdout + build.stderr
    (wheel,) = out.glob("mentorapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())

    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"mentorapp", "mentorapp_ui"}
    for rel in repository_resources():
        assert f"mentorapp/resources/{rel.as_posix()}" in names, rel
    migrations = {n for n in names if n.startswith("mentorapp/store/migrations/")}
    assert {"mentorapp/store/migrations/env.py", "mentorapp/store/migrations/script.py.mako"} <= migrations
    assert any(n.startswith("mentorapp/store/migrations/versions/0001_") for n in migrations)
    assert "mentorapp_ui/app/main_window.py" in names
