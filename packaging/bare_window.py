"""The reference for the bundle's start-up time: a bare PySide6 window, built into a bundle the same way.

It prints ``shown`` once its window is shown, as ``mentorapp --startup-report`` does (benchmarks/bench_startup.py
uses the same program unbundled).
"""

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))
window.resize(1400, 860)
window.show()
app.processEvents()
print("shown", flush=True)
