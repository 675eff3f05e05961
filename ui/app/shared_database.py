"""File > Open shared database…: the server, database and account of a shared PostgreSQL database.

The dialog only builds the URL; the window opens it the way File > Open database… opens a file
(MainWindow.switch_database: data_safety, then mentorapp.store.workspace), so a refused
connection gives the opener's one sentence. The password is never kept: not in QSettings,
and the record of the database used last (mentorapp.store.recent) drops it from the URL.
"""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

DEFAULT_PORT = 5432


def postgresql_url(host: str, port: int, database: str, user: str, password: str) -> str:
    """``postgresql+psycopg://user:password@host:port/database``, each part quoted (an @ or / in a password)."""
    account = quote(user, safe="")
    if password:
        account += ":" + quote(password, safe="")
    host = host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"postgresql+psycopg://{account}@{host}:{port}/{quote(database, safe='')}"


class SharedDatabaseDialog(QDialog):
    """Host, port, database, user and password; OK once host, database and user are given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedDatabaseDialog")
        self.setWindowTitle("Open shared database")
        intro = QLabel(
            "Open a mentorapp database kept on a PostgreSQL server, shared with other coordinators. "
            "Your IT contact can give you these details."
        )
        intro.setWordWrap(True)
        self.host = QLineEdit()
        self.host.setObjectName("sharedHost")
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox()
        self.port.setObjectName("sharedPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setObjectName("sharedDatabase")
        self.database.setPlaceholderText("mentoring")
        self.user = QLineEdit()
        self.user.setObjectName("sharedUser")
        self.password = QLineEdit()
        self.password.setObjectName("sharedPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setToolTip("Used to connect only; mentorapp never writes it down.")
        form = QFormLayout()
        for text, field, name in (
            ("&Server (host):", self.host, "Server"),
            ("P&ort:", self.port, "Port"),
            ("&Database:", self.database, "Database name"),
            ("&User name:", self.user, "User name"),
            ("Pass&word:", self.password, "Password"),
        ):
            form.addRow(text, field)
            field.setAccessibleName(name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(440, self.sizeHint().height())

    @Slot()
    def _update_ok(self) -> None:
        ready = all(f.text().strip() for f in (self.host, self.database, self.user))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(ready)

    def url(self) -> str:
        return postgresql_url(
            self.host.text(), self.port.value(), self.database.text().strip(), self.user.text().strip(),
            self.password.text(),
        )  # fmt: skip
