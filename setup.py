"""Package layout that pyproject.toml cannot say alone: the repository's ``ui/`` folder
installs as ``mentorapp_ui``, so that nothing generic (``ui``, ``main``) is installed."""

from setuptools import find_namespace_packages, setup

SKIP = ["*.__pycache__", "*.__pycache__.*"]
CORE = find_namespace_packages(include=["mentorapp", "mentorapp.*"], exclude=SKIP)
UI = ["mentorapp_ui" + name[len("ui") :] for name in find_namespace_packages(include=["ui", "ui.*"], exclude=SKIP)]

setup(packages=CORE + UI, package_dir={"mentorapp_ui": "ui"})
