"""The match board's pieces: item models, card painting, views, dialogs and the suggestion worker."""

# The board's card delegates make many void Qt calls; see the module for why this must run first.
import mentorapp_ui.app.pyside_workarounds  # noqa: F401
