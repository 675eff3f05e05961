"""The dashboard: how the running scheme stands today, and who needs attention.

One page, figures from :func:`mentorapp.running.dashboard.dashboard` as of
:func:`mentorapp_ui.running.day.today`: the pipeline (applied to completed), the answers to
the check-in due and to the evaluation, the pairs at risk with each flag's reason and date,
the next dates and the days people were chased. Every number and every bar opens the people
behind it (:func:`~mentorapp.running.dashboard.people_behind`). The window opens here once the
cohort has started.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.running.chase_templates import TOPIC_LABELS
from mentorapp.running.dashboard import PIPELINE, PIPELINE_LABELS, Dashboard, Rate, dashboard, people_behind
from mentorapp.running.flags import PairAtRisk
from mentorapp.running.screens_support import pair_ref
from mentorapp.store.models import CHASE_TOPICS
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.widgets import TableView
from mentorapp_ui.running.actions import declare_running_actions
from mentorapp_ui.running.charts import pipeline_chart, responses_chart
from mentorapp_ui.running.day import today
from mentorapp_ui.running.people_list import PeopleDialog
from mentorapp_ui.running.tiles import FigureTile, TileGrid

Index = QModelIndex | QPersistentModelIndex

EXPLAIN = {
    "applied": "every mentee of the cohort, with their pair if they have one",
    "matched": "mentees with a confirmed, active, completed or ended pair",
    "letters_sent": "mentees whose match letter went out",
    "started": "mentees whose pair started",
    "first_meeting_held": "mentees whose pair has met at least once (logged, or said at a check-in)",
    "active": "mentees whose pair is active now",
    "ended_early": "mentees whose pair ended early",
    "completed": "mentees whose pair completed",
    "check_in_answered": "people who answered the check-in due now",
    "check_in_missing": "people asked at the check-in due now who have not answered",
    "evaluation_answered": "people who answered the evaluation stage due",
    "evaluation_missing": "people of started pairs without an answer to the evaluation stage due",
    "at_risk": "the mentees of the pairs at risk, with their mentors",
}
TITLES = {**PIPELINE_LABELS, "check_in_answered": "Check-in answered", "check_in_missing": "Check-in not answered",
          "evaluation_answered": "Evaluation answered", "evaluation_missing": "Evaluation not answered",
          "at_risk": "Pairs at risk"}  # fmt: skip
STAGES = {"baseline": "baseline", "six_month": "six months"}


class AtRiskModel(QAbstractTableModel):
    """One row per flag of each pair at risk: mentee, mentor, why, since."""

    COLUMNS = ("Mentee", "Mentor", "Why", "Since")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[PairAtRisk, Any]] = []

    def set_pairs(self, pairs: list[PairAtRisk]) -> None:
        self.beginResetModel()
        self.rows = [(pair, flag) for pair in pairs for flag in pair.flags]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        pair, flag = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (pair.mentee.name, pair.mentor.name, flag.text, long_date(flag.since))[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return pair.match_id
        return None


def rate_text(rate: Rate | None) -> str:
    if rate is None or not rate.asked:
        return "nobody asked yet"
    return f"{rate.answered} of {rate.asked} answered ({rate.answered / rate.asked:.0%})"


def in_days(n: int) -> str:
    return "today" if n == 0 else f"in {n} day{'s' if n != 1 else ''}" if n > 0 else f"{-n} days ago"


class DashboardPage(Page):
    title = "Dashboard"
    name = "dashboard"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("dashboardPage")
        self.board: Dashboard | None = None
        self.tiles: dict[str, FigureTile] = {}
        self.checkin_forms = declare_running_actions(ctx, self)
        self.meetings_action = self.declare(
            ActionSpec(
                "dashboard.meetings",
                "&Meetings of the selected pair…",
                self.open_selected_pair,
                keys=("Ctrl+T",),
                places=("Running/meetings",),
                status_tip="The meeting log of the pair selected among the pairs at risk: log a meeting",
            )
        )
        self.end_action = self.declare(
            ActionSpec(
                "dashboard.end_early",
                "&End the selected pair early…",
                self.end_selected_pair,
                places=("Running/meetings",),
                status_tip="End the pair selected among the pairs at risk, then find the mentee a new mentor",
            )
        )
        self._build()
        ctx.data_changed.connect(self._changed)
        ctx.cohort_changed.connect(self._changed)

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("dashboardHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.subheading = QLabel()
        self.subheading.setObjectName("dashboardSubheading")
        self.subheading.setStyleSheet("color: #5f6b7a;")
        self.subheading.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("dashboardNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4e5; color: #7a4500; padding: 8px; border-radius: 6px;")
        self.start_button = QPushButton("Start the scheme…")
        self.start_button.setObjectName("dashboardStart")
        self.start_button.clicked.connect(lambda: self.trigger("running.start"))
        chase = QPushButton("Ch&ase e-mails…")
        chase.setObjectName("dashboardChase")
        chase.clicked.connect(lambda: self.open_chase("first-meeting"))
        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        top.addLayout(titles, 1)
        top.addWidget(self.start_button)
        top.addWidget(chase)

        # Tiles in one row where they fit, in even rows where not: at 1024 wide eight in a row cut the page.
        self.tile_row = TileGrid([self._tile(key) for key in PIPELINE])
        self.tile_row.setObjectName("pipelineTiles")
        self.charts = QHBoxLayout()
        pipeline = QGroupBox("Pipeline: mentees at each stage")
        pipeline_layout = QVBoxLayout(pipeline)
        pipeline_layout.addWidget(self.tile_row)
        pipeline_layout.addLayout(self.charts)

        answer_keys = ("check_in_answered", "check_in_missing", "evaluation_answered", "evaluation_missing")
        self.answer_tiles = TileGrid([self._tile(key) for key in answer_keys], spacing=6)
        self.answer_tiles.setObjectName("answerTiles")
        self.rates = QLabel()
        self.rates.setObjectName("responseRates")
        self.rates.setWordWrap(True)
        self.answer_chart = QVBoxLayout()
        answers = QGroupBox("Response rates")
        answers_layout = QVBoxLayout(answers)
        answers_layout.addWidget(self.rates)
        answers_layout.addWidget(self.answer_tiles)
        answers_layout.addLayout(self.answer_chart)

        self.dates = QLabel()
        self.dates.setObjectName("nextDates")
        self.dates.setWordWrap(True)
        self.dates.setTextFormat(Qt.TextFormat.RichText)
        self.chased = QGridLayout()
        self.chased.setColumnStretch(0, 1)
        dates = QGroupBox("Dates")
        dates_layout = QVBoxLayout(dates)
        dates_layout.addWidget(self.dates)
        dates_layout.addLayout(self.chased)
        dates_layout.addStretch(1)

        self.risk_model = AtRiskModel(self)
        self.risk_view = TableView()
        self.risk_view.setObjectName("pairsAtRisk")
        self.risk_view.setAccessibleName("Pairs at risk")
        self.risk_view.setModel(self.risk_model)
        self.risk_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.risk_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.risk_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.risk_view.verticalHeader().hide()
        # One line a flag, columns fitted to the first rows only: hundreds of pairs at risk stay quick.
        self.risk_view.setWordWrap(False)
        self.risk_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.risk_view.horizontalHeader()
        header.setResizeContentsPrecision(50)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.risk_view.setMinimumHeight(170)
        # Double-click or Enter, as the desktop activates items (not doubleClicked too: two dialogs).
        self.risk_view.activated.connect(lambda _i: self.open_selected_pair())
        risk_buttons = QHBoxLayout()
        for text, name, slot in (
            ("Meetin&gs of this pair… (Ctrl+T)", "riskMeetings", self.open_selected_pair),
            ("En&d early…", "riskEnd", self.end_selected_pair),
            ("Chase the pairs at risk…", "riskChase", lambda: self.open_chase("at-risk")),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            risk_buttons.addWidget(button)
        risk_buttons.addStretch(1)
        risk_buttons.addWidget(self._tile("at_risk"))
        self.risk_box = QGroupBox("Pairs at risk")
        risk_layout = QVBoxLayout(self.risk_box)
        risk_layout.addWidget(self.risk_view, 1)
        risk_layout.addLayout(risk_buttons)

        middle = QHBoxLayout()
        middle.addWidget(answers, 3)
        middle.addWidget(dates, 2)
        body = QWidget()
        body.setObjectName("dashboardBody")
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.risk_box)
        layout.addWidget(pipeline)
        layout.addLayout(middle)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.empty = QLabel("Choose a cohort in the toolbar to see how its scheme is running.")
        self.empty.setObjectName("dashboardEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5f6b7a; font-size: 12pt; padding: 40px;")
        self.scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.empty)
        outer.addWidget(scroll, 1)

    def _tile(self, key: str) -> FigureTile:
        tile = FigureTile(key, alert=key in ("at_risk", "ended_early", "check_in_missing", "evaluation_missing"))
        tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        tile.setMinimumHeight(70)
        tile.setCursor(Qt.CursorShape.PointingHandCursor)
        tile.setToolTip(f"Click for the people: {EXPLAIN[key]}")
        tile.clicked.connect(lambda _checked=False, k=key: self.show_people(k))
        self.tiles[key] = tile
        return tile

    # -- loading ---------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None or not self.ctx.has_database:
            self.board = None
            self.empty.show()
            self.scroll.hide()
            return
        try:
            with self.ctx.db.session() as s:
                self.board = dashboard(s, cohort_id, today())
        except UserError as exc:
            self.board = None
            self.empty.setText(str(exc))
            self.empty.show()
            self.scroll.hide()
            return
        self.empty.hide()
        self.scroll.show()
        self.show_board(self.board)

    def show_board(self, b: Dashboard) -> None:
        started = b.pipeline.get("started", 0)
        day_n = None
        if b.schedule:
            start = b.schedule[0].due_on.toordinal() - b.schedule[0].day
            day_n = b.today.toordinal() - start
        self.heading.setText(escape(b.cohort_name))
        when = f"day {day_n} of the scheme, " if day_n is not None and started and day_n >= 0 else ""
        self.subheading.setText(
            f"As of {long_date(b.today)}: {when}evaluation {in_days((b.evaluation_date - b.today).days)}"
        )
        waiting = b.pipeline.get("matched", 0) - started
        self.start_button.setVisible(waiting > 0 and not self.ctx.read_only)
        if not started:
            self.notice.setText(
                "The scheme has not started yet. Confirm the matches on the board, send the letters, then "
                "choose <b>Running ▸ Start the scheme…</b> to make the pairs active from the letters' day."
            )
        elif waiting > 0:
            self.notice.setText(f"{waiting} matched mentee{'s have' if waiting != 1 else ' has'} a pair that has "
                                "not started yet (Running ▸ Start the scheme…).")  # fmt: skip
        active = b.active_past_evaluation
        over = not waiting and active > 0
        if over:
            self.notice.setText(
                f"The evaluation date, {long_date(b.evaluation_date)}, has passed and {active} "
                f"pair{'s are' if active != 1 else ' is'} still active. Once the six-month evaluation is in, "
                "choose <b>Running ▸ Complete the scheme…</b> to mark them completed."
            )
        self.notice.setVisible(not started or waiting > 0 or over)
        for key in PIPELINE:
            self._set_tile(key, b.pipeline.get(key, 0))
        self._show_answers(b)
        self._show_risks(b)
        self._show_dates(b)
        self._replace(self.charts, pipeline_chart(b.pipeline, self.show_people))
        stage = STAGES.get(b.evaluation_stage, b.evaluation_stage)
        self._replace(self.answer_chart, responses_chart(b.check_in, b.evaluation, stage, self.show_people))

    def _set_tile(self, key: str, value: int, label: str = "") -> None:
        self.tiles[key].set_figure(value, label or TITLES[key])

    @staticmethod
    def _replace(layout: Any, widget: QWidget) -> None:
        while layout.count():
            old = layout.takeAt(0).widget()
            if old is not None:
                old.setParent(None)  # gone from the page at once (findChild, focus chain), freed later
                old.deleteLater()
        layout.addWidget(widget)

    def _show_answers(self, b: Dashboard) -> None:
        rate, ev = b.check_in, b.evaluation
        stage = STAGES.get(b.evaluation_stage, b.evaluation_stage)
        due = b.due_check_in
        checkin = f"Check-in of {long_date(due.due_on)}: {rate_text(rate)}." if due else "No check-in is due yet."
        self.rates.setText(f"{checkin}<br>Evaluation ({stage}): {rate_text(ev)}.")
        self._set_tile("check_in_answered", rate.answered if rate else 0)
        self._set_tile("check_in_missing", (rate.asked - rate.answered) if rate else 0)
        self._set_tile("evaluation_answered", ev.answered)
        self._set_tile("evaluation_missing", ev.asked - ev.answered)

    def _show_risks(self, b: Dashboard) -> None:
        self.risk_model.set_pairs(b.at_risk)
        n = len(b.at_risk)
        self.risk_box.setTitle(f"Pairs at risk ({n})" if n else "Pairs at risk: none today")
        self._set_tile("at_risk", n, "Pairs at risk")
        for column in (0, 1, 3):
            self.risk_view.resizeColumnToContents(column)
        if n:
            self.risk_view.selectRow(0)

    def _show_dates(self, b: Dashboard) -> None:
        nxt, due = b.next_check_in, b.due_check_in
        lines = []
        if due:
            lines.append(f"Current check-in: <b>{long_date(due.due_on)}</b> (check-in {due.number})")
        lines.append(
            f"Next check-in: <b>{long_date(nxt.due_on)}</b>, {in_days((nxt.due_on - b.today).days)}"
            if nxt
            else "Next check-in: none before the evaluation"
        )
        lines.append(
            f"Evaluation: <b>{long_date(b.evaluation_date)}</b>, {in_days((b.evaluation_date - b.today).days)}"
        )
        self.dates.setText("<br>".join(lines) + "<br><br><b>Chased</b>")
        while self.chased.count():
            old = self.chased.takeAt(0).widget()
            if old is not None:
                old.setParent(None)  # gone from the page at once (findChild, focus chain), freed later
                old.deleteLater()
        for row, about in enumerate(CHASE_TOPICS):
            info = b.chased.get(about, {})
            last = info.get("last_sent_on")
            day = long_date(dt.date.fromisoformat(last)) if last else ""
            text = (
                f"{TOPIC_LABELS[about]}: {info.get('people', 0)} chased, last on {day}"
                if last
                else f"{TOPIC_LABELS[about]}: not chased yet"
            )
            label = QLabel(text)
            label.setObjectName(f"chased_{about}")
            label.setWordWrap(True)  # "13 chased, last on 20 November 2021" held the page wider than the window
            button = QPushButton("Chase…")
            button.setObjectName(f"chase_{about}")
            button.clicked.connect(lambda _c=False, a=about: self.open_chase(a))
            self.chased.addWidget(label, row, 0)
            self.chased.addWidget(button, row, 1)

    # -- clicks -----------------------------------------------------------------------------
    def show_people(self, figure: str) -> PeopleDialog | None:
        """The people behind one figure, in a list."""
        if self.ctx.cohort_id is None:
            return None
        with self.ctx.db.session() as s:
            rows = people_behind(s, self.ctx.cohort_id, figure, today())
        dialog = PeopleDialog(TITLES[figure], EXPLAIN[figure], rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def selected_match_id(self) -> int | None:
        rows = self.risk_view.selectionModel().selectedRows()
        return self.risk_model.rows[rows[0].row()][0].match_id if rows else None

    def open_selected_pair(self) -> Any:
        from mentorapp_ui.running.meeting_dialog import open_pair

        match_id = self.selected_match_id()
        if match_id is None:
            self.ctx.show_status("Select a pair among the pairs at risk first.")
            return None
        return open_pair(self.ctx, match_id, self)

    def end_selected_pair(self) -> Any:
        from mentorapp_ui.running.end_dialog import end_pair_early

        match_id = self.selected_match_id()
        if match_id is None or self.ctx.read_only:
            self.ctx.show_status("Select a pair among the pairs at risk first.")
            return None
        with self.ctx.db.session() as s:
            pair = pair_ref(s, match_id)
        return end_pair_early(self.ctx, pair, self)

    def open_chase(self, about: str) -> Any:
        from mentorapp_ui.running.chase_dialog import open_chase

        return open_chase(self.ctx, about, self)

    def trigger(self, action_id: str) -> None:
        action = self.ctx.actions.action(action_id)
        if action is not None:
            action.trigger()

    def shutdown(self) -> None:
        task = self.checkin_forms.task
        if task is not None:
            task.abandon()
