"""The board's filters: search text, focus area, region, career stage and "only mentors with free places".

:class:`BoardFilters` owns the widgets (the page lays them out in its top row)
and decides which cards are shown; it says ``changed`` whenever one of them is
changed. It reads the board's data and never the database.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLayout, QLineEdit, QWidget

from mentorapp.matching.board import BoardData
from mentorapp.people.participants import ParticipantData

Filters = tuple[str, str, str, str]  # search text, focus area, region, career stage ("" for all)


class BoardFilters(QObject):
    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setAccessibleName("Search the board")
        self.search.setPlaceholderText("Search names, organisations, job titles  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(190)  # the row fits on one line at 1280 pixels; narrower, the filters wrap
        self.search.textChanged.connect(lambda _t: self.changed.emit())
        self.focus_filter = self._combo("focusFilter", "All focus areas", "Show people with this focus area")
        self.focus_filter.setAccessibleName("Focus area filter")
        # Regions and career stages are the cohort's own: fill_lists() fills all three lists from the board.
        self.region_filter = self._combo("regionFilter", "All regions", "Show people in this region")
        self.region_filter.setAccessibleName("Region filter")
        self.stage_filter = self._combo("stageFilter", "All career stages", "Show people at this career stage")
        self.stage_filter.setAccessibleName("Career stage filter")
        self.free_only = QCheckBox("Free places only")
        self.free_only.setToolTip("Show only the mentors who have free places")
        self.free_only.setObjectName("freeOnly")
        self.free_only.setAccessibleName("Only mentors with free places")
        self.free_only.toggled.connect(lambda _c: self.changed.emit())

    def _combo(self, name: str, first: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        # "" rather than None: PySide6 6.12 returns a None it does not own for empty item data.
        combo.addItem(first, "")
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(11)  # the list shows each name whole
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def add_to(self, row: QLayout) -> None:
        """Put the filters in the page's top row (a flow that wraps them in a narrow window)."""
        row.addWidget(self.search)
        row.addWidget(self.focus_filter)
        row.addWidget(self.region_filter)
        row.addWidget(self.stage_filter)
        row.addWidget(self.free_only)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def fill_lists(self, data: BoardData) -> None:
        """The cohort's focus areas, regions and career stages (most junior first), then any other value a
        participant names; each choice is kept while its value is still there."""
        areas = list(data.focus_areas)
        regions = list(data.regions)
        stages = list(data.career_stages)
        for p in data.people.values():
            for area in [*p.goal_focus_areas(), *(e.focus_area for e in p.expertise)]:
                if area not in areas:
                    areas.append(area)
            if p.region and p.region not in regions:
                regions.append(p.region)
            if p.career_stage and p.career_stage not in stages:
                stages.append(p.career_stage)
        self._refill(self.focus_filter, "All focus areas", areas)
        self._refill(self.region_filter, "All regions", regions)
        self._refill(self.stage_filter, "All career stages", stages)

    @staticmethod
    def _refill(combo: QComboBox, first: str, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(first, "")
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def values(self) -> Filters:
        return (
            self.search.text().casefold().strip(),
            self.focus_filter.currentData() or "",
            self.region_filter.currentData() or "",
            self.stage_filter.currentData() or "",
        )

    def active(self) -> bool:
        return any(self.values()) or self.free_only.isChecked()

    @staticmethod
    def keeps(p: ParticipantData, filters: Filters, *, mentor: bool) -> bool:
        text, area, region, stage = filters
        if text and text not in f"{p.title} {p.full_name} {p.organisation} {p.job_title} {p.region}".casefold():
            return False
        if area:
            areas = [e.focus_area for e in p.expertise] if mentor else p.goal_focus_areas()
            if area not in areas:
                return False
        if region and p.region != region:
            return False
        return not (stage and p.career_stage != stage)

    def shown(self, data: BoardData) -> tuple[list[int], list[int]]:
        """The unmatched mentees and the mentors that pass the filters, in the board's order."""
        filters = self.values()
        mentees = [pid for pid in data.unmatched_mentee_ids() if self.keeps(data.people[pid], filters, mentor=False)]
        free_only = self.free_only.isChecked()
        mentors = [
            pid
            for pid in data.mentor_ids
            if self.keeps(data.people[pid], filters, mentor=True) and (not free_only or data.free_places(pid))
        ]
        return mentees, mentors
