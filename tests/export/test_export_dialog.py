"""File -> Export...: live preview, exports in each format, clipboard, remembered settings, cancel."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QImage

from viewer import resources
from viewer.model.scenario import load_scenario

READY_MS = 60_000


@pytest.fixture()
def settings(tmp_path):
    return QSettings(str(tmp_path / "sitmap.ini"), QSettings.Format.IniFormat)


@pytest.fixture()
def dialog(qtbot, settings):
    from viewer.ui.export_dialog import ExportDialog

    d = ExportDialog(load_scenario(resources.default_scenario()), settings)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d._preview_view is not None and d._preview_view.is_ready, timeout=READY_MS)
    return d


def _choose_size(d, label_start):
    i = next(i for i in range(d.size_combo.count()) if d.size_combo.itemText(i).startswith(label_start))
    d.size_combo.setCurrentIndex(i)


def test_preview_shows_the_composition_at_the_export_layout(qtbot, dialog):
    from tests.ui.conftest import js

    view = dialog._preview_view
    want = dialog.export_size().css_size[0]
    # the preview is redrawn when the dialog settles its size: wait for the settled one
    qtbot.waitUntil(lambda: dialog._preview_view.is_ready
                    and abs(js(qtbot, dialog._preview_view, "window.innerWidth") - want) <= 2, timeout=READY_MS)
    view = dialog._preview_view
    # (a redraw the dialog's settling asked for may still be loading: its ready page has the title)
    qtbot.waitUntil(lambda: view.is_ready and js(qtbot, view, "(document.querySelector('.sitmap-briefing-title')"
                                                           "||{}).textContent") == dialog.scenario.title, timeout=READY_MS)
    dialog.title_edit.setText("Edited title")
    qtbot.waitUntil(lambda: view.is_ready and js(qtbot, view, "(document.querySelector('.sitmap-briefing-title')"
                                                           "||{}).textContent") == "Edited title", timeout=READY_MS)


def test_export_png_at_a_paper_size_and_remember_the_settings(qtbot, dialog, settings, tmp_path):
    from viewer.ui.export_dialog import ExportDialog

    _choose_size(dialog, "A4 landscape, 150")
    dialog.banner_combo.setCurrentText("SECRET")
    dialog.part_boxes["show_facts"].setChecked(True)
    out = tmp_path / "b.png"
    assert dialog.export_to(out)
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1754, 1240)
    assert img.pixelColor(3, 3).name().upper() == "#C8102E"
    again = ExportDialog(dialog.scenario, settings)
    qtbot.addWidget(again)
    assert again.size_combo.currentText().startswith("A4 landscape, 150")
    assert again.banner_combo.currentText() == "SECRET" and again.part_boxes["show_facts"].isChecked()
    assert again._banner_colour == "#C8102E"


def test_export_pdf_and_html_from_the_dialog(dialog, tmp_path):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("pdf"))
    assert dialog.export_to(tmp_path / "b.pdf")
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("html"))
    assert dialog.export_to(tmp_path / "b.html")
    assert b"inlineTiles" in (tmp_path / "b.html").read_bytes()


def test_copy_to_clipboard_puts_the_full_size_image_there(dialog):
    _choose_size(dialog, "Slide 1920")
    assert dialog.copy_to_clipboard()
    image = QGuiApplication.clipboard().image()
    assert (image.width(), image.height()) == (1920, 1080)


def test_cancel_stops_the_export_and_writes_nothing(dialog, tmp_path):
    original = dialog._progress

    def progress(step, message):
        original(step, message)
        if step == 2:
            dialog._cancel_or_close()  # what the Cancel button does while busy

    dialog._progress = progress
    out = tmp_path / "never.png"
    assert not dialog.export_to(out)
    assert not out.exists()
    assert "cancelled" in dialog.status.text().lower()
    assert dialog.isVisible()  # cancel during an export does not close the dialog


def test_a_ready_message_from_a_replaced_preview_page_does_not_count(qtbot, dialog):
    """Each preview replaces the last page; a late "ready" from the old one must not make
    the view ready before the new page is drawn."""
    import json

    view = dialog._preview_view
    old_page = view._loading_path
    dialog.title_edit.setText("Another title")
    dialog.update_preview()
    assert not view.is_ready and view._loading_path != old_page
    view.bridge.mapReady(json.dumps({"page": old_page, "features": {}}))
    assert not view.is_ready
    qtbot.waitUntil(lambda: view.is_ready, timeout=READY_MS)
    from tests.ui.conftest import js
    assert js(qtbot, view, "document.querySelector('.sitmap-briefing-title').textContent") == "Another title"
