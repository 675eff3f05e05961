"""Editing the letter template: text with placeholders, a list to insert them, a live preview.

The preview is the real PDF (the same code that prints), rendered with
pypdfium2 a moment after typing stops. An unknown placeholder is shown as an
error under the text at once, and the template cannot be saved or printed.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentorapp.errors import UserError
from mentorapp.outputs.letter_template import (
    PLACEHOLDERS,
    LetterTemplate,
    TemplateError,
    default_template,
    load_template,
    restore_template,
    save_template,
    template_value,
    unknown_placeholders,
)
from mentorapp.outputs.letters import preview_pdf
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.flow import FlowLayout
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.outputs.pdf_render import render_pages

FIX_FIRST = "No preview: fix the placeholder named in red first."
SIDE_LABELS = {"mentee": "Letter to the mentee", "mentor": "Letter to the mentor"}
PREVIEW_DPI = 110
PREVIEW_DELAY_MS = 400


class LetterTemplateEditor(QWidget):
    """Subject and body of each side's letter, with placeholders and a live PDF preview."""

    template_changed = Signal()  # the working copy changed (valid or not)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._template = default_template()
        self._saved = self._template
        self._preview_match_id: int | None = None
        self._last_field: QLineEdit | QPlainTextEdit | None = None

        self.side = QComboBox()
        self.side.setObjectName("templateSide")
        for key, label in SIDE_LABELS.items():
            self.side.addItem(label, key)
        self.side.setToolTip("Which of the two letters of a match you are editing")
        self.side.currentIndexChanged.connect(self._side_changed)

        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        self.subject.setToolTip("The bold line under the greeting")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setTabChangesFocus(True)
        self.body.setToolTip(
            "The letter after 'Dear …,'. Leave a blank line between paragraphs. "
            "A paragraph that is only {mentee_goals} becomes a bulleted list. Write {{ or }} for a brace."
        )
        self.subject.textEdited.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.subject.installEventFilter(self)
        self.body.installEventFilter(self)

        self.placeholders = QListWidget()
        self.placeholders.setObjectName("placeholderList")
        self.placeholders.setToolTip("Double-click (or press Enter) to insert at the cursor")
        for name, description in PLACEHOLDERS.items():
            item = QListWidgetItem("{" + name + "}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(description)
            self.placeholders.addItem(item)
        self.placeholders.itemActivated.connect(self._insert_item)
        insert = QPushButton("&Insert placeholder")
        insert.setObjectName("insertPlaceholder")
        insert.clicked.connect(lambda: self._insert_item(self.placeholders.currentItem()))

        self.error = QLabel()
        self.error.setObjectName("templateError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.save_button = QPushButton("Save template")
        self.save_button.setObjectName("saveTemplate")
        self.save_button.setToolTip("Keep this template for the cohort (Edit > Undo takes it back)")
        self.save_button.clicked.connect(self.save)
        self.default_button = QPushButton("Restore default text")
        self.default_button.setObjectName("defaultTemplate")
        self.default_button.setToolTip("Replace both letters with the text mentorapp ships with")
        self.default_button.clicked.connect(self.restore_default)

        self.preview = QLabel("The preview appears here.")
        self.preview.setObjectName("templatePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setWidget(self.preview)
        self.preview_scroll.setMinimumWidth(150)  # narrow enough for the page to fit a 1024-wide window
        self.preview_scroll.installEventFilter(self)
        self.preview_scroll.setStyleSheet("QScrollArea { background: #8a8f96; } QLabel { background: #8a8f96; }")
        self._preview_image: QImage | None = None
        self.preview_note = QLabel()
        self.preview_note.setObjectName("previewNote")
        self.preview_note.setWordWrap(True)

        self.placeholders.setFlow(QListView.Flow.LeftToRight)
        self.placeholders.setWrapping(True)
        self.placeholders.setResizeMode(QListView.ResizeMode.Adjust)
        self.placeholders.setSpacing(2)
        self.placeholders.setFixedHeight(118)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)

        top = QHBoxLayout()
        top.addWidget(self.side)
        subject_label = QLabel("S&ubject:")
        subject_label.setBuddy(self.subject)
        top.addSpacing(8)
        top.addWidget(subject_label)
        top.addWidget(self.subject, 1)

        editor = QWidget()
        left = QVBoxLayout(editor)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.body, 1)
        left.addWidget(self.error)
        places_row = QHBoxLayout()
        places_label = QLabel("Placehol&ders:")
        places_label.setToolTip(self.placeholders.toolTip())  # the same hint as the list it names
        places_label.setBuddy(self.placeholders)
        places_row.addWidget(places_label, 1)
        places_row.addWidget(insert)
        left.addLayout(places_row)
        left.addWidget(self.placeholders)
        buttons = FlowLayout()  # one under the other where the editor is narrow
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.default_button)
        left.addLayout(buttons)
        viewer = QWidget()
        right = QVBoxLayout(viewer)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.preview_scroll, 1)
        right.addWidget(self.preview_note)

        splitter = QSplitter()
        splitter.setObjectName("templateSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(editor)
        splitter.addWidget(viewer)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addLayout(top)
        outer.addWidget(splitter, 1)
        self._show_side()

    # -- state -------------------------------------------------------------
    def current_side(self) -> str:
        return str(self.side.currentData())

    def template(self) -> LetterTemplate:
        """The working copy, as shown (may hold unknown placeholders)."""
        return self._template

    def is_dirty(self) -> bool:
        return self._template != self._saved

    def check(self) -> str:
        """The error message for the working copy, or '' when it can be printed."""
        try:
            self._template.validate()
        except TemplateError as exc:
            return str(exc)
        return ""

    def load(self) -> None:
        """Read the cohort's saved template (on page refresh and cohort change)."""
        if self.ctx.cohort_id is None:
            self._saved = self._template = default_template()
        else:
            with self.ctx.db.session() as s:
                self._saved = load_template(s, self.ctx.cohort_id)
            self._template = self._saved
        self._show_side()

    def set_preview_match(self, match_id: int | None) -> None:
        if match_id != self._preview_match_id:
            self._preview_match_id = match_id
            self._timer.start()

    # -- editing -------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:  # Qt override: remember the last text field
        if event.type() == event.Type.FocusIn and watched in (self.subject, self.body):
            self._last_field = watched
        elif event.type() == event.Type.Resize and watched is self.preview_scroll:
            self._show_preview_image()  # the page as wide as its pane, also when the splitter between moves
        return super().eventFilter(watched, event)

    def _show_side(self) -> None:
        side = self.current_side()
        with QSignalBlocker(self.subject), QSignalBlocker(self.body):
            self.subject.setText(self._template.subject(side))
            self.body.setPlainText(self._template.body(side))
        self._after_change(emit=False)

    def _side_changed(self) -> None:
        self._show_side()

    def _edited(self) -> None:
        side = self.current_side()
        values = self._template.to_dict()
        values[f"{side}_subject"] = self.subject.text()
        values[f"{side}_body"] = self.body.toPlainText()
        self._template = LetterTemplate(**values)
        self._after_change(emit=True)

    def _after_change(self, emit: bool) -> None:
        side = self.current_side()
        unknown = unknown_placeholders(self.subject.text() + "\n" + self.body.toPlainText())
        message = self.check()
        if unknown:
            names = ", ".join("{" + u + "}" for u in unknown)
            self.error.setText(
                f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {names} in the {side} letter. "
                "Use one from the list below; letters cannot be printed until this is fixed."
            )
        elif message:
            self.error.setText(message.split(";")[0] + " (see the other letter).")
        self.error.setVisible(bool(message))
        self.save_button.setEnabled(not message and self.is_dirty())
        if message:
            self._clear_preview(FIX_FIRST)
        self._timer.start()
        if emit:
            self.template_changed.emit()

    def _insert_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        text = "{" + str(item.data(Qt.ItemDataRole.UserRole)) + "}"
        target = self._last_field or self.body
        if target is self.subject:
            self.subject.insert(text)
            self._edited()
        else:
            self.body.insertPlainText(text)
        target.setFocus()

    # -- saving --------------------------------------------------------------
    def save(self) -> bool:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None or self.check():
            return False
        new = self._template

        def do(s, cmd):
            previous = template_value(s, cohort_id)
            save_template(s, cohort_id, new)
            return previous

        def undo(s, cmd):
            restore_template(s, cohort_id, cmd.result)

        ok = push_command(self.ctx, DbCommand(self.ctx, "Save letter template", do, undo))
        if ok:
            self._saved = new
            self._after_change(emit=False)
        return ok

    def restore_default(self) -> None:
        self._template = default_template()
        self._show_side()
        self.template_changed.emit()

    # -- preview -------------------------------------------------------------
    def update_preview(self) -> None:
        """Render the current side's letter through the real PDF code and show page one."""
        if not self.isVisible():
            # Rendering takes a moment: do it when the editor is first shown, not at start-up.
            self._preview_stale = True
            return
        self._preview_stale = False
        if self.ctx.cohort_id is None:
            self.preview.setText("Choose a cohort to see a preview.")
            return
        if self.check():
            self._clear_preview(FIX_FIRST)
            return
        try:
            with self.ctx.db.session() as s:
                data = preview_pdf(
                    s, self.ctx.cohort_id, self._template, self.current_side(), match_id=self._preview_match_id
                )
        except UserError as exc:
            self._clear_preview(str(exc))
            return
        pages = render_pages(data, dpi=PREVIEW_DPI)
        if pages:
            self._preview_image = pages[0]
            self._show_preview_image()
            more = f" (and {len(pages) - 1} more page{'s' if len(pages) > 2 else ''})" if len(pages) > 1 else ""
            self.preview_note.setText(f"Page 1 of the letter{more}, with the selected match's details.")

    def _clear_preview(self, why: str) -> None:
        """No page while the letter cannot be made: the last good one stayed beside the error, as if valid."""
        self._preview_image = None
        self.preview.clear()
        self.preview.setText("No preview")
        self.preview_note.setText(why)

    def _show_preview_image(self) -> None:
        if self._preview_image is None:
            return
        width = max(self.preview_scroll.viewport().width() - 16, 100)
        pixmap = QPixmap.fromImage(self._preview_image).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(pixmap)

    def showEvent(self, event) -> None:  # Qt override: render a preview put off while hidden
        super().showEvent(event)
        if getattr(self, "_preview_stale", False):
            self._timer.start()

    def resizeEvent(self, event) -> None:  # Qt override: keep the page as wide as the pane
        super().resizeEvent(event)
        self._show_preview_image()
