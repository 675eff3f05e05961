"""What goes into the one-folder bundle, worked out from the repository (read by packaging/mentorapp.spec).

The bundle is built from a staging copy laid out as the wheel installs it (setup.py's ``package_dir``:
``ui/`` as ``mentorapp_ui``, ``resources/`` as ``mentorapp.resources``), so that PyInstaller sees the
same names as an installed copy and never the editable install's import hook.

Nothing here is a hand list of modules: every module of ``mentorapp`` and ``mentorapp_ui`` is collected
from the package trees (pages and command modules are imported by name at run time, which PyInstaller
cannot see), and the build stops with a sentence if a page of the window's registry (``PAGES``) or a
command module (``COMMAND_MODULES``) is not among them. Data files (fonts, icons, templates, the
letterhead, the Alembic migrations, which Alembic reads as files) are listed from their folders.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Installed name -> repository folder, as setup.py's package_dir says (its packages are these trees).
PACKAGE_DIRS = {"mentorapp": "mentorapp", "mentorapp_ui": "ui", "mentorapp/resources": "resources"}
# Alembic reads its environment and revisions as files: shipped as data, not as compiled modules.
MIGRATIONS = "mentorapp/store/migrations"

# Python packages that are build or test tools, or that a library imports only to download (wordllama's
# model ships in its wheel and is loaded with downloads disabled).
PYTHON_EXCLUDES = [
    "tkinter",
    "pytest",
    "pytestqt",
    "hypothesis",
    "PyInstaller",
    "IPython",
    "matplotlib",
    "pandas",
    "huggingface_hub",
    "hf_xet",
    "fsspec",
    "tqdm",
    "yaml",
    "pygments",
    "PIL._avif",  # AVIF images (and their 5 MB library): letters and reports use PNG and JPEG
    "PIL.AvifImagePlugin",
    # Never imported by mentorapp, not even on PostgreSQL (`make bundle-check` reads none of their files):
    # SQLAlchemy's other dialects (alembic names them only for type checking), help()'s topics, doctest,
    # and decimal's pure-Python fallback (the C module _decimal is there).
    "sqlalchemy.dialects.mssql",
    "sqlalchemy.dialects.mysql",
    "sqlalchemy.dialects.oracle",
    "pydoc_data",
    "doctest",
    "_pydecimal",
    # Python's TLS and OpenSSL hashes, and with them 5 MB of libcrypto and libssl: nothing in mentorapp
    # talks to a network but psycopg, which carries its own; hashlib then uses Python's own sha256 and md5.
    "_ssl",
    "_hashlib",
    # rapidfuzz's AVX2 builds (5 MB): its baseline build, kept, gives the same results on every processor.
    "rapidfuzz.fuzz_cpp_avx2",
    "rapidfuzz.distance.metrics_cpp_avx2",
]
# Parts of Qt a widgets application on a desktop never loads, dropped after PyInstaller's hooks collected
# them: translations (mentorapp is in English), QML and Quick (pulled in by the virtual keyboard), the
# PDF image plugin (PDFs are drawn with pypdfium2), networking, and the platforms and input plugins of
# embedded devices. `make bundle` checks afterwards that every library left finds what it links to.
UNUSED_QT = (
    "*/Qt/translations/*",
    "*/qml/*",
    "*Qt6Quick*",
    "*Qt6Qml*",
    "*Qt6VirtualKeyboard*",
    "*Qt6Pdf*",
    "*Qt6Network*",
    "*Qt6EglFS*",
    "*Qt6EglFs*",
    "*/plugins/egldeviceintegrations/*",
    "*/plugins/generic/*",
    "*/plugins/networkinformation/*",
    "*/plugins/tls/*",
    "*/plugins/qmltooling/*",
    "*/plugins/platforminputcontexts/*virtualkeyboard*",
    "*/plugins/imageformats/*qpdf*",
    "*/plugins/platforms/*qeglfs*",
    "*/plugins/platforms/*qlinuxfb*",
    "*/plugins/platforms/*qminimal*",
    "*/plugins/platforms/*qvkkhrdisplay*",
    "*/plugins/platforms/*qvnc*",
)
# wordllama's C, C++ and Cython sources sit beside its compiled modules.
SOURCE_FILES = ["**/*.c", "**/*.cpp", "**/*.h", "**/*.hpp", "**/*.pxd", "**/*.pyx"]
_QT_IMPORT = re.compile(r"PySide6\.(Qt\w+)|from PySide6 import ([\w, ()\n]+)")


def stage(dest: Path) -> Path:
    """Copy the packages into ``dest`` as the wheel installs them; ``dest`` is emptied first."""
    if dest.exists():
        shutil.rmtree(dest)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for installed, folder in PACKAGE_DIRS.items():
        target = dest / installed
        if target.exists():  # a sub-package mapped from elsewhere (resources) joins its parent's copy
            shutil.copytree(ROOT / folder, target, ignore=skip, dirs_exist_ok=True)
        else:
            shutil.copytree(ROOT / folder, target, ignore=skip)
    return dest


def modules(staged: Path) -> list[str]:
    """Every module of ``mentorapp`` and ``mentorapp_ui`` in the staged tree (the migrations aside)."""
    found = []
    for top in ("mentorapp", "mentorapp_ui"):
        for path in sorted((staged / top).rglob("*.py")):
            rel = path.relative_to(staged)
            if rel.as_posix().startswith(MIGRATIONS + "/"):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append(".".join(parts))
    return found


def data_files(staged: Path) -> list[tuple[str, str]]:
    """(file, folder in the bundle) for the resources' files and the whole migrations folder."""
    pairs = []
    for path in sorted(staged.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(staged).as_posix()
        is_resource = rel.startswith("mentorapp/resources/") and path.suffix != ".py"
        if is_resource or rel.startswith(MIGRATIONS + "/"):
            pairs.append((str(path), str(Path(rel).parent)))
    return pairs


def names_loaded_by_name(staged: Path) -> list[str]:
    """The modules the application imports by name: the window's pages and the command modules."""
    sys.path.insert(0, str(staged))
    try:
        pages = importlib.import_module("mentorapp_ui.app.main_window").PAGES
        commands = importlib.import_module("mentorapp.cli.main").COMMAND_MODULES
    finally:
        sys.path.remove(str(staged))
    return [entry.module for entry in pages] + list(commands)


def check_collected(hidden: list[str], needed: list[str]) -> None:
    """Stop the build, with one sentence, if a module imported by name would be missing from the bundle."""
    missing = sorted(set(needed) - set(hidden))
    if missing:
        raise SystemExit(f"The bundle would lack {', '.join(missing)}, imported by name at run time.")


def qt_used(staged: Path) -> set[str]:
    """The PySide6 modules the application's code imports (``PySide6.QtX`` or ``from PySide6 import QtX``)."""
    used = set()
    for path in staged.rglob("*.py"):
        for dotted, listed in _QT_IMPORT.findall(path.read_text(encoding="utf-8")):
            used.update([dotted] if dotted else re.findall(r"Qt\w+", listed))
    return used


def qt_excludes(staged: Path) -> list[str]:
    """Every PySide6 module installed that the code does not import (a library may reach for one)."""
    spec = importlib.util.find_spec("PySide6")
    folder = Path(next(iter(spec.submodule_search_locations)))
    installed = {p.name.split(".")[0] for p in folder.iterdir() if p.name.startswith("Qt") and p.is_file()}
    installed.discard("QtAsyncio")
    return sorted(f"PySide6.{name}" for name in installed - qt_used(staged))


def keep(dest: str) -> bool:
    """False for a collected file the application never uses (see UNUSED_QT)."""
    dest = "/" + dest.replace("\\", "/")
    return not any(fnmatch.fnmatch(dest, pattern) for pattern in UNUSED_QT)


def strip_debug_info(internal: Path) -> None:
    """Remove debugging information and the static symbol tables from the bundle's libraries (Linux).

    ``--strip-unneeded`` keeps the dynamic symbols the loader and Python's imports resolve; what goes is
    for debuggers only (about 13 MB, most of it tokenizers', scipy's and libpython's). Libraries in a
    wheel's ``*.libs`` folder (numpy's and scipy's BLAS, Pillow's codecs) are left alone: they were
    rewritten by auditwheel, and stripping them again makes them unloadable (as PyInstaller's own
    ``strip=True`` does).
    """
    tool = shutil.which("strip")
    if tool is None or not sys.platform.startswith("linux"):
        return
    libraries = [
        str(path)
        for path in sorted(internal.rglob("*.so*"))
        if path.is_file()
        and not path.is_symlink()
        and not any(part.endswith(".libs") for part in path.relative_to(internal).parts)
    ]
    for start in range(0, len(libraries), 200):
        subprocess.run([tool, "--strip-unneeded", *libraries[start : start + 200]], check=True)


def link_duplicates(internal: Path) -> None:
    """Replace a library repeated byte for byte in another wheel's ``*.libs`` folder by a link to the first.

    numpy and scipy each ship the same libgfortran (same name, same bytes); the loader finds either
    path. Where links are not at home (Windows), nothing is changed.
    """
    if not sys.platform.startswith("linux"):
        return
    first: dict[str, Path] = {}
    for folder in sorted(p for p in internal.iterdir() if p.is_dir() and p.name.endswith(".libs")):
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.is_symlink():
                continue
            seen = first.setdefault(path.name, path)
            if seen != path and seen.read_bytes() == path.read_bytes():
                path.unlink()
                path.symlink_to(Path("..") / seen.relative_to(internal))


def unresolved_links(internal: Path) -> dict[str, set[str]]:
    """Linux: for each library a bundled Qt library or plugin links to but cannot find, which files need it.

    Looked up as the bundle does (its own folders first, then the system's), with ``ldd``.
    """
    ldd = shutil.which("ldd")
    if ldd is None or not sys.platform.startswith("linux"):
        return {}
    env = {"LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing: dict[str, set[str]] = {}
    for path in sorted((internal / "PySide6").rglob("*.so*")):
        if not path.is_file():
            continue
        out = subprocess.run([ldd, str(path)], capture_output=True, text=True, env=env).stdout
        for name in re.findall(r"^\s*(\S+)\s+=>\s+not found", out, re.MULTILINE):
            missing.setdefault(name, set()).add(path.relative_to(internal).as_posix())
    return missing


def check_links(internal: Path) -> None:
    """Stop the build if a Qt library dropped as unused is needed after all; name what the system must provide."""
    missing = unresolved_links(internal)
    dropped = sorted(name for name in missing if not keep(f"PySide6/Qt/lib/{name}"))
    if dropped:
        needed_by = sorted(set().union(*(missing[name] for name in dropped)))
        raise SystemExit(f"The bundle drops {', '.join(dropped)}, which {', '.join(needed_by)} link to.")
    if missing:
        print(f"Left to the system, and missing on this one: {', '.join(sorted(missing))} (see README, Linux).")
