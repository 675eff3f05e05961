"""Files bundled with mentorapp: fonts, icons, letter templates, the default letterhead logo.

This folder installs as the package ``mentorapp.resources`` (see ``setup.py``); code finds its files
through ``importlib.resources`` by way of ``mentorapp.outputs.bundled``, never by a path on disk.
"""
