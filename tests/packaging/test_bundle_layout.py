"""What the one-folder bundle collects is worked out from the repository: every page and command
module, the data files, and only the parts of Qt that a widgets application loads."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from mentorapp.cli.main import COMMAND_MODULES
from mentorapp_ui.app.main_window import PAGES

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bundle_layout", ROOT / "packaging" / "bundle_layout.py")
layout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(layout)


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    return layout.stage(tmp_path_factory.mktemp("bundle") / "staged")


def test_the_staged_tree_is_laid_out_as_the_wheel_installs_it(staged):
    assert (staged / "mentorapp_ui" / "app" / "main_window.py").is_file()
    assert (staged / "mentorapp" / "resources" / "fonts" / "DejaVuSans.ttf").is_file()
    assert not (staged / "ui").exists() and not (staged / "resources").exists()


def test_every_page_and_command_module_is_collected(staged):
    hidden = layout.modules(staged)
    needed = layout.names_loaded_by_name(staged)
    assert {entry.module for entry in PAGES} | set(COMMAND_MODULES) == set(needed)
    assert set(needed) <= set(hidden)
    assert "mentorapp.resources" in hidden and "mentorapp_ui" in hidden
    assert not [name for name in hidden if name.startswith("mentorapp.store.migrations")]


def test_a_page_added_to_the_tree_is_collected_without_a_list_to_edit(staged, tmp_path):
    copy = layout.stage(tmp_path / "staged")
    (copy / "mentorapp_ui" / "cohorts").mkdir()
    (copy / "mentorapp_ui" / "cohorts" / "__init__.py").write_text("")
    (copy / "mentorapp_ui" / "cohorts" / "overview_page.py").write_text('"""A later page."""\n')
    assert "mentorapp_ui.cohorts.overview_page" in layout.modules(copy)


def test_a_module_imported_by_name_that_is_missing_stops_the_build_with_a_sentence():
    with pytest.raises(SystemExit, match=r"would lack mentorapp_ui\.running\.page, imported by name"):
        layout.check_collected(["mentorapp_ui.people.page"], ["mentorapp_ui.people.page", "mentorapp_ui.running.page"])


def test_data_files_are_the_resources_and_the_migrations(staged):
    pairs = layout.data_files(staged)
    targets = {Path(src).relative_to(staged).as_posix(): dest for src, dest in pairs}
    assert targets["mentorapp/resources/fonts/DejaVuSans.ttf"] == "mentorapp/resources/fonts"
    assert targets["mentorapp/resources/letter_templates/default.json"] == "mentorapp/resources/letter_templates"
    assert targets["mentorapp/store/migrations/env.py"] == "mentorapp/store/migrations"
    assert targets["mentorapp/store/migrations/script.py.mako"] == "mentorapp/store/migrations"
    versions = [t for t in targets if t.startswith("mentorapp/store/migrations/versions/0001_")]
    assert versions and all(targets[v] == "mentorapp/store/migrations/versions" for v in versions)
    assert "mentorapp/resources/__init__.py" not in targets  # a module, collected as one


def test_only_the_qt_modules_the_code_imports_are_kept(staged):
    used = layout.qt_used(staged)
    assert {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtCharts"} <= used
    excluded = layout.qt_excludes(staged)
    assert "PySide6.QtQuick" in excluded and "PySide6.QtWebEngineCore" not in {f"PySide6.{u}" for u in used}
    assert not {f"PySide6.{name}" for name in used} & set(excluded)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/lib/libQt6Charts.so.6", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6\\Qt6Quick.dll", False),
    ],
)
def test_unused_parts_of_qt_are_dropped(dest, kept):
    assert layout.keep(dest) is kept


@pytest.mark.skipif(not shutil.which("ldd"), reason="ldd is Linux's")
def test_a_dropped_qt_library_that_is_needed_after_all_stops_the_build(tmp_path):
    qt = Path(importlib.util.find_spec("PySide6").submodule_search_locations[0]) / "Qt"
    plugin = qt / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so"
    if not plugin.is_file():
        pytest.skip("this PySide6 has no virtual keyboard plugin")
    kept = tmp_path / "PySide6" / "Qt" / "plugins" / "platforminputcontexts" / plugin.name
    kept.parent.mkdir(parents=True)
    shutil.copy2(plugin, kept)  # as if the filter had kept the plugin but dropped its library
    with pytest.raises(SystemExit, match=r"drops .*libQt6VirtualKeyboard\.so\.6.*libqtvirtualkeyboardplugin\.so"):
        layout.check_links(tmp_path)
