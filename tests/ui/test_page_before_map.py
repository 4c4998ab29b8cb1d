"""``sitmap BIG``: the map's page begins while the large map is read (its scripts load and run,
its channel to Python connects); once the map is read it is given its view and basemap, with the
view's tiles (painted while the map is drawn), once drawn the rest, features and all, in one
answer, and its legend after that: the same page, not a second one."""

import json
import threading
import time
from pathlib import Path

from tests.ui.conftest import READY_MS
from tools.big_projects import write_points_project


def _start(qtbot, settings, tmp_path, monkeypatch, path: Path, wait_for_page: bool = True, until_ready: bool = True):
    """make_window + open_first_scenario as ``sitmap PATH`` does, ``path`` counting as large;
    the reading waits (on its thread) until the page has asked for its payload. ``until_ready``:
    returns once the map is ready (else once the map is opened)."""
    import viewer.app as app_mod
    from viewer.model.io import open_any
    from viewer.render.page_cache import PageCache
    from viewer.ui import beside_loop

    monkeypatch.setattr(app_mod, "page_cache", lambda: PageCache(tmp_path / "pages"))
    monkeypatch.setattr(beside_loop, "WORTH_A_THREAD", path.stat().st_size)
    asked = threading.Event()
    real = open_any.open_map_bytes

    def reading(raw, name):
        if wait_for_page:
            asked.wait(READY_MS / 1000)
        return real(raw, name)

    monkeypatch.setattr(open_any, "open_map_bytes", reading)
    from viewer.ui import waiting_page

    real_tiles = waiting_page.view_tiles

    def view_tiles(*args):  # (the tiles given with the page's start, kept for the test)
        given.update(real_tiles(*args))
        return given

    given: dict[str, bytes] = {}
    monkeypatch.setattr(waiting_page, "view_tiles", view_tiles)
    w, first = app_mod.make_window(path, settings=settings, data_dir=tmp_path / "data")
    w.given_tiles = given
    w.asked_before = len(w.map_view.network_guard.requests)
    w.maybe_keep_changes = lambda: True
    qtbot.addWidget(w)
    w.show()
    handler = w.map_view.scheme_handler
    held = [name for name in handler._held if name.startswith(w.map_view._page_prefix + "-payload-")]
    assert len(held) == 1, "the first page is the map's own, waiting for its payload"
    shell_url = w.map_view._page.url().toString() or w.map_view._pending_loads[-1]
    loads = []
    w.map_view._page.loadFinished.connect(loads.append)

    def page_asked():  # (the page's request for its payload has come: the read may go on)
        if handler._held.get(held[0]):
            asked.set()

    from PySide6.QtCore import QTimer

    poll = QTimer(w)
    poll.timeout.connect(page_asked)
    poll.start(5)
    if until_ready:
        with qtbot.waitSignal(w.map_view.mapReady, timeout=READY_MS * 2):
            error = app_mod.open_first_scenario(w, path, first)
    else:
        error = app_mod.open_first_scenario(w, path, first)
    poll.stop()
    return w, error, held[0], shell_url, loads, asked.is_set()


def _page(qtbot, w, script):
    with qtbot.waitCallback(timeout=READY_MS) as cb:
        w.map_view.run_js(script, cb)
    return cb.args[0]


def test_a_large_maps_page_runs_while_it_is_read_and_is_given_the_map_in_one_answer(qtbot, settings, tmp_path,
                                                                                    monkeypatch):
    big = write_points_project(tmp_path / "big.sitmap.geojson", 3000, 2)
    # (its features' index made while the page builds the map: not on the first click after it)
    from viewer.model.document import Document

    indexed = []
    real_index = Document.make_index
    monkeypatch.setattr(Document, "make_index", lambda self: (indexed.append(self._index is None), real_index(self))[1])
    # (and its places in range found while the page builds the map, too: not once it is up)
    from viewer.ui.range_panel import RangePanel

    ranged = []
    real_range = RangePanel.set_scenario
    monkeypatch.setattr(RangePanel, "set_scenario", lambda self, s: (
        ranged.append(self.window().map_view.is_ready), real_range(self, s))[1])
    w, error, name, shell_url, loads, asked = _start(qtbot, settings, tmp_path, monkeypatch, big)
    assert error is None and asked, "the page asked for its map before the map was read"
    assert indexed == [True] and w.doc._index is not None
    assert ranged == [False]
    assert loads == [True] and w.map_view._page.url().toString() == shell_url  # the same page, loaded once
    assert w.scenario_path == big and len(w.doc.scenario.features) == 3000 + 12
    timing = json.loads(_page(qtbot, w, "JSON.stringify(SitMap.app.timing)"))
    assert timing["shell"] < timing["start"] < timing["basemapAdded"] < timing["payload"] < timing["ready"]
    assert "fetched" not in timing  # (its features came inside the payload: no second request)
    # The view's tiles came with its start: the page asked for none of them.
    handler = w.map_view.scheme_handler
    asked = {u.split("/basemap/", 1)[1][:-len(".json")]
             for u in w.map_view.network_guard.requests[w.asked_before:] if "/basemap/" in u}
    assert w.given_tiles and not (set(w.given_tiles) & asked)
    # The map's own cities, known once it was drawn, are left out of the basemap's labels since.
    cities = _page(qtbot, w, "JSON.stringify(SitMap.app.cityNames())")
    shown = _page(qtbot, w, "JSON.stringify(SitMap.app.basemap.labelBoxes().map(function (b) { return b.text; }))")
    cities, shown = json.loads(cities), json.loads(shown)
    assert cities and shown and not {c.lower() for c in cities} & {t.lower() for t in shown}
    drawn = _page(qtbot, w, "SitMap.app.featureTotal")
    assert drawn == len(w.map_view.drawn) == 3000 + 12
    # Its legend came after its features (counted while they were drawn), and is the window's.
    from viewer.render.drawn_set import legend_of

    assert '"legendLater":true' in w.map_view.page_html
    legend = json.loads(_page(qtbot, w, "JSON.stringify([SitMap.app.payload.legend, !!SitMap.app.payload.legendLater])"))
    assert legend == [json.loads(json.dumps(legend_of(w.map_view.drawn))), False] and legend[0]
    # Counted while the page read its payload, it was there before the page built its layers:
    # they were drawn with it, and the page did not wait for it once they were on the map.
    assert timing["payload"] <= timing["legend"] < timing["built"] < timing["ready"]
    assert w.map_view.legend_shown == legend_of(w.map_view.drawn)
    # Its drawn set (kept up to date change by change) is made once the map is shown, a slice at a
    # time, and is the map as drawn.
    from viewer.render.drawn_set import DrawnSet

    qtbot.waitUntil(lambda: isinstance(w.map_view.drawn, DrawnSet), timeout=READY_MS)
    assert len(w.map_view.drawn) == 3000 + 12 and w.map_view.drawn.legend() == w.map_view.legend_shown
    # The answers were served to the page's one request each and not kept: asked again, not there.
    names = {name.replace("-payload-", f"-{what}-") for what in ("start", "payload", "legend")}
    assert not names & (set(handler._data) | set(handler._held))
    status = _page(qtbot, w, "fetch('sitmap://app/data/" + name + "').then(function (r) { window._st = r.status; }),"
                             " 'asked'")
    assert status == "asked"
    qtbot.waitUntil(lambda: _page(qtbot, w, "window._st || 0") == 404, timeout=READY_MS)
    # What the window knows of its page is what a page built at once would be.
    assert w.map_view.page_data and all(w.map_view.scheme_handler._data[n] is b for n, b in w.map_view.page_data.items())
    assert "payloadUrl" not in w.map_view.page_html and "featuresUrl" in w.map_view.page_html


def test_a_legend_that_fails_to_come_does_not_hold_back_a_large_maps_features(qtbot, settings, tmp_path, monkeypatch):
    """The page draws a large map's features once it has their legend too; a legend answer it
    cannot read (not JSON) leaves the features drawn all the same (the map is not said to be
    ready: its legend never came)."""
    from viewer.ui.web import AppSchemeHandler

    real = AppSchemeHandler.set_data

    def set_data(self, name, body, *args, **kwargs):
        return real(self, name, b"{not json" if "-legend-" in name else body, *args, **kwargs)

    monkeypatch.setattr(AppSchemeHandler, "set_data", set_data)
    big = write_points_project(tmp_path / "big.sitmap.geojson", 3000, 2)
    w, error, *_ = _start(qtbot, settings, tmp_path, monkeypatch, big, until_ready=False)
    assert error is None
    qtbot.waitUntil(lambda: _page(qtbot, w, "SitMap.app.featureTotal || 0") == 3000 + 12, timeout=READY_MS)
    assert _page(qtbot, w, "JSON.stringify([!!SitMap.app.payload.legendLater, !!SitMap.app.ready])") == "[true,false]"


def test_a_change_right_after_a_large_map_appears_makes_its_drawn_set_at_once(qtbot, settings, tmp_path,
                                                                            monkeypatch):
    """The drawn set made a slice at a time once the map is shown: a change before it is whole
    makes it at once, whole and with the change, and the slices that were under way are let go."""
    from viewer.render.drawn_set import DrawnSet
    from viewer.ui import map_view

    from PySide6.QtWidgets import QApplication

    monkeypatch.setattr(map_view, "DRAWN_SET_SLICE", 200)  # (many slices: the change comes between them)
    monkeypatch.setattr(map_view, "DRAWN_SET_MS", 0.0)  # (one slice a turn of the event loop)
    slices = []
    real = DrawnSet.put_many
    monkeypatch.setattr(DrawnSet, "put_many", lambda self, drawn: (slices.append(len(drawn)), real(self, drawn)))
    big = write_points_project(tmp_path / "big.sitmap.geojson", 3000, 2)
    w, error, *_rest = _start(qtbot, settings, tmp_path, monkeypatch, big)
    assert error is None and not isinstance(w.map_view.drawn, DrawnSet)  # (its first slice not yet taken in)
    QApplication.processEvents()  # (a slice's timer at a time)
    assert slices and not isinstance(w.map_view.drawn, DrawnSet)  # under way, not whole
    w.add_annotation("place", {"type": "Point", "coordinates": [125.5, 39.5]}, {"name": "Right after"})
    drawn = w.map_view.drawn
    assert isinstance(drawn, DrawnSet) and len(drawn) == 3000 + 12 + 1
    assert any(d.name == "Right after" for d in drawn)
    rows, taken = [r["text"] for r in drawn.legend()], len(slices)
    for _ in range(30):  # (the slices' timers, had they gone on, would have run)
        QApplication.processEvents()
    assert len(slices) == taken and w.map_view.drawn is drawn
    assert [r["text"] for r in w.map_view.drawn.legend()] == rows


def test_a_large_file_that_cannot_be_read_at_start_gives_the_waiting_page_the_built_in_map(qtbot, settings, tmp_path,
                                                                                         monkeypatch):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(b"{" + b" " * 5000)
    w, error, _name, shell_url, loads, _asked = _start(qtbot, settings, tmp_path, monkeypatch, bad,
                                                       wait_for_page=False)
    assert error.startswith("bad.geojson") and w.scenario.title.startswith("North Korea")
    assert loads == [True] and w.map_view._page.url().toString() == shell_url
    prefix = w.map_view._page_prefix + "-"
    assert '"legendLater"' not in w.map_view.page_html  # (its legend inside its payload: none asked for)
    assert not [n for n in w.map_view.scheme_handler._held if n.startswith(prefix)]
    assert _page(qtbot, w, "SitMap.app.featureTotal") == len(w.doc.scenario.features)


def test_a_page_replaced_before_its_payload_came_has_its_request_refused_and_nothing_kept(qtbot, window):
    """Another map shown while the start-up's page still waits: the waiting request fails (the
    page is going), the promise is taken back, and the new page is the one that is ready."""
    view = window.map_view
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        view.begin_page()
        name = next(n for n in view.scheme_handler._held if n.startswith(view._page_prefix + "-payload-"))
        qtbot.waitUntil(lambda: bool(view.scheme_handler._held.get(name)), timeout=READY_MS)  # the page asks
        window.set_scenario(window.doc.scenario, None)
    assert name not in view.scheme_handler._held and name not in view.scheme_handler._data
    assert view._shell is None and "payloadUrl" not in view.page_html
    assert _page(qtbot, window, "SitMap.app.featureTotal") == len(window.doc.scenario.features)


def test_data_given_once_is_served_to_one_request_and_the_app_hears_when_the_page_has_it(qtbot, window):
    """Given before it is asked for: the first request has it (and the app is told), the next is
    refused; held for a request that waits: answered when given, seen off through the event loop."""
    handler = window.map_view.scheme_handler
    taken = []
    handler.dataTaken.connect(taken.append)
    handler.set_data("once-a.json", b'{"n": 1}', once=True)
    script = ("window._got = []; "
              "fetch('sitmap://app/data/once-a.json').then(function (r) { window._got.push(r.status); "
              "return fetch('sitmap://app/data/once-a.json'); }).then(function (r) { window._got.push(r.status); }); 1")
    _page(qtbot, window, script)
    qtbot.waitUntil(lambda: _page(qtbot, window, "JSON.stringify(window._got)") == "[200,404]", timeout=READY_MS)
    assert taken == ["once-a.json"] and "once-a.json" not in handler._data
    # Held: the page asks first and waits; set_data answers it and returns once the page has it.
    handler.hold_data("held-b.json")
    _page(qtbot, window, "window._b = null; fetch('sitmap://app/data/held-b.json').then(function (r) "
                         "{ return r.json(); }).then(function (j) { window._b = j.n; }); 1")
    qtbot.waitUntil(lambda: bool(handler._held.get("held-b.json")), timeout=READY_MS)
    t0 = time.monotonic()
    handler.set_data("held-b.json", b'{"n": 2}', once=True, wait_ms=60_000)
    assert taken == ["once-a.json", "held-b.json"] and time.monotonic() - t0 < 30  # (once the page had it)
    assert "held-b.json" not in handler._data and "held-b.json" not in handler._held
    qtbot.waitUntil(lambda: _page(qtbot, window, "window._b") == 2, timeout=READY_MS)


_STACK = """JSON.stringify((function () {
  var app = SitMap.app, c = app.shapeCanvas, group = {}, out = [];
  Object.keys(app.features).forEach(function (id) { group[L.stamp(app.features[id].main)] = app.features[id].data.group; });
  for (var o = c._drawFirst; o; o = o.next) { var g = group[L.stamp(o.layer)]; if (g && out[out.length - 1] !== g) { out.push(g); } }
  return out; })())"""


_COUNT_MOVES = """(function () { var c = SitMap.app.shapeCanvas, front = c._bringToFront; SitMap._moves = 0;
  c._bringToFront = function () { SitMap._moves += 1; return front.apply(this, arguments); }; })();"""


def test_a_large_map_of_lines_and_areas_comes_in_parts_each_sent_as_drawn_and_stacked_as_if_whole(
        qtbot, settings, tmp_path, monkeypatch):
    """Many lines and areas: the page is given the map in parts, each as soon as Python has drawn it
    (the page builds one while the next is drawn), and ends as it would with the map in one answer:
    every feature, the layers stacked as arranged, the legend, ready once, after the last part."""
    from tools.big_projects import write_project
    from viewer.render import layers, parts
    from viewer.render.drawn_set import legend_of

    monkeypatch.setattr(parts, "PARTS_FROM", 500)
    monkeypatch.setattr(parts, "PART_SIZE", 400)
    big = write_project(tmp_path / "shapes.sitmap.geojson", 1500, "mixed", seed=4)
    taken: dict[int, threading.Event] = {}
    in_time = []
    real_draw = parts.draw_parts

    def draw_parts(plan, give):
        for k in range(len(plan.parts)):
            taken[k] = threading.Event()

        def giving(k, drawn):  # (on the worker thread, part k drawn: had the page part k - 1 by then?)
            if k >= 2:
                in_time.append(taken[k - 1].wait(READY_MS / 1000))
            if k == 3:
                in_time.append(mid.wait(READY_MS / 1000))
            give(k, drawn)

        return real_draw(plan, giving)

    monkeypatch.setattr(parts, "draw_parts", draw_parts)
    from viewer.ui.web import AppSchemeHandler

    real_reply = AppSchemeHandler._reply_data

    def reply(self, job, name, body):
        if "-part-" in name:
            k = int(name.rsplit("-", 1)[1][:-len(".json")])
            job.destroyed.connect(lambda *_: taken[k].set())
        return real_reply(self, job, name, body)

    # Between parts (the second built, the fourth not yet drawn), the window's layer order comes,
    # as its panels may send it then.
    from PySide6.QtCore import QTimer

    from viewer.ui.map_view import MapView

    views, mid = [], threading.Event()
    real_init = MapView.__init__
    monkeypatch.setattr(MapView, "__init__", lambda self, *a: (real_init(self, *a), views.append(self))[0])

    def between(total):
        if mid.is_set() or isinstance(total, bool) or not isinstance(total, (int, float)) or total < 2 * parts.PART_SIZE:
            return
        views[0].run_js(_COUNT_MOVES + "SitMap.app.setGroupOrder(SitMap.app.groupOrder.slice())")
        mid.set()

    poll = QTimer()
    poll.timeout.connect(lambda: views and views[0].run_js("SitMap.app.partsDue && SitMap.app.featureTotal", between))
    poll.start(5)

    monkeypatch.setattr(AppSchemeHandler, "_reply_data", reply)
    w, error, *_rest = _start(qtbot, settings, tmp_path, monkeypatch, big)
    poll.stop()
    assert error is None
    view = w.map_view
    n = len(w.doc.scenario.features)
    assert len(view.page_parts) == len(taken) >= 4  # (the first part came with the payload)
    assert in_time == [True] * (len(taken) - 1)
    assert _page(qtbot, w, "SitMap.app.featureTotal") == n == len(view.drawn)
    assert list(view.drawn) == layers.draw_scenario(w.doc.scenario)
    assert _page(qtbot, w, "SitMap.app.payload._shapeCount") == sum(f.kind != "place" for f in w.doc.scenario.features)
    timing = json.loads(_page(qtbot, w, "JSON.stringify(SitMap.app.timing)"))
    assert timing["payload"] < timing["drawn"] < timing["parts"] <= timing["ready"]
    # Stacked as the window arranges its layers (markers apart), and nothing to move again.
    order = [x["id"] for x in w.current_layers()]
    assert json.loads(_page(qtbot, w, _STACK)) == [g for g in reversed(order) if g != "places"]
    assert _page(qtbot, w, "SitMap.app.orderMoved") is False
    assert _page(qtbot, w, "SitMap._moves") == 0  # (no shape moved to the front: all came in order)
    assert _page(qtbot, w, "SitMap.app.shapeCanvas._held") is False
    legend = json.loads(_page(qtbot, w, "JSON.stringify(SitMap.app.payload.legend)"))
    assert legend == json.loads(json.dumps(legend_of(view.drawn))) and legend
    # Each part was painted over what the canvas showed (the view at once, the margin once the last
    # had come): the canvas then holds what one pass over all the shapes paints.
    from tests.ui.test_many_shapes import APART_AND_ONCE, UNLIKE

    qtbot.waitUntil(lambda: _page(qtbot, w, "!SitMap.app.shapeCanvas._marginDue"), timeout=READY_MS)
    _page(qtbot, w, UNLIKE)
    unlike, inked = json.loads(_page(qtbot, w, APART_AND_ONCE))
    assert inked > 100_000 and unlike < 0.005 * inked
    # Each part served once and not kept; the page is not put in the page cache.
    assert not set(view.page_parts) & (set(view.scheme_handler._data) | set(view.scheme_handler._held))
    assert not list((tmp_path / "pages").glob("*")) or not any((tmp_path / "pages").iterdir())


def test_a_large_map_of_lines_and_areas_opened_in_the_window_comes_in_parts_to_a_page_begun_for_it(
        qtbot, window, tmp_path, monkeypatch):
    """File > Open of a map with many lines and areas: its page is begun once the map is read (its
    scripts load while the first part is drawn), given the map in parts, and ready once, with
    every feature, stacked as arranged; the page before it and its data are let go."""
    from tools.big_projects import write_project
    from viewer.render import layers, parts

    monkeypatch.setattr(parts, "PARTS_FROM", 500)
    monkeypatch.setattr(parts, "PART_SIZE", 150)
    view = window.map_view
    before = view._page.url().toString()
    big = write_project(tmp_path / "shapes.sitmap.geojson", 1500, "mixed", seed=4)
    ready = []
    view.mapReady.connect(ready.append)
    # The page has every part before the window fills its panels (the parts go out through the
    # window's thread: its own work would hold them back).
    # (each part's answer held back a little, as a busy machine would)
    had, when_filled = [], []
    from PySide6.QtCore import QTimer

    from viewer.ui.web import AppSchemeHandler

    real_taken = AppSchemeHandler._taken  # (what the page has had, noted before a worker waiting for it is woken)
    monkeypatch.setattr(AppSchemeHandler, "_taken", lambda self, name: (had.append(name), real_taken(self, name))[1])
    view.scheme_handler.dataTaken.disconnect()
    view.scheme_handler.dataTaken.connect(view.scheme_handler._taken)

    real_reply = AppSchemeHandler._reply_data
    monkeypatch.setattr(AppSchemeHandler, "_reply_data", lambda self, job, name, body: QTimer.singleShot(
        150, lambda: real_reply(self, job, name, body)) if "-part-" in name else real_reply(self, job, name, body))
    real_fill = type(window)._fill_panels
    monkeypatch.setattr(type(window), "_fill_panels",
                        lambda self, *a, **k: (when_filled.append(list(had)), real_fill(self, *a, **k))[1])
    # From the third part on, the next is drawn once the page has the one before (its answer goes
    # out through the window's thread, which the drawing would hold up).
    from viewer.ui import map_parts

    monkeypatch.setattr(map_parts, "PART_SENT_S", READY_MS / 1000)
    had_before, asked = [], {}
    real_set = AppSchemeHandler.set_data

    def setting(self, name, body, *a, **k):  # (whether the page had asked for it: a request waits)
        asked.setdefault(name, bool([p for p in self._held.get(name, ()) if p.live()]))
        return real_set(self, name, body, *a, **k)

    monkeypatch.setattr(AppSchemeHandler, "set_data", setting)
    real_draw = parts.draw_parts
    all_asked = threading.Event()  # the page has asked for every part (its requests wait for them)
    real_wait = AppSchemeHandler._wait_for_data

    def waiting(self, name, job):  # (on the window's thread)
        real_wait(self, name, job)
        if all(w for n, w in self._held.items() if "-part-" in n):
            all_asked.set()

    monkeypatch.setattr(AppSchemeHandler, "_wait_for_data", waiting)

    def drawing(k, d):  # (on the worker thread)
        if k == 2:  # as a large map's parts are, each long enough to draw for the page to ask for them all
            all_asked.wait(READY_MS / 1000)
        had_before.append((k, list(had)))
        give_k(k, d)

    def draw_parts(plan, give):
        nonlocal give_k
        give_k = give
        return real_draw(plan, drawing)

    give_k = None
    monkeypatch.setattr(parts, "draw_parts", draw_parts)
    with qtbot.waitSignal(view.mapReady, timeout=READY_MS * 2):
        assert window.open_path(big)
    assert len(view.page_parts) >= 4 and view._page.url().toString() != before
    assert len(when_filled) == 1 and set(view.page_parts[1:]) <= set(when_filled[0])
    assert [k for k, _ in had_before] == list(range(len(view.page_parts)))
    waited = [view.page_parts[k - 1] in got for k, got in had_before
              if k >= 3 and asked.get(view.page_parts[k - 1], True)]
    assert len(waited) >= 2 and all(waited)  # (a part the page had not asked for yet is not waited for)
    assert _page(qtbot, window, "SitMap.app.featureTotal") == len(window.doc.scenario.features) == len(view.drawn)
    assert list(view.drawn) == layers.draw_scenario(window.doc.scenario)
    order = [x["id"] for x in window.current_layers()]
    assert json.loads(_page(qtbot, window, _STACK)) == [g for g in reversed(order) if g != "places"]
    timing = json.loads(_page(qtbot, window, "JSON.stringify(SitMap.app.timing)"))
    assert timing["shell"] < timing["start"] < timing["payload"] < timing["parts"] <= timing["ready"]
    assert len(ready) == 1
    prefix = view._page_prefix + "-"
    kept = [n for n in [*view.scheme_handler._data, *view.scheme_handler._held] if n.startswith(prefix)]
    assert not kept  # (the page before: its batches gone; this one's parts each served once)
    # A small map opened after it is shown as ever, on a page of its own.
    from viewer import resources

    with qtbot.waitSignal(view.mapReady, timeout=READY_MS):
        assert window.open_path(resources.default_scenario())
    assert not view.page_parts and _page(qtbot, window, "SitMap.app.featureTotal") == len(window.doc.scenario.features)


def test_a_large_maps_drawn_set_is_made_a_few_milliseconds_at_a_time(qtbot, settings, tmp_path, monkeypatch):
    """The slices of a large map's drawn set: as many a turn of the event loop as fit in
    DRAWN_SET_MS, then the event loop turns (input, the page's frames) before the next ones."""
    import time

    from viewer.render.drawn_set import DrawnSet
    from viewer.ui import map_view

    monkeypatch.setattr(map_view, "DRAWN_SET_SLICE", 100)
    monkeypatch.setattr(map_view, "DRAWN_SET_MS", 2.0)
    turns: list[list[float]] = [[]]
    real = DrawnSet.put_many

    def timed(self, drawn):
        t = time.perf_counter()
        real(self, drawn)
        turns[-1].append(time.perf_counter() - t)

    monkeypatch.setattr(DrawnSet, "put_many", timed)
    big = write_points_project(tmp_path / "big.sitmap.geojson", 3000, 3)
    w, error, *_rest = _start(qtbot, settings, tmp_path, monkeypatch, big)
    assert error is None
    from PySide6.QtCore import QTimer

    beat = QTimer()
    beat.timeout.connect(lambda: turns.append([]))  # (another turn of the event loop)
    beat.start(0)
    qtbot.waitUntil(lambda: isinstance(w.map_view.drawn, DrawnSet), timeout=20_000)
    beat.stop()
    took = [t for t in turns if t]
    assert sum(map(len, took)) == 31  # (3,012 features, 100 a slice)
    assert len(took) > 1  # not all in one turn
    for t in took:  # a turn takes slices until 2 ms have gone by: what a slice takes beyond that at most
        assert sum(t[:-1]) < 0.002
    assert len(w.map_view.drawn) == 3012
