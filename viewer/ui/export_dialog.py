"""File -> Export... (Ctrl+E): the briefing export with a live preview of the final composition.

The preview is the very page the export renders, at the export's CSS size, zoomed down
to fit; what it shows is what the PNG, PDF or HTML file will show. Settings (format,
size, parts, banner) are remembered in QSettings; titles belong to the scenario and are not.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from viewer.export.briefing import (MARKINGS, PRESETS, BriefingError, BriefingOptions, ExportSize, default_subtitle,
                                    hidden_layers)
from viewer.model.scenario import Scenario

FORMATS = (("PNG image", "png"), ("PDF (vector)", "pdf"), ("Web page (self-contained HTML)", "html"))
PARTS = (("show_title", "Title"), ("show_subtitle", "Subtitle"), ("show_legend", "Legend"),
         ("show_scale", "Scale bar"), ("show_north", "North arrow"), ("show_sources", "Sources"),
         ("show_attribution", "Attribution"), ("show_created", "Map created time"), ("show_facts", "Facts box"))
PREVIEW_WIDTH = 640
CUSTOM_SIDES = (320, 10000)  # px, the custom size's width and height
MAX_BANNER = 200  # characters of banner text a briefing takes


def _whole_setting(value, default: int, low: int, high: int) -> int:
    """A remembered whole number, read leniently ("1920", 1920, "1920.0"); the default for
    anything else (empty, a word, a fraction) or outside low..high."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return default
    if not math.isfinite(number) or number != int(number) or not low <= number <= high:
        return default
    return int(number)


def _flag_setting(value, default: bool) -> bool:
    """A remembered yes or no ("true", "false", or a bool from another settings format)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in ("true", "1", "yes") else False if text in ("false", "0", "no") else default


def _colour_setting(value, default: str) -> str:
    """A remembered "#RRGGBB" colour; the default for anything else."""
    return value if isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value) else default


def text_colour_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    return "#000000" if QColor(colour).lightnessF() > 0.6 else "#FFFFFF"


class ExportDialog(QDialog):
    exported = Signal(str)

    def __init__(self, scenario: Scenario, settings: QSettings | None = None, hidden_groups=(),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export Briefing")
        self.scenario = scenario
        self.settings = settings or QSettings()
        self.hidden_groups = tuple(hidden_groups)
        self.extra_options: dict = {}  # e.g. the launch history layer shown in the window
        self._cancel = False
        self._busy = False
        self._preview_view = None
        self._build()
        self._restore()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(350)
        self._timer.timeout.connect(self.update_preview)
        self._connect_changes()
        self.update_preview()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        root.addLayout(left, 0)
        self.preview_box = QWidget()
        self.preview_box.setMinimumSize(PREVIEW_WIDTH, int(PREVIEW_WIDTH * 0.75))
        self.preview_layout = QVBoxLayout(self.preview_box)
        self.preview_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.preview_box, 1)

        form = QFormLayout()
        self.format_combo = QComboBox()
        for label, key in FORMATS:
            self.format_combo.addItem(label, key)
        form.addRow("Format", self.format_combo)
        self.size_combo = QComboBox()
        for label, size in PRESETS:
            self.size_combo.addItem(label, size)
        self.size_combo.addItem("Custom size", None)
        form.addRow("Size", self.size_combo)
        custom = QHBoxLayout()
        self.width_spin = QSpinBox()
        self.height_spin = QSpinBox()
        for spin, value in ((self.width_spin, 1920), (self.height_spin, 1080)):
            spin.setRange(*CUSTOM_SIDES)
            spin.setValue(value)
            spin.setSuffix(" px")
            custom.addWidget(spin)
        self.custom_row = QWidget()
        self.custom_row.setLayout(custom)
        custom.setContentsMargins(0, 0, 0, 0)
        form.addRow("", self.custom_row)
        self.title_edit = QLineEdit(self.scenario.title)
        self.subtitle_edit = QLineEdit(default_subtitle(self.scenario))
        form.addRow("Title", self.title_edit)
        form.addRow("Subtitle", self.subtitle_edit)
        left.addLayout(form)

        parts = QGroupBox("Parts")
        grid = QGridLayout(parts)
        self.part_boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(PARTS):
            box = QCheckBox(label)
            box.setChecked(getattr(BriefingOptions(), key))
            self.part_boxes[key] = box
            grid.addWidget(box, i // 3, i % 3)
        left.addWidget(parts)

        banner = QGroupBox("Caveat / classification banner")
        bl = QFormLayout(banner)
        self.banner_combo = QComboBox()
        self.banner_combo.setEditable(True)
        self.banner_combo.addItem("")
        for text, _bg, _fg in MARKINGS:
            self.banner_combo.addItem(text)
        self.banner_combo.lineEdit().setPlaceholderText("none (type a caveat or pick a marking)")
        bl.addRow("Text", self.banner_combo)
        self.colour_button = QPushButton()
        self._banner_colour = "#007A33"
        self._banner_text_colour = "#FFFFFF"
        bl.addRow("Colour", self.colour_button)
        left.addWidget(banner)

        self.progress = QProgressBar()
        self.progress.setRange(0, 4)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("Copy to Clipboard")
        self.export_button = QPushButton("Export\u2026")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Close")
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        left.addLayout(buttons)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.export_button.clicked.connect(self.export_dialog)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.colour_button.clicked.connect(self._pick_colour)
        self.banner_combo.currentTextChanged.connect(self._banner_text_changed)
        self.size_combo.currentIndexChanged.connect(lambda _i: self.custom_row.setVisible(self.size_combo.currentData() is None))
        self._show_colour()

    def _connect_changes(self) -> None:
        for w in (self.format_combo, self.size_combo):
            w.currentIndexChanged.connect(self._changed)
        for w in (self.width_spin, self.height_spin):
            w.valueChanged.connect(self._changed)
        for w in (self.title_edit, self.subtitle_edit):
            w.textChanged.connect(self._changed)
        self.banner_combo.currentTextChanged.connect(self._changed)
        for box in self.part_boxes.values():
            box.toggled.connect(self._changed)

    def _changed(self, *_args) -> None:
        self._timer.start()

    # ------------------------------------------------------------------ values
    def export_size(self) -> ExportSize:
        size = self.size_combo.currentData()
        return size if size is not None else ExportSize.pixels(self.width_spin.value(), self.height_spin.value())

    def options(self) -> BriefingOptions:
        parts = {key: box.isChecked() for key, box in self.part_boxes.items()}
        return BriefingOptions(title=self.title_edit.text(), subtitle=self.subtitle_edit.text(),
                               banner_text=self.banner_combo.currentText().strip(), banner_colour=self._banner_colour,
                               banner_text_colour=self._banner_text_colour, hidden_groups=self.hidden_groups,
                               **parts, **self.extra_options).checked()

    def format(self) -> str:
        return self.format_combo.currentData()

    def _banner_text_changed(self, text: str) -> None:
        for marking, bg, fg in MARKINGS:
            if text.strip().upper() == marking:
                self._banner_colour, self._banner_text_colour = bg, fg
                self._show_colour()

    def _pick_colour(self) -> None:
        c = QColorDialog.getColor(QColor(self._banner_colour), self, "Banner colour")
        if c.isValid():
            self._banner_colour = c.name().upper()
            self._banner_text_colour = text_colour_on(self._banner_colour)
            self._show_colour()
            self._changed()

    def _show_colour(self) -> None:
        self.colour_button.setText(self._banner_colour)
        self.colour_button.setStyleSheet(f"background:{self._banner_colour};color:{self._banner_text_colour};")

    # ------------------------------------------------------------------ settings
    def _restore(self) -> None:
        """The choices made last time, each read leniently: one that cannot be used (a settings
        file edited by hand, or written by another version) is replaced by its default, so the
        dialog always opens and the export works."""
        s = self.settings
        fmt = str(s.value("export/format", "png"))
        i = self.format_combo.findData(fmt)
        self.format_combo.setCurrentIndex(max(0, i))
        self.size_combo.setCurrentIndex(_whole_setting(s.value("export/size_index", 0), 0, 0, self.size_combo.count() - 1))
        self.width_spin.setValue(_whole_setting(s.value("export/custom_width", 1920), 1920, *CUSTOM_SIDES))
        self.height_spin.setValue(_whole_setting(s.value("export/custom_height", 1080), 1080, *CUSTOM_SIDES))
        for key, box in self.part_boxes.items():
            box.setChecked(_flag_setting(s.value(f"export/{key}", box.isChecked()), box.isChecked()))
        text = s.value("export/banner_text", "")
        self.banner_combo.setCurrentText(text if isinstance(text, str) and len(text) <= MAX_BANNER else "")
        colour = _colour_setting(s.value("export/banner_colour", self._banner_colour), self._banner_colour)
        if colour != self._banner_colour:
            self._banner_colour = colour
            self._banner_text_colour = text_colour_on(colour)  # (unless the one remembered can be used)
        self._banner_text_colour = _colour_setting(s.value("export/banner_text_colour", self._banner_text_colour),
                                                   self._banner_text_colour)
        own = (getattr(self.scenario, "banner", "") or "").strip()
        if own and own != self.banner_combo.currentText().strip():  # (the map's banner, set in Map Properties, first)
            from viewer.export.briefing import marking_colours

            self.banner_combo.setCurrentText(own)
            self._banner_colour, self._banner_text_colour = marking_colours(own)
        self.custom_row.setVisible(self.size_combo.currentData() is None)
        self._show_colour()

    def remember(self) -> None:
        s = self.settings
        s.setValue("export/format", self.format())
        s.setValue("export/size_index", self.size_combo.currentIndex())
        s.setValue("export/custom_width", self.width_spin.value())
        s.setValue("export/custom_height", self.height_spin.value())
        for key, box in self.part_boxes.items():
            s.setValue(f"export/{key}", "true" if box.isChecked() else "false")
        s.setValue("export/banner_text", self.banner_combo.currentText().strip())
        s.setValue("export/banner_colour", self._banner_colour)
        s.setValue("export/banner_text_colour", self._banner_text_colour)
        s.sync()

    # ------------------------------------------------------------------ preview
    def resizeEvent(self, event) -> None:  # noqa: N802 - the preview follows the dialog's size
        super().resizeEvent(event)
        if self._preview_view is not None and not getattr(self, "_busy", False):
            self._timer.start()

    def update_preview(self) -> None:
        """Show the composition, at its export CSS size, zoomed to fit the preview box."""
        from viewer.export.briefing import compose
        from viewer.ui.page_fonts import label_fonts
        from viewer.ui.capture import briefing_view_class, basemap_attribution

        try:
            size, opts = self.export_size(), self.options()
        except BriefingError as e:
            self.status.setText(str(e))
            return
        if self._preview_view is None:
            self._preview_view = briefing_view_class()(self.preview_box)
            self.preview_layout.addWidget(self._preview_view)
        css_w, css_h = size.css_size
        # the preview fills its box (the dialog's free space), in the export's proportions
        box_w = max(PREVIEW_WIDTH, self.preview_box.width() - 8)
        box_h = max(int(PREVIEW_WIDTH * 0.5), self.preview_box.height() - 8)
        width = box_w
        height = round(width * css_h / css_w)
        if height > box_h:
            height = box_h
            width = round(height * css_w / css_h)
        view = self._preview_view
        view.setFixedSize(QSize(width, height))
        view.setZoomFactor(max(0.25, width / css_w))
        briefing = compose(self.scenario, size, opts, attribution=basemap_attribution(view),
                           # (its basemap drawn at the screen's pixels, the preview's zoom included:
                           # drawn finer and scaled down, tile edges showed as seams)
                           extra_config={"pixelRatio": None},
                           frame_tiles=view.scheme_handler.basemap_tile, label_fonts=label_fonts(),
                           features_at=view.features_at()[1])
        view.show_html(briefing.html, briefing.batch)
        self.status.setText(f"{size.label} \u2014 preview")

    # ------------------------------------------------------------------ export
    def _progress(self, step: int, message: str) -> None:
        self.progress.setValue(step)
        self.status.setText(message)

    def _cancelled(self) -> bool:
        return self._cancel

    def _cancel_or_close(self) -> None:
        if self._busy:
            self._cancel = True
            self.status.setText("cancelling\u2026")
        else:
            self.reject()

    def reject(self) -> None:  # (Esc, the title bar's close)
        """While an export runs: cancel it (nothing is written), and stay open until it has stopped."""
        if self._busy:
            self._cancel_or_close()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._busy:
            self._cancel_or_close()
            event.ignore()
            return
        super().closeEvent(event)

    def _run(self, work) -> bool:
        """Run an export step with the progress bar and a working Cancel button."""
        from viewer.ui.capture import Cancelled, ExportError

        self._busy, self._cancel = True, False
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setText("Cancel")
        for w in (self.export_button, self.copy_button):
            w.setEnabled(False)
        try:
            work()
            return True
        except Cancelled:
            self.status.setText("Export cancelled")
        except (ExportError, BriefingError, OSError) as e:
            self.status.setText("Export failed")
            QMessageBox.warning(self, "Cannot export", str(getattr(e, "strerror", None) or e))
        finally:
            self._busy = False
            self.progress.setVisible(False)
            self.cancel_button.setText("Close")
            for w in (self.export_button, self.copy_button):
                w.setEnabled(True)
        return False

    def export_to(self, path: Path) -> bool:
        """Write the export to ``path`` in the chosen format."""
        size, opts, fmt = self.export_size(), self.options(), self.format()
        self.remember()

        def work():
            if fmt == "pdf":
                from viewer.ui.capture_pdf import export_briefing_pdf

                export_briefing_pdf(self.scenario, path, size, opts, progress=self._progress, cancelled=self._cancelled)
            elif fmt == "html":
                from viewer.export.html import export_briefing_html

                export_briefing_html(self.scenario, path, size, opts, progress=self._progress)
            else:
                from viewer.ui.capture import export_briefing_png

                export_briefing_png(self.scenario, path, size, opts, progress=self._progress,
                                    cancelled=self._cancelled)

        ok = self._run(work)
        if ok:
            self.status.setText(f"Exported {Path(path).name}")
            self.exported.emit(str(path))
        return ok

    def export_dialog(self) -> None:
        fmt = self.format()
        filters = {"png": "PNG image (*.png)", "pdf": "PDF (*.pdf)", "html": "Web page (*.html)"}
        from viewer.ui import file_names

        start = file_names.proposed(self.settings, self.scenario, f".{fmt}")
        name, _ = QFileDialog.getSaveFileName(self, "Export Briefing", start, filters[fmt])
        if name:
            file_names.remember(self.settings, name)
            path = Path(name)
            if path.suffix.lower() != f".{fmt}":
                path = path.with_name(path.name + f".{fmt}")
            self.export_to(path)

    def copy_to_clipboard(self) -> bool:
        from viewer.ui.capture import render_briefing_image

        size, opts = self.export_size(), self.options()
        self.remember()
        box = {}

        def work():
            box["image"] = render_briefing_image(self.scenario, size, opts, progress=self._progress,
                                                 cancelled=self._cancelled)

        if not self._run(work):
            return False
        QGuiApplication.clipboard().setImage(box["image"])
        self.status.setText(f"Copied {size.width}\u00d7{size.height} image to the clipboard")
        return True


def open_export_dialog(window) -> None:
    """File -> Export...: the window's scenario, its settings and its hidden layers."""
    if getattr(window, "scenario", None) is None:
        return
    files = getattr(window, "files", None)
    if files is not None and not files.commit_pending():  # (a Properties field still being typed in: in it too)
        return
    hidden = hidden_layers(window.current_layers())  # (as the screen shows them)
    dialog = ExportDialog(window.scenario, getattr(window, "settings", None), hidden, window)
    from viewer.ui.history_window import briefing_extras

    dialog.extra_options = briefing_extras(window)  # the history layer, as filtered, when it is on
    screen = window.screen().availableGeometry() if window.screen() else None
    dialog.resize(min(1400, screen.width() - 80) if screen else 1200, min(860, screen.height() - 80) if screen else 640)
    dialog.exec()
