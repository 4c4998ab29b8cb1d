"""Help > User Guide (the guide shipped in resources/help, shown as text: no page, no script,
nothing fetched) and Help > Keyboard Shortcuts (every menu action's shortcut, read from the menus
themselves so the list cannot go stale)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from viewer import resources

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

# Keys the map itself takes (not menu actions)
PAGE_KEYS = (
    ("Map", "Esc", "Close a popup or found place, then the sketch, the selection, the tool"),
    ("Map", "Enter", "Finish a line, area or measurement"),
    ("Map", "Delete / Backspace", "Delete the selected annotations"),
    ("Map", "Shift+Click", "Add a feature to the selection, or take it out"),
    ("Map", "Alt+Click", "Select the smallest area or ring under the pointer"),
    ("Map", "Double-click", "Finish a line, area or measurement"),
)


def guide_text() -> str:
    return resources.path("help", "user-guide.md").read_text(encoding="utf-8")


class _Browser(QTextBrowser):
    """Shows text only: loads no image or page (offline first); web links open in the user's browser
    only when clicked."""

    def loadResource(self, kind, url):  # noqa: N802
        return None


def user_guide(window: "MainWindow") -> QDialog:
    dlg = QDialog(window)
    dlg.setObjectName("userGuide")
    dlg.setWindowTitle("SitMap User Guide")
    browser = _Browser(dlg)
    browser.setObjectName("userGuideText")
    browser.setOpenLinks(False)
    browser.setMarkdown(guide_text())

    def follow(url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment():
            browser.scrollToAnchor(url.fragment())

    browser.anchorClicked.connect(follow)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
    buttons.rejected.connect(dlg.reject)
    lay = QVBoxLayout(dlg)
    lay.addWidget(browser)
    lay.addWidget(buttons)
    dlg.resize(760, 640)
    dlg.browser = browser
    dlg.open()
    window._user_guide = dlg
    return dlg


def menu_shortcuts(window: "MainWindow") -> list[tuple[str, str, str]]:
    """(menu path, action, shortcuts) for every menu action that has a shortcut."""
    out: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for act in menu.actions():
            if act.menu() is not None:
                walk(act.menu(), f"{path} > {act.menu().title().replace('&', '')}")
                continue
            if act.isSeparator():
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts() if not k.isEmpty()]
            if keys:
                out.append((path, act.text().replace("&", "").replace("\u2026", "…"), ", ".join(keys)))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    return out


def shortcuts_dialog(window: "MainWindow") -> QDialog:
    rows = menu_shortcuts(window) + list(PAGE_KEYS)
    dlg = QDialog(window)
    dlg.setObjectName("shortcutsDialog")
    dlg.setWindowTitle("Keyboard Shortcuts")
    table = QTableWidget(len(rows), 3, dlg)
    table.setObjectName("shortcutsTable")
    table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
    buttons.rejected.connect(dlg.reject)
    lay = QVBoxLayout(dlg)
    lay.addWidget(table)
    lay.addWidget(buttons)
    dlg.resize(640, 560)
    dlg.table = table
    dlg.open()
    window._shortcuts_dialog = dlg
    return dlg


def install(window: "MainWindow") -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() is not None
                     and a.menu().title().replace("&", "") == "Help")
    first = help_menu.actions()[0] if help_menu.actions() else None
    guide = QAction("&User Guide", window)
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    guide.triggered.connect(lambda: user_guide(window))
    keys = QAction("&Keyboard Shortcuts", window)
    keys.setShortcut(QKeySequence("Ctrl+/"))
    keys.triggered.connect(lambda: shortcuts_dialog(window))
    help_menu.insertAction(first, guide)
    help_menu.insertAction(first, keys)
    help_menu.insertSeparator(first)
    window.act_user_guide, window.act_shortcuts = guide, keys
    for act in (guide, keys):
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
