"""The dashboard's figure tiles, and the grid that keeps a row of them within the page's width."""

from __future__ import annotations

from math import ceil
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

TILE_STYLE = (
    "QPushButton { background: white; border: 1px solid #d5dbe3; border-radius: 8px; }"
    "QPushButton:hover { border-color: #2f6fde; background: #f3f7ff; }"
    "QPushButton:focus { border: 2px solid #2f6fde; }"
)


class FigureTile(QPushButton):
    """One figure: a big number over its label; a click (or Space) lists the people behind it.

    ``text()`` is "number\nlabel", as a screen reader and the tests read it.
    """

    def __init__(self, key: str, alert: bool = False) -> None:
        super().__init__()
        self.setObjectName(f"figure_{key}")
        self.setStyleSheet(TILE_STYLE)
        self.number = QLabel()
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        colour = "#b3261e" if alert else "#1f2937"
        self.number.setStyleSheet(f"font-size: 18pt; font-weight: 600; color: {colour}; background: transparent;")
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #5f6b7a; background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(0)
        for part in (self.number, self.label):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(part)

    def set_figure(self, value: int, label: str) -> None:
        self.number.setText(str(value))
        self.label.setText(label)
        self.setText(f"{value}\n{label}")
        self.setAccessibleName(f"{label}: {value}")

    def paintEvent(self, event: Any) -> None:  # Qt override: the frame only; the labels draw the text
        text = self.text()
        self.blockSignals(True)
        self.setText("")
        super().paintEvent(event)
        self.setText(text)
        self.blockSignals(False)

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(110, 70).expandedTo(self.minimumSizeHint())

    def minimumSizeHint(self) -> QSize:  # Qt override: at least 100 wide, and as wide as its label asks
        return self.layout().minimumSize().expandedTo(QSize(100, 0))  # ("First meeting held" whole)


class TileGrid(QWidget):
    """Tiles of equal width in as many columns as the width holds: all in one row where they fit, else in
    rows as even as can be (eight as two rows of four), so a narrow window never cuts the last tiles off."""

    def __init__(self, tiles: list[FigureTile], spacing: int = 8) -> None:
        super().__init__()
        self.tiles = tiles
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        # The grid's own minimum (every tile in one row) must not hold the widget wide: this widget says its
        # minimum (one tile) and places the tiles on each resize.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.columns = 0
        self._arrange(len(tiles))

    def _widest(self) -> int:
        return max(tile.minimumSizeHint().width() for tile in self.tiles)

    def columns_for(self, width: int) -> int:
        spacing = self.grid.spacing()
        fit = max(1, (width + spacing) // (self._widest() + spacing))
        rows = ceil(len(self.tiles) / min(fit, len(self.tiles)))
        return ceil(len(self.tiles) / rows)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for n, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, n // columns, n % columns)
        for column in range(len(self.tiles)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.columns = columns
        self.updateGeometry()  # taller or lower now: the page makes room

    def minimumSizeHint(self) -> QSize:  # Qt override: one tile wide; as tall as the rows of now
        return QSize(self._widest(), self.grid.minimumSize().height())

    def sizeHint(self) -> QSize:  # Qt override: every tile in one row, at its own width
        spacing = self.grid.spacing()
        width = sum(tile.sizeHint().width() for tile in self.tiles) + spacing * (len(self.tiles) - 1)
        return QSize(width, self.grid.sizeHint().height())

    def resizeEvent(self, event: Any) -> None:  # Qt override
        self._arrange(self.columns_for(event.size().width()))
        super().resizeEvent(event)
