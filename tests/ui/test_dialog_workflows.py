"""Map Properties, File > Export and New from Article as an analyst goes through them, where a
review found them wrong: a chosen or typed local time zone kept, the map's banner the briefing's,
Esc or closing while an export runs cancels it, a pasted article drafted as itself, and review
edits that neither bring a rejected item back nor rename a place without moving it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.conftest import READY_MS

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "data" / "articles"
SEED = next((base / "shared" / "seed" / "000_773b1baaebd46618.txt" for base in (ROOT.parent, ROOT.parent.parent)
             if (base / "shared" / "seed").is_dir()), ROOT.parent / "shared" / "seed" / "000_773b1baaebd46618.txt")


def _properties(window, qtbot):
    box = window.map_properties_dialog()
    qtbot.waitUntil(lambda: "dialog" in box and box["dialog"].isVisible(), timeout=10_000)
    return box["dialog"]


def test_a_chosen_zone_is_kept_when_map_properties_is_opened_again(window, qtbot):
    dlg = _properties(window, qtbot)
    dlg.zone.setCurrentIndex(dlg.zone.findData("Asia/Tokyo"))
    dlg.accept()
    chosen = window.doc.scenario.local_time
    assert chosen is not None and chosen.zone == "JST"
    again = _properties(window, qtbot)
    assert "JST" in again.local.text()
    again.title.setText(again.title.text() + " (rev)")
    again.accept()
    assert window.doc.scenario.local_time == chosen


def test_a_zone_typed_into_the_box_is_the_one_kept(window, qtbot):
    dlg = _properties(window, qtbot)
    dlg.zone.lineEdit().selectAll()
    qtbot.keyClicks(dlg.zone.lineEdit(), "Asia/Tokyo")
    assert "JST" in dlg.local.text()
    qtbot.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert window.doc.scenario.local_time.zone == "JST"


def test_the_maps_banner_is_the_briefings_in_file_export(window, qtbot):
    dlg = _properties(window, qtbot)
    dlg.banner.setCurrentText("SECRET")
    dlg.accept()
    seen = {}

    def look() -> None:
        from viewer.ui.export_dialog import ExportDialog

        d = QApplication.activeModalWidget()
        if not isinstance(d, ExportDialog):
            QTimer.singleShot(50, look)
            return
        seen["banner"] = d.options().banner_text
        d.reject()

    QTimer.singleShot(0, look)
    window.act_export.trigger()
    assert seen["banner"] == "SECRET"


def _export_dialog(window, qtbot):
    from viewer.ui.export_dialog import ExportDialog

    d = ExportDialog(window.scenario, window.settings, (), window)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d._preview_view is not None and d._preview_view.is_ready, timeout=READY_MS)
    return d


def test_esc_or_closing_while_an_export_runs_cancels_it(window, qtbot, tmp_path):
    for name, stop in (("esc.png", lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape)), ("close.png", lambda d: d.close())):
        d = _export_dialog(window, qtbot)
        original = d._progress

        def progress(step, message, d=d, stop=stop):
            original(step, message)
            if step == 2:
                stop(d)

        d._progress = progress
        assert not d.export_to(tmp_path / name)
        assert not (tmp_path / name).exists() and d.isVisible()
        d.reject()
        assert not d.isVisible()


def _draft_dialog(window, qtbot):
    from viewer.ui.draft_dialog import DraftDialog

    window.act_new_from_article.trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "draft_dialog", None), DraftDialog)
                    and window.draft_dialog.isVisible(), timeout=5000)
    return window.draft_dialog


def _drafted(window, qtbot, dlg):
    with qtbot.waitSignal(dlg.drafted, timeout=30_000):
        dlg.draft_button.click()
    return dlg.draft


def test_an_article_pasted_over_a_loaded_file_is_drafted_as_itself(window, qtbot):
    dlg = _draft_dialog(window, qtbot)
    assert dlg.load_file(ARTICLES / "2023-07-12-hwasong18-wire.html")
    loaded = dlg._title
    dlg.text_edit.setPlainText(SEED.read_text(encoding="utf-8"))
    d = _drafted(window, qtbot, dlg)
    assert loaded not in d.title and d.article_date is None


def test_review_edits_keep_a_rejection_and_do_not_rename_a_place_where_it_was(window, qtbot):
    dlg = _draft_dialog(window, qtbot)
    dlg.text_edit.setPlainText(SEED.read_text(encoding="utf-8"))
    dlg.date_edit.setText("2022-01-18")
    _drafted(window, qtbot, dlg)
    seoul = next(i for i in dlg.draft.items if i.kind == "place" and i.value == "Seoul")
    row = [i.id for i in dlg.draft.items].index(seoul.id)
    dlg.table.item(row, 1).setText("Busan")  # (a place's name goes with its position)
    assert dlg.draft.item(seoul.id).value == "Seoul" and "not renamed" in dlg.note.text()
    dlg.select_item(seoul.id)
    dlg.reject_button.click()
    dlg.table.item(row, 2).setText("Yonhap")
    assert dlg.draft.item(seoul.id).decision == "rejected" and dlg.draft.item(seoul.id).source == "Yonhap"
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        dlg.show_button.click()
    assert window.scenario.feature("place-seoul") is None
