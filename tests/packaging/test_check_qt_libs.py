"""make run checks the system libraries Qt's X11 plugin needs before starting Qt, and names what is missing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_qt_libs", ROOT / "scripts" / "check_qt_libs.py")
check_qt_libs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_qt_libs)

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd5b1f2000)
\tlibQt6XcbQpa.so.6 => /opt/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f2)
"""


def test_the_missing_libraries_are_named_with_the_packages_that_hold_them():
    missing = check_qt_libs.not_found(LDD)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    sentence = check_qt_libs.sentence(missing)
    assert sentence.endswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1 are missing" in sentence
    assert sentence.count(".") >= 1 and "\n" not in sentence


def test_an_unknown_library_is_named_as_it_is():
    assert check_qt_libs.sentence(["libxcb-future.so.9"]).endswith("apt-get install libxcb-future.so.9")


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_qt_libs.py")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_nothing_is_checked_for_another_platform_than_x11():
    proc = _run(QT_QPA_PLATFORM="offscreen")
    assert proc.returncode == 0 and proc.stderr == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_on_this_system_it_passes_or_names_what_to_install():
    proc = _run()
    if proc.returncode == 0:
        assert proc.stderr == ""
    else:
        assert proc.returncode == 1
        assert proc.stderr.startswith("Qt cannot open its window here") and "sudo apt-get install lib" in proc.stderr
        assert proc.stderr.count("\n") == 1
