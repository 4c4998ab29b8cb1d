"""The empty-map view: while the map has no features (File > New Map, an empty file), a card over
the map offers the last maps (Open Recent), Open, New from Article, New Launch Event and the
built-in example. It goes as soon as the map has a feature, and comes back when it is empty again;
"Draw on This Map" or choosing a drawing tool puts it away until the next empty map.

A Qt widget over the map view, not script in the page: the page stays the map's alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow

WIDTH = 500
MARGIN = 16


class EmptyMapPanel(QFrame):
    """The card; :meth:`update_shown` decides whether it is on screen."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window.map_view)
        self.window = window
        self.dismissed = False  # "Draw on This Map": away until the next empty map
        self.setObjectName("emptyMapPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#emptyMapPanel { background: palette(window); border: 1px solid palette(mid);"
                           " border-radius: 6px; }")
        box = QVBoxLayout(self)
        box.setContentsMargins(18, 14, 18, 14)
        title = QLabel("This map is empty")
        title.setObjectName("emptyMapTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        box.addWidget(title)
        hint = QLabel("Draw on it with the tools in the toolbar, import features (File \u203a Import Annotations), "
                      "or open a map.")
        hint.setWordWrap(True)
        box.addWidget(hint)

        actions = QHBoxLayout()
        self.open_button = self._button("Open\u2026", window.open_dialog, actions)
        self.article_button = self._button("New from Article\u2026", window.act_new_from_article.trigger, actions)
        self.launch_button = self._button("New Launch Event\u2026", self.new_launch_event, actions)
        self.example_button = self._button("Built-in Example", self.open_example, actions)
        actions.addStretch(1)
        box.addLayout(actions)

        recent_title = QLabel("Open Recent")
        font = recent_title.font()
        font.setBold(True)
        recent_title.setFont(font)
        box.addSpacing(6)
        box.addWidget(recent_title)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(0)
        box.addLayout(self.recent_box)
        self.no_recent = QLabel("No maps opened or saved yet.")
        self.no_recent.setEnabled(False)
        box.addWidget(self.no_recent)
        self.recent_buttons: list[QCommandLinkButton] = []

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.dismiss_button = self._button("Draw on This Map", self.dismiss, bottom)
        box.addLayout(bottom)

        self._watcher = _Watcher(self)
        window.map_view.installEventFilter(self._watcher)
        window.recent_menu.installEventFilter(self._watcher)  # File > Open Recent changed: so does this list
        window.scenarioLoaded.connect(self._new_map_shown)
        window.doc.events.connect(lambda _change: self.update_shown())
        for act in getattr(window, "tool_actions", {}).values():  # a drawing tool chosen: the map is wanted
            act.toggled.connect(lambda on: on and self.dismiss(focus=False))
        self.hide()

    def _button(self, text: str, slot, layout) -> QPushButton:
        b = QPushButton(text, self)
        b.clicked.connect(lambda _=False: slot())
        layout.addWidget(b)
        return b

    # ------------------------------------------------------------------ what it shows
    def refresh_recent(self) -> None:
        for b in self.recent_buttons:
            self.recent_box.removeWidget(b)
            b.deleteLater()
        self.recent_buttons = []
        for name in self.window.recent_files():
            path = Path(name)
            there = path.is_file()
            b = QCommandLinkButton(path.name.replace("&", "&&"), str(path.parent) if there else f"not found: {path.parent}",
                                   self)
            b.setObjectName("recentMap")
            b.setToolTip(str(path))
            b.setEnabled(there)
            b.clicked.connect(lambda _=False, p=path: self.window.open_path(p))
            self.recent_box.addWidget(b)
            self.recent_buttons.append(b)
        self.no_recent.setVisible(not self.recent_buttons)
        if self.isVisible():
            self.place()

    def should_show(self) -> bool:
        w = self.window
        return w.scenario is not None and not w.doc.features and not self.dismissed

    def update_shown(self) -> None:
        if self.should_show():
            if not self.isVisible():
                self.refresh_recent()
            self.place()
            self.show()
            self.raise_()
        else:
            self.hide()

    def place(self) -> None:
        """Centred on the map, as wide as fits."""
        view = self.window.map_view
        width = max(120, min(WIDTH, view.width() - 2 * MARGIN))
        self.setFixedWidth(width)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        self.setFixedHeight(max(80, min(height, view.height() - 2 * MARGIN)))
        self.move(max(0, (view.width() - width) // 2), max(0, (view.height() - self.height()) // 3))

    # ------------------------------------------------------------------ what it does
    def _new_map_shown(self, _scenario=None) -> None:
        self.dismissed = False
        self.update_shown()

    def dismiss(self, focus: bool = True) -> None:
        self.dismissed = True
        self.hide()
        if focus:
            self.window.map_view.setFocus()

    def new_launch_event(self):
        """The wizard, with the map free for picking the launch site; back if it is cancelled."""
        wizard = self.window.new_launch_event()
        self.hide()
        wizard.finished.connect(lambda _result: self.update_shown())
        return wizard

    def open_example(self) -> bool:
        """The built-in example, as at first start (asks first about unsaved work)."""
        from viewer import resources
        from viewer.model.scenario import load_scenario

        if not self.window.maybe_keep_changes():
            return False
        self.window.set_scenario(load_scenario(resources.default_scenario()), None, builtin=True)
        return True


class _Watcher(QObject):
    """Keeps the card above the web view's render widget (which comes and goes with the page),
    centred as the map is resized, and its recent maps in step with File > Open Recent."""

    def __init__(self, panel: EmptyMapPanel):
        super().__init__(panel)
        self.panel = panel
        self.refresh_due = False

    def refresh(self) -> None:
        self.refresh_due = False
        if self.panel.isVisible():
            self.panel.refresh_recent()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        panel = self.panel
        kind = event.type()
        if obj is panel.window.recent_menu:
            if kind in (QEvent.Type.ActionAdded, QEvent.Type.ActionRemoved) and not self.refresh_due:
                self.refresh_due = True
                QTimer.singleShot(0, self.refresh)  # once per change of the menu, not per entry
        elif kind == QEvent.Type.Resize and panel.isVisible():
            panel.place()
        elif kind == QEvent.Type.ChildAdded and panel.isVisible():
            QTimer.singleShot(0, panel.raise_)
        return False


def install(window: "MainWindow") -> EmptyMapPanel:
    return EmptyMapPanel(window)

