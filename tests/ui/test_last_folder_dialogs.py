"""The launch history's Import and Export dialogs and New from Article's Open File start in the
folder used last, as every other file dialog does (viewer/ui/file_names.py), and remember the
folder chosen (they started in "" and proposed "launches.kml" in the program's folder)."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from viewer.ui import file_names


@pytest.fixture()
def folders(window, tmp_path):
    last, chosen = tmp_path / "last", tmp_path / "chosen"
    last.mkdir()
    chosen.mkdir()
    window.settings.setValue(file_names.KEY, str(last))
    return last, chosen


def _answer(monkeypatch, name: str, path: Path, starts: list) -> None:
    """The file dialog ``name`` answers ``path``; where it started goes in ``starts``."""
    monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: (starts.append(a[2]), (str(path), ""))[1]))


def test_history_export_starts_in_the_last_folder_and_remembers_the_one_chosen(window, folders, monkeypatch):
    last, chosen = folders
    panel = window.install_history()
    written, starts = [], []
    monkeypatch.setattr(panel, "export_to", lambda path: written.append(path))
    _answer(monkeypatch, "getSaveFileName", chosen / "shown.kml", starts)
    panel.export_dialog()
    assert Path(starts[0]) == last / "launches.kml"
    assert written == [chosen / "shown.kml"]
    assert Path(window.settings.value(file_names.KEY)) == chosen


def test_history_import_starts_in_the_last_folder_and_remembers_the_one_chosen(window, folders, monkeypatch):
    last, chosen = folders
    panel = window.install_history()
    opened, starts = [], []
    monkeypatch.setattr(panel, "open_import", lambda path: opened.append(path))
    _answer(monkeypatch, "getOpenFileName", chosen / "launches.csv", starts)
    panel.import_dialog()
    assert Path(starts[0]) == last
    assert opened == [chosen / "launches.csv"]
    assert Path(window.settings.value(file_names.KEY)) == chosen


def test_an_article_is_opened_from_the_last_folder(window, folders, monkeypatch, qtbot):
    from viewer.ui.draft_dialog import DraftDialog

    last, chosen = folders
    article = chosen / "article.txt"
    article.write_text("North Korea fired two missiles on Monday.", encoding="utf-8")
    window.act_new_from_article.trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "draft_dialog", None), DraftDialog)
                    and window.draft_dialog.isVisible(), timeout=5000)
    dlg = window.draft_dialog
    starts = []
    _answer(monkeypatch, "getOpenFileName", article, starts)
    dlg.open_button.click()
    assert Path(starts[0]) == last
    assert "two missiles" in dlg.text_edit.toPlainText()
    assert Path(window.settings.value(file_names.KEY)) == chosen
    dlg.reject()
