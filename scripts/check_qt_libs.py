"""Before Qt starts on Linux: are the system libraries its X11 (xcb) platform plugin needs installed?

    python scripts/check_qt_libs.py      (make run calls it)

Without them Qt stops with "could not load the Qt platform plugin xcb", naming a plugin that is
installed rather than the library that is missing. This asks ``ldd`` what PySide6's xcb plugin and the
Qt libraries under it cannot find, and names the missing libraries and the Debian/Ubuntu packages that
hold them in one sentence (exit status 1). It says nothing and exits 0 where there is nothing to check:
not Linux, no ``ldd``, or Qt told to use another platform (``QT_QPA_PLATFORM=offscreen``, ``wayland``).
Standard library only; PySide6 is found, not imported.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# What Qt's xcb plugin links to, and the Debian/Ubuntu package of each (README: Linux).
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libcups.so.2": "libcups2",
}
# The plugin, the Qt libraries it loads, and the printing plugin (letters are printed from the window).
CHECKED = (
    "Qt/plugins/platforms/libqxcb.so",
    "Qt/lib/libQt6XcbQpa.so.6",
    "Qt/lib/libQt6Gui.so.6",
    "Qt/lib/libQt6Widgets.so.6",
    "Qt/plugins/printsupport/libcupsprintersupport.so",
)
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def not_found(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as not found, in order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def sentence(missing: list[str]) -> str:
    """One sentence naming what is missing and the command that installs it."""
    packages = " ".join(dict.fromkeys(PACKAGES.get(name, name) for name in missing))
    return (
        f"Qt cannot open its window here: the system libraries {', '.join(missing)} are missing; "
        f"install them with: sudo apt-get install {packages}"
    )


def missing_libraries(pyside: Path, ldd: str) -> list[str]:
    """What the xcb plugin and the Qt libraries it loads cannot find on this system."""
    env = {**os.environ, "LD_LIBRARY_PATH": str(pyside / "Qt" / "lib")}
    found: list[str] = []
    for rel in CHECKED:
        target = pyside / rel
        if target.is_file():
            proc = subprocess.run([ldd, str(target)], capture_output=True, text=True, env=env)
            found += not_found(proc.stdout)
    return list(dict.fromkeys(found))


def main() -> int:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    ldd = shutil.which("ldd")
    if not sys.platform.startswith("linux") or (platform and not platform.startswith("xcb")) or ldd is None:
        return 0
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        print("PySide6 is not installed in this Python; run make again to install mentorapp.", file=sys.stderr)
        return 1
    missing = missing_libraries(Path(next(iter(spec.submodule_search_locations))), ldd)
    if missing:
        print(sentence(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
