"""Unsaved work kept for recovery as windows run side by side and start up: a second window
neither takes nor clears a running one's work, and work restored before a cached first page is up
stays on screen."""

from __future__ import annotations

from tests.ui.conftest import READY_MS


def _marker(w, name):
    return w.add_annotation("place", {"type": "Point", "coordinates": [125.0, 39.0]}, {"name": name})


def test_work_restored_before_a_cached_first_page_is_up_stays(qtbot, settings, tmp_path, monkeypatch):
    # (found in review: Yes answered at once to the recovery question, the cached first page then
    # put the start-up map over the restored work)
    import shutil

    import viewer.app as app_mod
    from viewer.render.page_cache import PageCache

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    data = tmp_path / "data"

    def start():
        w, first = app_mod.make_window(None, settings=settings, data_dir=data)
        w.maybe_keep_changes = lambda: True
        qtbot.addWidget(w)
        w.show()
        return w, first

    w1, first = start()
    with qtbot.waitSignal(w1.map_view.mapReady, timeout=READY_MS):
        app_mod.open_first_scenario(w1, None, first)
    qtbot.waitUntil(lambda: w1.scenario is not None, timeout=READY_MS)
    _marker(w1, "Unsaved")
    shutil.copytree(data / "recovery", tmp_path / "crashed")  # (as a run killed now leaves it)
    w1.close()
    shutil.rmtree(data / "recovery", ignore_errors=True)
    shutil.copytree(tmp_path / "crashed", data / "recovery")
    w2, first = start()
    assert first.hit is not None  # (the first page from the cache: drawn before the map is read)
    offered = []
    with qtbot.waitSignal(w2.map_view.mapReady, timeout=READY_MS):
        app_mod.open_first_scenario(w2, None, first)
        w2.when_built(lambda: offered.append(w2.offer_recovery(ask=False)))  # (as the app does)
    qtbot.waitUntil(lambda: w2.is_built, timeout=READY_MS)
    assert offered == [True]
    assert any(f.name == "Unsaved" for f in w2.doc.features) and w2.isWindowModified()


def test_a_second_window_neither_takes_nor_clears_a_running_windows_unsaved_work(qtbot, settings, tmp_path):
    # (found in review: a --new-instance window offered the running one's work as a crash's, and
    # answering No deleted it)
    from viewer.ui.main_window import MainWindow

    data = tmp_path / "data"

    def window_on(d):
        w = MainWindow(settings=settings, data_dir=d)
        w.maybe_keep_changes = lambda: True
        qtbot.addWidget(w)
        return w

    first = window_on(data)
    first.new_map()
    _marker(first, "Unsaved in the first")
    assert first.recovery.pending()
    second = window_on(data)
    assert second.recovery.folder != first.recovery.folder
    assert not second.offer_recovery(ask=False)
    second.recovery.clear()  # (as its "No" does)
    assert first.recovery.pending()
    first.recovery_claim.release()  # (the first ends without a clean exit: killed)
    third = window_on(data)
    assert third.recovery.folder == first.recovery.folder
    assert third.offer_recovery(ask=False)
    assert any(f.name == "Unsaved in the first" for f in third.doc.features)
