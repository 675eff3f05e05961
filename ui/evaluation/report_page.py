"""The Report page: the evaluation figures and charts on screen, and the PDF export.

It shows exactly what the PDF will say (both are built from
``compute_stats``), lets the coordinator leave quotes out (undoable), and
writes the PDF on a worker thread with a progress dialog, then offers to open it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mentorapp.evaluation.instrument import ITEMS_BY_KEY, STAGE_LABELS
from mentorapp.evaluation.report import (
    fmt_change_ci,
    fmt_mean,
    fmt_mean2,
    fmt_p,
    fmt_pct,
    select_quotes,
    set_quote_approved,
    set_quote_excluded,
    summary_sentences,
)
from mentorapp.evaluation.report_pdf import ReportResult, export_report
from mentorapp.evaluation.report_sections import VERDICT_WORDS
from mentorapp.evaluation.stats import EvaluationStats, compute_stats
from mentorapp.outputs.files import safe_filename
from mentorapp.people.cohorts import list_cohorts
from mentorapp_ui.app.actions import WINDOW, ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_save_file
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.progress import TaskProgressDialog
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.evaluation.report_charts import benefit_chart, learning_chart, meetings_chart, satisfaction_chart

QuoteKeyRole = Qt.ItemDataRole.UserRole + 1
VERDICT_STYLE = {
    "met": ("#dcefd9", "#1e6b2a"),
    "not met": ("#f8d9d5", "#9b2a1f"),
    "too few responses": ("#eceff2", "#5b6773"),
    "no data": ("#eceff2", "#5b6773"),
}


class ReportPage(Page):
    title = "Report"
    name = "report"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._declare_actions()
        self.stats: EvaluationStats | None = None
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.last_result: ReportResult | None = None
        self.ask_to_open = True

        self.heading = QLabel("Evaluation report")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.heading.setWordWrap(True)  # a long cohort name wraps: at 1024 wide it pushed "Export PDF…" off the page
        self.export_button = QPushButton("Export &PDF…")
        self.export_button.setObjectName("exportReport")
        self.export_button.setToolTip("Write the evaluation report as a PDF (Ctrl+Shift+R)")
        self.export_button.clicked.connect(lambda: self.export_pdf())
        # Another cohort to compare with at the end of the PDF (export report --compare).
        self.compare = QComboBox()
        self.compare.setObjectName("compareWith")
        self.compare.setToolTip("Add a section comparing this cohort with another (e.g. the pilot) to the PDF")
        self.compare.setAccessibleName("Compare with")
        self.compare.setMinimumContentsLength(18)  # a cohort's name, as "Future Leaders pilot" (longer: elided)
        self.compare.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        compare_label = QLabel("Compare &with:")
        compare_label.setBuddy(self.compare)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(compare_label)
        top.addWidget(self.compare)
        top.addWidget(self.export_button)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.benefits = QLabel()
        self.benefits.setObjectName("benefitTable")
        self.benefits.setTextFormat(Qt.TextFormat.RichText)
        self.benefits.setWordWrap(True)  # its tables' cells wrap before they widen the page
        self.charts = QGridLayout()
        self.charts.setColumnStretch(0, 1)  # two charts side by side share the width equally
        self.charts.setColumnStretch(1, 1)
        self.quotes = QListWidget()
        self.quotes.setObjectName("quotes")
        self.quotes.setWordWrap(True)
        self.quotes.setMinimumHeight(220)
        self.quotes.setToolTip("Tick a quote once you have read it to let the report print it")
        self.quotes.itemChanged.connect(self._quote_toggled)
        self.quotes_note = QLabel(
            "Quotes are anonymised (participants' names, titled names, organisations, e-mails and phone numbers "
            "removed). Read each one: only ticked quotes can be printed; bold ones are those the report prints."
        )
        self.quotes_note.setWordWrap(True)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.summary)
        column.addLayout(self.charts)
        column.addWidget(self.benefits)
        column.addWidget(QLabel("<b>Quotes</b>"))
        column.addWidget(self.quotes_note)
        column.addWidget(self.quotes)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

    # -- showing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        cohort_id = self.ctx.cohort_id
        self.stats = None
        if cohort_id is not None:
            with self.ctx.db.session() as s:
                self.stats = compute_stats(s, cohort_id)
                others = [(c.id, c.name) for c in list_cohorts(s) if c.id != cohort_id]
            chosen = self.compare.currentData()
            self.compare.clear()
            self.compare.addItem("No other cohort", None)
            for other_id, name in others:
                self.compare.addItem(name, other_id)
            self.compare.setCurrentIndex(max(0, self.compare.findData(chosen)) if chosen is not None else 0)
        self._show()

    def _show(self) -> None:
        while self.charts.count():
            item = self.charts.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # out of sight at once, not only when the event loop deletes it
                item.widget().deleteLater()
        stats = self.stats
        self.export_button.setEnabled(stats is not None)
        if stats is None:
            self.heading.setText("Evaluation report")
            self.summary.setText("Choose or create a cohort first.")
            self.benefits.setText("")
            self._fill_quotes([])
            return
        self.heading.setText(f"Evaluation report: {stats.cohort_name}")
        self.summary.setText(summary_html(stats))
        if not stats.has_responses:
            self.benefits.setText("")
            self._fill_quotes([])
            return
        # A chart only where there are answers: with none, a bar sat at 1 and read as a mean of 1.
        row = 0
        for role in ("mentee", "mentor"):
            if any(t.n_pairs for t in stats.tests if t.role == role):
                self.charts.addWidget(benefit_chart(stats, role), row, 0, 1, 2)
                row += 1
        if any(s.n for s in stats.satisfaction.values()):
            self.charts.addWidget(satisfaction_chart(stats), row, 0)
        if any(n for _bucket, n in stats.meetings.buckets()):
            self.charts.addWidget(meetings_chart(stats), row, 1)
        if stats.mentor_learning.n:
            self.charts.addWidget(learning_chart(stats), row + 1, 0)
        self.benefits.setText(benefit_html(stats))
        self._fill_quotes(stats.quotes)

    def _fill_quotes(self, quotes: list[Any]) -> None:
        printed = set()
        if self.stats is not None:
            for key in ("went_well", "could_be_better", "mentor_learning"):
                printed.update(q.key for q in select_quotes(self.stats.quotes, key))
        self.quotes.blockSignals(True)
        self.quotes.clear()
        for q in quotes:
            role = "Mentor" if q.role == "mentor" else "Mentee"
            item = QListWidgetItem(f"{role} · {ITEMS_BY_KEY[q.item_key].label}: “{q.text}”")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if q.printable else Qt.CheckState.Unchecked)
            item.setData(QuoteKeyRole, q.stamp)
            font = item.font()
            font.setBold(q.key in printed)
            item.setFont(font)
            item.setToolTip(
                "Printed in the report"
                if q.key in printed
                else "Not read and approved yet: tick it to let the report print it"
                if not q.printable
                else "Approved, not printed: the report shows a few quotes per question, without repeats"
            )
            self.quotes.addItem(item)
        self.quotes.blockSignals(False)

    def _quote_toggled(self, item: QListWidgetItem) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return
        stamp = str(item.data(QuoteKeyRole))
        key = stamp.split("#", 1)[0]
        approve = item.checkState() == Qt.CheckState.Checked
        was_excluded = next((q.excluded for q in (self.stats.quotes if self.stats else []) if q.key == key), False)

        def do(s, _cmd) -> None:
            set_quote_approved(s, cohort_id, stamp, approve)
            if approve and was_excluded:
                set_quote_excluded(s, cohort_id, key, False)

        def undo(s, _cmd) -> None:
            set_quote_approved(s, cohort_id, stamp, not approve)
            if approve and was_excluded:
                set_quote_excluded(s, cohort_id, key, True)

        text = "Approve a quote for the report" if approve else "Withdraw a quote from the report"
        push_command(self.ctx, DbCommand(self.ctx, text, do, undo))

    # -- exporting -----------------------------------------------------------------------------
    def _declare_actions(self) -> None:
        self.declare(
            ActionSpec(
                "report.export",
                "Export evaluation &report…",
                lambda: self.export_pdf(),
                keys=("Ctrl+Shift+R",),
                places=("Evaluation/report",),
                tool_tip="Write the evaluation report of the current cohort as a PDF",
                scope=WINDOW,
            )
        )

    def export_pdf(self, path: str | None = None) -> None:
        """Ask where (unless ``path`` is given), then write the PDF off the GUI thread."""
        cohort_id = self.ctx.cohort_id
        if cohort_id is None or (self.task is not None and self.task.running):
            return
        if path is None:
            name = self.stats.cohort_name if self.stats else "cohort"
            suggested = safe_filename(f"{name} evaluation report") + ".pdf"
            path = ask_save_file(self, "report", "Export evaluation report", suggested, "PDF (*.pdf)")
            if not path:
                return
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        db, target, other = self.ctx.db, path, self.compare.currentData()

        def job(report, cancelled) -> ReportResult:
            return export_report(db, cohort_id, target, progress=report, cancel=cancelled, compare_with=other)

        self.task = run_task(job, self, on_done=self._exported, on_error=self._failed)
        self.progress = TaskProgressDialog(
            self.task, "Writing the evaluation report…", "Export evaluation report", self
        )
        self.export_button.setEnabled(False)

    def _close_progress(self) -> None:
        self.export_button.setEnabled(self.stats is not None)
        self.progress = None  # it closes itself when the task ends

    def _exported(self, result: ReportResult) -> None:
        self._close_progress()
        self.last_result = result
        self.ctx.show_status(f"Wrote the evaluation report ({result.pages} pages) to {result.path}.")
        if not self.ask_to_open:
            return
        answer = QMessageBox.question(
            self,
            "Evaluation report",
            f"The report ({result.pages} pages) was saved to\n{result.path}\n\nOpen it now?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(result.path).resolve())))

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.ctx.show_status(message)
        if self.ask_to_open:
            QMessageBox.warning(self, "Export evaluation report", message)


# --- HTML for the summary (Qt rich text; every value escaped) -----------------------------------


def _cell(value: str, align: str = "right") -> str:
    """One table cell holding ``value`` as text: escaped, since a figure such as "<0.001" is markup otherwise."""
    return f"<td align='{align}' style='padding:2px 8px;'>{escape(value)}</td>"


def summary_html(stats: EvaluationStats) -> str:
    six = stats.rate("six_month")
    sat = stats.satisfaction["all"]
    tiles = [
        (str(stats.numbers.pairs), "pairs matched"),
        (fmt_pct(six.rate), "answered at six months"),
        (f"{fmt_mean2(sat.mean)} / 5" if sat.n else "–", "mean satisfaction"),
        (fmt_pct(stats.recommend_share), "would recommend"),
    ]
    cells = "".join(
        f"<td align='center' style='background:#f2f6f9; padding:8px 18px;'>"
        f"<span style='font-size:18pt; font-weight:bold; color:#1f5f8b;'>{escape(n)}</span><br/>"
        f"<span style='color:#5b6773;'>{escape(label)}</span></td>"
        for n, label in tiles
    )
    parts = [f"<table cellspacing='4'><tr>{cells}</tr></table>"]
    parts += [f"<p>{escape(p)}</p>" for p in summary_sentences(stats)]
    if not stats.has_responses:
        parts.append("<p><i>No evaluation responses yet: enter them on the Evaluation page or import forms.</i></p>")
    rows = "".join(
        f"<tr><td style='padding:3px 8px;'>{escape(c.description + (' (default)' if c.default else ''))}</td>"
        f"<td style='padding:3px 8px;'>{escape(c.figure)}</td>"
        f"<td align='center' style='padding:3px 10px; background:{VERDICT_STYLE[c.status][0]}; "
        f"color:{VERDICT_STYLE[c.status][1]}; font-weight:bold;'>{escape(c.verdict)}</td></tr>"
        for c in stats.criteria
    )
    parts.append(
        "<h3>Success criteria</h3><table cellspacing='0' border='0' width='100%'>"
        "<tr><th align='left'>Criterion</th><th align='left'>Result</th><th>Verdict</th></tr>"
        f"{rows}</table>"
    )
    rates = "".join(
        f"<tr><td style='padding:2px 8px;'>{escape(STAGE_LABELS[stage])}</td>"
        + "".join(
            _cell(f"{r.responded} of {r.asked} ({fmt_pct(r.rate)})")
            for r in (stats.rate(stage, g) for g in ("mentee", "mentor", "all"))
        )
        + "</tr>"
        for stage in ("baseline", "six_month")
    )
    parts.append(
        "<h3>Response rates</h3><table cellspacing='0'><tr><th align='left'>Stage</th><th>Mentees</th>"
        f"<th>Mentors</th><th>All</th></tr>{rates}</table>"
    )
    return "".join(parts)


def benefit_html(stats: EvaluationStats) -> str:
    """The paired tests of both roles, as on the report's pages."""
    heads = ("Benefit", "n", "Up / same / down", "Mean change (95% CI)", "p (Holm)", "Verdict")
    header = (
        "<tr>"
        + "".join(
            f"<th align='{'left' if n == 0 else 'right'}' style='padding:2px 8px;'>{escape(h)}</th>"
            for n, h in enumerate(heads)
        )
        + "</tr>"
    )
    parts = []
    for role, title in (("mentee", "Mentees"), ("mentor", "Mentors")):
        tests = [t for t in stats.tests if t.role == role]
        if not any(t.n_pairs for t in tests):
            continue
        rows = "".join(
            "<tr>"
            + _cell(t.label, "left")
            + _cell(str(t.n_pairs))
            + _cell(f"{t.improved} / {t.unchanged} / {t.worse}")
            + _cell(fmt_change_ci(t.mean_change, t.ci_low, t.ci_high))
            + _cell(fmt_p(t.p_holm))  # "<0.001" for the strongest results: escaped, or "<" opens a tag
            + _cell(VERDICT_WORDS.get(t.verdict, t.verdict))  # capitalised as in the PDF
            + "</tr>"
            for t in tests
        )
        parts.append(f"<h3>{escape(title)} who answered both times</h3><table cellspacing='0'>{header}{rows}</table>")
    m = stats.meetings
    parts.append(
        "<p>"
        + escape(
            f"Meetings per pair: mean {fmt_mean(m.mean)}, median {fmt_mean(m.median)} "
            f"({m.pairs} of {m.pairs_total} pairs reported)."
        )
        + "</p>"
    )
    return "".join(parts)
