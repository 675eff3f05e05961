"""Package layout that pyproject.toml cannot say alone.

- The repository's ``ui/`` folder installs as ``mentorapp_ui``, so that nothing generic (``ui``, ``main``)
  is installed.
- The repository's top-level ``resources/`` folder (fonts, icons, letter templates, letterhead) installs
  as the package ``mentorapp.resources``, its sub-folders as packages of their own (setuptools wants every
  folder that holds package data listed); which files install is said in pyproject.toml's package-data.
  Code finds them with ``importlib.resources`` through ``mentorapp.outputs.bundled``. ``resources/``
  has an ``__init__.py`` so that the editable install can map the name to the folder (a namespace
  package elsewhere than under ``mentorapp/`` would not be found).
"""

from setuptools import find_namespace_packages, setup

SKIP = ["*.__pycache__", "*.__pycache__.*"]
CORE = find_namespace_packages(include=["mentorapp", "mentorapp.*"], exclude=SKIP)
UI = ["mentorapp_ui" + name[len("ui") :] for name in find_namespace_packages(include=["ui", "ui.*"], exclude=SKIP)]
FOLDERS = find_namespace_packages("resources", exclude=SKIP)
DATA = ["mentorapp.resources", *(f"mentorapp.resources.{name}" for name in FOLDERS)]

setup(packages=CORE + UI + DATA, package_dir={"mentorapp_ui": "ui", "mentorapp.resources": "resources"})
