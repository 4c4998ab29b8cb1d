"""File → New from Article… through the real window: paste, draft, review, show the map."""

from pathlib import Path

from PySide6.QtWidgets import QDialog

from tests.ui.conftest import READY_MS, js
from viewer.ui.draft_dialog import DraftDialog

ROOT = Path(__file__).resolve().parents[2]
SEED = next((b / "shared" / "seed" / "000_773b1baaebd46618.txt" for b in (ROOT.parent, ROOT.parent.parent)
             if (b / "shared" / "seed").is_dir()), ROOT.parent / "shared" / "seed" / "000_773b1baaebd46618.txt")
ARTICLES = ROOT / "tests" / "data" / "articles"


def _row(dlg, item_id: str) -> int:
    return [i.id for i in dlg.draft.items].index(item_id)


def _open_dialog(window, qtbot) -> DraftDialog:
    window.act_new_from_article.trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "draft_dialog", None), DraftDialog)
                    and window.draft_dialog.isVisible(), timeout=5000)
    return window.draft_dialog


def _drafted_site(window, qtbot, text: str, day: str):
    """The dialog with ``text`` drafted as of ``day``, and its drafted launch site."""
    dlg = _open_dialog(window, qtbot)
    dlg.text_edit.setPlainText(text)
    dlg.date_edit.setText(day)
    with qtbot.waitSignal(dlg.drafted, timeout=30_000):
        dlg.draft_button.click()
    return dlg, next(i for i in dlg.draft.items if i.kind == "launch_site")


def test_pasted_article_is_reviewed_and_the_map_shown_in_the_window(window, qtbot):
    dlg = _open_dialog(window, qtbot)
    dlg.text_edit.setPlainText(SEED.read_text(encoding="utf-8"))
    dlg.date_edit.setText("2022-01-18")
    with qtbot.waitSignal(dlg.drafted, timeout=30_000):
        dlg.draft_button.click()
    assert dlg.pages.currentIndex() == 1
    # the review pane: one row per item, the article beside it with the item's words highlighted
    assert dlg.table.rowCount() == len(dlg.draft.items) > 10
    ring = next(i for i in dlg.draft.items if i.kind == "range")
    dlg.select_item(ring.id)
    assert "380 kilometres (about 240 miles)" in dlg.highlighted_words()
    assert dlg.article_view.textCursor().position() == ring.spans[0][0]
    # reject the Seoul place, edit the count
    seoul = next(i for i in dlg.draft.items if i.kind == "place" and i.value == "Seoul")
    dlg.select_item(seoul.id)
    dlg.reject_button.click()
    assert dlg.draft.item(seoul.id).decision == "rejected"
    assert dlg.table.item(_row(dlg, seoul.id), 4).text() == "rejected"
    count = next(i for i in dlg.draft.items if i.kind == "count" and "JCS" in i.source)
    dlg.table.item(_row(dlg, count.id), 1).setText("3")
    assert dlg.draft.item(count.id).decision == "edited" and dlg.draft.item(count.id).data["n"] == 3
    # the source and status of an item can be corrected; an unknown status is refused
    dlg.table.item(_row(dlg, count.id), 2).setText("Japan Ministry of Defense")
    dlg.table.item(_row(dlg, count.id), 3).setText("rumoured")
    assert dlg.draft.item(count.id).status == "reported" and "Status must be" in dlg.note.text()
    # a bad edit is refused and the value kept
    apogee = next(i for i in dlg.draft.items if i.kind == "apogee")
    dlg.table.item(_row(dlg, apogee.id), 1).setText("very high")
    assert dlg.draft.item(apogee.id).value == "42 km" and "not a distance" in dlg.note.text()
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        dlg.show_button.click()
    sc = window.scenario
    assert window.scenario_path is None and sc.title.startswith("Draft:")
    assert sc.feature("ring-380km") is not None and sc.feature("place-seoul") is None
    fact = next(f for f in sc.facts if f.id == "launch-count")
    assert fact.value == "3" and fact.source == "Japan Ministry of Defense"
    state = window.map_view.state
    assert {"launch-point", "ring-380km", "flight-path", "impact-area"} <= set(state["features"])
    assert js(qtbot, window.map_view, "Object.keys(SitMap.app.features).includes('place-dandong')") is True


def test_an_opened_web_page_is_text_and_markup_in_it_is_never_run(window, qtbot, tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<html><head><title>Launch</title><script>window.__pwned = 1</script></head><body>"
                    "<p>SEOUL, Jan 17 - North Korea fired two missiles east from near Pyongyang on Monday, flying "
                    "380 km, South Korea's military said. &lt;img src=x onerror=alert(1)&gt;</p></body></html>",
                    encoding="utf-8")
    dlg = _open_dialog(window, qtbot)
    assert dlg.load_file(page)
    assert "__pwned" not in dlg.text_edit.toPlainText()
    assert "<img src=x onerror=alert(1)>" in dlg.text_edit.toPlainText()
    dlg.date_edit.setText("2022-01-18")
    with qtbot.waitSignal(dlg.drafted, timeout=30_000):
        dlg.draft_button.click()
    assert "<img src=x onerror=alert(1)>" in dlg.article_view.toPlainText()  # shown as text
    with qtbot.waitSignal(window.map_view.mapReady, timeout=READY_MS):
        dlg.show_button.click()
    assert window.scenario.feature("ring-380km") is not None
    assert js(qtbot, window.map_view, "typeof window.__pwned") == "undefined"


def test_bad_input_shows_one_line_and_cancel_keeps_the_open_map(window, qtbot, tmp_path):
    before = window.scenario
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    dlg = _open_dialog(window, qtbot)
    assert not dlg.load_file(binary)
    assert "binary" in dlg.input_error.text() and "\n" not in dlg.input_error.text()
    dlg.text_edit.setPlainText("anything")
    dlg.date_edit.setText("9999-99-99")
    assert not dlg.run_draft()
    assert "YYYY-MM-DD" in dlg.input_error.text()
    with qtbot.waitSignal(dlg.finished, timeout=5000):
        dlg.reject()
    assert window.scenario is before


def test_an_ambiguous_place_can_be_swapped_for_another_candidate(window, qtbot):
    dlg, site = _drafted_site(window, qtbot, "North Korea fired a missile from Kusong on Monday that flew 600 km, "
                                             "South Korea's military said.", "2017-05-15")
    assert site.choices
    dlg.select_item(site.id)
    assert dlg.choice.isEnabled() and dlg.choice.count() == 1 + len(site.choices)
    dlg.choice.activated.emit(1)
    changed = dlg.draft.item(site.id)
    assert changed.decision == "edited" and changed.value == site.choices[0].name
    assert (changed.data["lat"], changed.data["lon"]) == (site.choices[0].lat, site.choices[0].lon)
    dlg.finish()
    assert dlg.result() == QDialog.DialogCode.Accepted
    lat, lon = dlg.scenario.feature("launch-point").latlon()
    assert abs(lat - site.choices[0].lat) < 1e-5


def test_an_unknown_spelling_can_take_a_similar_place(window, qtbot):
    dlg = _open_dialog(window, qtbot)
    dlg.text_edit.setPlainText("North Korea fired a missile from near Sinuju on Monday that flew 300 km, the JCS said.")
    dlg.date_edit.setText("2022-01-18")
    with qtbot.waitSignal(dlg.drafted, timeout=30_000):
        dlg.draft_button.click()
    assert not any(i.kind == "launch_site" for i in dlg.draft.items)
    row = next(k for k, u in enumerate(dlg.draft.unresolved) if u.text == "Sinuju")
    item = dlg.adopt_suggestion(row)
    assert item.kind == "launch_site" and item.value == "Sin\u016diju"
    assert dlg.article_view.toPlainText()[item.spans[0][0]:item.spans[0][1]] == "Sinuju"
    dlg.finish()
    lat, lon = dlg.scenario.feature("launch-point").latlon()
    assert abs(lat - 40.1) < 0.1 and abs(lon - 124.4) < 0.1
    assert dlg.scenario.feature("ring-300km") is not None


def test_the_articles_coordinates_can_be_swapped_for_the_place_named_beside_them_and_back(window, qtbot):
    dlg, site = _drafted_site(window, qtbot, "North Korea fired a ballistic missile from a submarine at 40\u00b002'N "
                                             "128\u00b011'E off Sinpo on Tuesday, flying 600 km east, the Joint Chiefs "
                                             "of Staff said.", "2025-10-14")
    assert site.data["kind"] == "coordinates" and site.choices[0].name == "Sinpo Shipyard"
    dlg.select_item(site.id)
    dlg.choice.activated.emit(1)  # the shipyard: its list credited beside the article's words
    changed = dlg.draft.item(site.id)
    assert changed.data["gazetteer"] == site.choices[0].source and changed.data["kind"] == "launch_site"
    assert "place: " + site.choices[0].source in dlg.draft.scenario().feature("launch-point").source
    dlg.select_item(site.id)
    dlg.choice.activated.emit(1)  # the coordinates again: no list credited
    back = dlg.draft.item(site.id)
    assert (round(back.data["lat"], 4), back.data["gazetteer"]) == (40.0333, "")
    assert "place:" not in dlg.draft.scenario().feature("launch-point").source
    dlg.reject()
