"""The point layer's zooms painted ahead (resources/js/point_ahead.js): once the view is painted,
the pictures a zoom step in and out would paint are painted, their views right after the view's own
margin and before the other margins (theirs too); a step to one shows it without a whole redraw; a
change of a few points costs them nothing and is drawn anew on them; they never take the picture
of the view before."""

import json

from tests.ui.conftest import js
from tests.ui.test_point_layer import open_points, painted


# The layer's pixels as one string (the canvas as it is now).
PIXELS = "(function () { var c = SitMap.app.pointLayer, cv = c._container;" \
         " return Array.prototype.join.call(c._ctx.getImageData(0, 0, cv.width, cv.height).data, ','); })()"


# Whether the zooms either side of the view are kept, painted ahead and whole: "true,true".
ZOOMS_KEPT = ("(function () { var c = SitMap.app.pointLayer, m = c._map, z = m.getZoom();"
              " return [z + 1, z - 1].map(function (k) { var at = c._aheadPlace(k);"
              " return c._slots.some(function (s) { return s.key === at.key && s.whole; }); }).join(); })()")


def open_with_zooms_ahead(window, qtbot, tmp_path):
    """The points, painted ahead however few, at a view whose zooms either side are painted."""
    view = open_points(window, qtbot, tmp_path)
    js(qtbot, view, "(function () { var c = SitMap.app.pointLayer; c.options.aheadFrom = 0;"
                    " SitMap.app.map.setView([38, 127], 7, {animate: false}); return 'ok'; })()")
    qtbot.waitUntil(lambda: js(qtbot, view, ZOOMS_KEPT) == "true,true", timeout=20_000)
    return view


# The canvas's pixels now kept in the page, and later the largest difference of any channel from
# them and how many differ: "[most, n]".
KEEP_PIXELS = ("(function () { var c = SitMap.app.pointLayer;"
               " window.sitmapShown = c._ctx.getImageData(0, 0, c._container.width, c._container.height).data;"
               " return 'ok'; })()")
PIXELS_SINCE = """(function () {
  var c = SitMap.app.pointLayer, now = c._ctx.getImageData(0, 0, c._container.width, c._container.height).data;
  var was = window.sitmapShown, most = 0, n = 0;
  for (var k = 0; k < now.length; k++) { var d = Math.abs(now[k] - was[k]); if (d) { n += 1; if (d > most) { most = d; } } }
  return JSON.stringify([most, n]); })()"""


def whole_redraw(qtbot, view):
    """The point layer painted anew from nothing, its margin and all, nothing kept."""
    js(qtbot, view, "(function () { var c = SitMap.app.pointLayer; c._slots = []; c._jobs = []; c._dirty = null;"
                    " c._redraw(); return 'ok'; })()")
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)


def test_the_zooms_either_side_are_painted_ahead_and_a_step_to_one_shows_what_a_redraw_paints(window, qtbot, tmp_path):
    """Once the view and its margin are painted and the page is idle, the pictures a zoom step in
    and out about the view's middle would paint are painted ahead: a step then paints nothing
    itself, and shows exactly what a whole redraw there paints; a change made meanwhile is drawn
    anew on it. A zoom about another point paints as before."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    steps = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll, out = [];
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.setZoom(m.getZoom() + 1, {animate: false}); out.push(paints);
      m.setZoom(m.getZoom() - 1, {animate: false}); m.setZoom(m.getZoom() + 1, {animate: false}); out.push(paints);
      c._paintAll = all;
      return JSON.stringify(out); })()"""))
    # (the picture painted ahead: no whole redraw of its own; back and in again: both still kept)
    assert steps == [0, 0]
    ahead = js(qtbot, view, PIXELS, timeout=30_000)
    whole_redraw(qtbot, view)
    assert js(qtbot, view, PIXELS, timeout=30_000) == ahead
    got, want = painted(qtbot, view)
    assert want and got == set(want)
    # a point moved after the zoom out was painted ahead: drawn anew there when it is shown
    qtbot.waitUntil(lambda: js(qtbot, view, ZOOMS_KEPT) == "true,true", timeout=20_000)
    js(qtbot, view, """(function () { var a = SitMap.app, m = a.map, c = a.pointLayer;
      var id = Object.keys(a.features).filter(function (k) { return a.features[k].point &&
        m.getBounds().pad(-0.3).contains(a.features[k].getLatLng()); })[0];
      a.features[id].setLatLng(m.getCenter()); m.setZoom(m.getZoom() - 1, {animate: false}); return 'ok'; })()""")
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    # (the point drawn anew over the picture is drawn as a part is redrawn, by the canvas, not
    # blended in script as a whole redraw is: a level or three apart where it overlaps others)
    diff = json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000))
    assert diff[0] <= 3, diff


# A job of the point layer's pictures still to paint, named by whose it is (the view's own, the
# zoom in's or out's) and what of it is being painted (its view, its margin).
JOB_NAME = """function (j) { var z = SitMap.app.map.getZoom();
  return (!j.ahead ? 'own' : +j.ahead.split('|')[0] > z ? 'in' : 'out') + (j.rest ? ' view' : ' margin'); }"""
# Those jobs in the order they are painted.
JOBS = "SitMap.app.pointLayer._jobs.map(" + JOB_NAME + ").join(', ')"


def test_after_a_whole_redraw_its_margin_then_the_views_of_the_zooms_either_side_come_before_other_margins(
        window, qtbot, tmp_path):
    """A whole redraw paints the view; its margin is painted next, then the view of the zoom in,
    then the zoom out's, and only then the zooms' margins. A zoom step soon after a redraw finds
    its view painted; a click there (any change of a point) finds the margin painted. In the end
    the zooms are kept whole, and the view's picture is what a whole redraw paints."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    order = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, order = [];
      c._marginSoon = function () {}; c._aheadSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      var jobs = function () { order.push(""" + JOBS + """); };
      jobs();
      c._aheadNext(); jobs();
      c._marginStep(c._jobs[0], Infinity); jobs();
      c._aheadNext(); jobs();
      c._marginStep(c._jobs[0], Infinity); jobs();
      c._aheadNext(); jobs();
      c._marginStep(c._jobs[0], Infinity); jobs();
      delete c._marginSoon; delete c._aheadSoon;
      c._marginSoon();
      return JSON.stringify(order); })()"""))
    assert order == ["own margin",
                     "own margin, in view",
                     "in view",
                     "in view",
                     "in margin",
                     "out view, in margin",
                     "in margin, out margin"], order
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)
    assert js(qtbot, view, ZOOMS_KEPT) == "true,true"
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    assert json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000)) == [0, 0]


def test_back_at_a_view_whose_margin_is_unfinished_the_view_of_its_zoom_comes_next(window, qtbot, tmp_path):
    """A view whose margin and zoom in are still being painted, a far pan to other points, and back:
    the view's picture is shown again, its margin next, and the zoom in's view, still being
    painted, right after it, before the far view's margin."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll, out = [];
      c._marginSoon = function () {}; c._aheadSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c._aheadNext();
      out.push(""" + JOBS + """);
      m.panBy([1.2 * m.getSize().x, 0], {animate: false});  // (beyond the margin, to other points)
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.panBy([-1.2 * m.getSize().x, 0], {animate: false});
      c._paintAll = all;
      out.push(""" + JOBS + """);
      c._aheadNext();
      out.push(""" + JOBS + """);
      delete c._marginSoon; delete c._aheadSoon;
      c._marginSoon();
      return JSON.stringify({jobs: out, paints: paints}); })()"""))
    # (the far view's own margin is "own margin" too: the last of them)
    assert got == {"jobs": ["own margin, in view",
                            "own margin, own margin, in view",
                            "own margin, in view, own margin"], "paints": 0}, got
    qtbot.waitUntil(lambda: js(qtbot, view, ZOOMS_KEPT) == "true,true", timeout=20_000)


def test_at_a_zoom_painted_ahead_its_unfinished_margin_still_comes_before_the_next_zoom_s_view(
        window, qtbot, tmp_path):
    """A zoom step to a picture painted ahead whose margin is still to paint: that margin is painted
    next, and the view of the zoom after it, begun then, comes after it, not before."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map;
      c._marginSoon = function () {}; c._aheadSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c.finishMargin();
      c._aheadNext();
      var ahead = c._jobs[0];
      c._marginStep(ahead, Infinity);  // (its view painted: its margin still to paint)
      m.setZoom(m.getZoom() + 1, {animate: false});
      var shown = c._shown === ahead.slot && c._jobs[0] === ahead && ahead.rest === null;
      c._aheadNext();  // (the zoom in from there)
      var next = c._jobs[1], key = c._aheadPlace(m.getZoom() + 1).key;
      delete c._marginSoon; delete c._aheadSoon;
      c._marginSoon();
      return JSON.stringify({shown: shown, first: c._jobs[0] === ahead, next: !!next && next.ahead === key && !!next.rest}); })()"""))
    assert got == {"shown": True, "first": True, "next": True}, got
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)


def test_a_zoom_whose_whole_redraw_is_still_painting_its_margin_is_not_painted_ahead_again(window, qtbot, tmp_path):
    """A zoom step drawn anew (not painted ahead), and back before its margin is painted: the zooms
    painted ahead from there leave that picture to its own margin's job, not a second job painting
    the same pixels from the start."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map;
      c._marginSoon = function () {}; c._aheadSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c.finishMargin();
      m.setZoom(m.getZoom() + 1, {animate: false});  // (no zoom painted ahead: drawn anew, its margin to paint)
      var zoomed = c._shown;
      m.setZoom(m.getZoom() - 1, {animate: false});  // (back: the view's picture, kept whole)
      c._aheadNext(); c._aheadNext();
      var on = c._jobs.filter(function (j) { return j.slot === zoomed; }).length;
      delete c._marginSoon; delete c._aheadSoon;
      c._marginSoon();
      return on; })()""")
    assert got == 1
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)
    js(qtbot, view, "SitMap.app.map.setZoom(SitMap.app.map.getZoom() + 1, {animate: false}); 'ok'")
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    assert json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000)) == [0, 0]


def test_a_margin_painted_in_slices_is_put_on_the_canvas_now_and_then_and_once_whole(window, qtbot, tmp_path):
    """The shown picture's margin painted in slices of a few ms puts what it has painted on the
    canvas (all its strips, each time) at most every 50 ms and once it is whole, not after every
    slice; in the end the canvas is what a whole redraw paints."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, show = c._showStrips, shows = 0, slices = 0, clock = 0, last = false;
      c._marginSoon = function () {}; c._aheadSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      var job = c._jobs[0];
      c._showStrips = function (j) { shows += 1; last = j.next < 0; return show.apply(this, arguments); };
      performance.now = function () { clock += 2; return clock; };  // (2 ms a look at the clock)
      try {
        while (c._jobs.indexOf(job) >= 0) { slices += 1; c._marginStep(job, 3, 100); }
      } finally { delete performance.now; delete c._showStrips; delete c._marginSoon; delete c._aheadSoon; }
      c._marginSoon();
      return JSON.stringify({slices: slices, shows: shows, last: last, whole: job.slot.whole}); })()"""))
    assert got["whole"] and got["last"] and got["slices"] >= 10, got
    assert got["shows"] < got["slices"] / 2, got
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    assert json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000)) == [0, 0]


def test_the_zooms_either_side_are_asked_for_as_soon_as_a_margin_step_would_be(window, qtbot, tmp_path):
    """On a page kept busy (idle callbacks called only at their time limit), the zooms either side
    are begun no later than the margin's next step: their idle callback's time limit is the
    margin's, not longer."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    limits = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, idle = window.requestIdleCallback, limits = [];
      window.requestIdleCallback = function (fn, o) { limits.push(o && o.timeout); return 0; };  // (not called back)
      c._aheadTimer = null; c._aheadSoon();
      c._jobs = [{slot: {}, ahead: null, rest: null, next: -1, list: []}];  // (a margin of a picture not shown)
      c._marginTimer = null; c._marginSoon();
      window.requestIdleCallback = idle; c._aheadTimer = null; c._marginTimer = null; c._jobs = [];
      return JSON.stringify(limits); })()"""))
    assert len(limits) == 2 and None not in limits and limits[0] <= limits[1], limits


def test_the_margin_and_the_zooms_views_are_painted_between_frames_even_with_no_idle_time(window, qtbot, tmp_path):
    """A page with no idle time at all (idle callbacks never called): after a whole redraw, the
    view's own margin is still painted, then the view of the zoom in once it is begun, in slices
    between frames; the zoom step then shows it without a whole redraw of its own."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, step = c._marginStep, name = """ + JOB_NAME + """;
      window.sitmapIdle = window.requestIdleCallback;
      window.requestIdleCallback = function () { return 1; };  // (never called back)
      window.sitmapSteps = [];
      c._marginStep = function (job) { window.sitmapSteps.push(name(job)); return step.apply(this, arguments); };
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c._aheadNext();  // (begun as its idle callback would begin it)
      window.sitmapAheadJob = c._jobs.filter(function (j) { return j.ahead; })[0];
      return 'ok'; })()""")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.sitmapAheadJob.rest === null"), timeout=10_000)
    got = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll, job = window.sitmapAheadJob;
      var steps = window.sitmapSteps.filter(function (s, k, a) { return k === 0 || a[k - 1] !== s; });
      var own = c._jobs.filter(function (j) { return !j.ahead; }).length;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.setZoom(m.getZoom() + 1, {animate: false});
      delete c._paintAll; delete c._marginStep;
      window.requestIdleCallback = window.sitmapIdle;
      c._marginTimer = null; c._aheadTimer = null;  // (the callbacks never called, given up)
      c._marginSoon();
      return JSON.stringify({steps: steps, own: own, paints: paints, shown: c._shown === job.slot}); })()"""))
    # (the zoom out's view may follow, begun by an idle callback asked for before the page had none)
    assert got["steps"][:2] == ["own margin", "in view"] and got["own"] == 0, got
    assert got["paints"] == 0 and got["shown"], got
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)


def test_zooms_painted_ahead_never_take_the_picture_of_the_view_before_so_a_pan_back_shows_it_at_once(
        window, qtbot, tmp_path):
    """A view, the zooms either side of it painted ahead, a far pan, and that view's zooms painted
    ahead too: that is one picture more than are kept, and the one given up is never the view just
    left, so a pan back shows it without painting a point."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    # (beyond the margin, to a view with points: a view of none keeps no picture)
    js(qtbot, view, "(function () { var m = SitMap.app.map; m.panBy([-1.2 * m.getSize().x, 0], {animate: false});"
                    " return 'ok'; })()")
    qtbot.waitUntil(lambda: js(qtbot, view, ZOOMS_KEPT) == "true,true", timeout=20_000)
    assert js(qtbot, view, "SitMap.app.pointLayer._slots.length") == 5  # (all kept pictures in use)
    paints = js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.panBy([1.2 * m.getSize().x, 0], {animate: false});
      c._paintAll = all;
      return paints; })()""")
    assert paints == 0


def test_a_point_changed_after_the_zooms_were_painted_ahead_costs_them_nothing_and_is_drawn_anew_on_them(
        window, qtbot, tmp_path):
    """A change of one point (a selection, a move) leaves the zooms painted ahead kept: none is
    painted again, a step to one shows it at once, and the point is drawn there as it is now."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer, again = 0, job = c._aheadJob, paints = 0, all = c._paintAll;
      var id = Object.keys(a.features).filter(function (k) { return a.features[k].point &&
        m.getBounds().pad(-0.3).contains(a.features[k].getLatLng()); })[0];
      a.features[id].setLatLng(m.getCenter());
      c._aheadJob = function () { again += 1; return job.apply(this, arguments); };
      c._aheadNext();
      c._aheadJob = job;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.setZoom(m.getZoom() + 1, {animate: false});
      c._paintAll = all;
      return JSON.stringify([again, paints]); })()"""))
    assert got == [0, 0]
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    most, _n = json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000))
    assert most <= 3


def test_a_zoom_painted_ahead_is_shown_once_its_view_is_painted_and_its_margin_is_finished_after(
        window, qtbot, tmp_path):
    """A zoom painted ahead paints its view first, before the margins of pictures kept for a way
    back: a step to it before its margin is painted shows that view without a whole redraw of its
    own, a point changed meanwhile drawn anew, and its margin is painted on the canvas when the
    page is idle: in the end the same pixels as a whole redraw."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer, paints = 0, all = c._paintAll;
      c._marginSoon = function () {};  // (the steps taken here, one by one)
      m.setView([37.5, 126.5], 7, {animate: false});
      c.finishMargin();
      c._aheadNext();
      var job = c._jobs[0], first = !!job.ahead && job.rest !== null;
      c._marginStep(job, 0);
      var viewDone = job.rest === null && job.slot.key === job.ahead && !job.slot.whole;
      var id = Object.keys(a.features).filter(function (k) { return a.features[k].point &&
        m.getBounds().pad(-0.3).contains(a.features[k].getLatLng()); })[0];
      a.features[id].setLatLng(m.getCenter());
      var still = c._jobs.indexOf(job) >= 0;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.setZoom(m.getZoom() + 1, {animate: false});
      c._paintAll = all;
      var shown = c._shown === job.slot && c._jobs[0] === job && !job.slot.whole;
      delete c._marginSoon;
      c._marginSoon();
      return JSON.stringify({first: first, viewDone: viewDone, still: still, paints: paints, shown: shown}); })()"""))
    assert got == {"first": True, "viewDone": True, "still": True, "paints": 0, "shown": True}, got
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    most, _n = json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000))
    assert most <= 3


def test_a_zoom_being_painted_ahead_goes_on_after_a_far_pan_so_back_there_a_zoom_shows_it(window, qtbot, tmp_path):
    """A far pan while a zoom of the view is still being painted ahead leaves that painting to go on
    (the far view's picture takes another), after the new view's own painting: back at the view, a
    zoom step shows its picture without a whole redraw of its own."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer;
      c._marginSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c.finishMargin();
      c._aheadNext();
      var job = c._jobs[0];
      window.sitmapAheadJob = job;
      m.panBy([2 * m.getSize().x, 0], {animate: false});
      var kept = c._jobs.indexOf(job) > 0 && c._shown !== job.slot;
      delete c._marginSoon;
      c._marginSoon();
      return JSON.stringify({ahead: !!job.ahead, kept: kept}); })()"""))
    assert got == {"ahead": True, "kept": True}
    qtbot.waitUntil(lambda: js(qtbot, view, "window.sitmapAheadJob.slot.whole && "
                                            "window.sitmapAheadJob.slot.key === window.sitmapAheadJob.ahead"),
                    timeout=20_000)
    paints = js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.panBy([-2 * m.getSize().x, 0], {animate: false});
      m.setZoom(m.getZoom() + 1, {animate: false});
      c._paintAll = all;
      return paints; })()""")
    assert paints == 0


def test_a_zoom_to_a_picture_half_painted_ahead_paints_only_the_rest_of_its_view(window, qtbot, tmp_path):
    """A zoom step that comes while its picture is being painted ahead, half of its view painted:
    the rest of that view is painted then (no whole redraw of its own: no point listed or painted
    twice), the picture is shown and kept, and its margin is painted when the page is idle; in the
    end the same pixels as a whole redraw."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer, paints = 0, all = c._paintAll, painted = 0, paintIn = c._paintIn;
      c._marginSoon = function () {};  // (the steps taken here, one by one)
      c._slots = []; c._jobs = []; c._dirty = null; c._redraw();  // (nothing kept: the view painted anew)
      c.finishMargin();
      c._aheadNext();
      var job = c._jobs[0], half = Math.floor(job.next / 2);
      c._paintIn(job, job.strips, job.next, half);  // (half of its view, as a step while idle paints it)
      job.next = half - 1;
      c._paintIn = function (j, rects, from, to) { if (j === job) { painted += from - to + 1; } return paintIn.apply(this, arguments); };
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.setZoom(m.getZoom() + 1, {animate: false});
      delete c._paintIn; delete c._paintAll;
      var shown = c._shown === job.slot && job.slot.key === job.ahead && job.rest === null && c._jobs[0] === job;
      delete c._marginSoon;
      c._marginSoon();
      return JSON.stringify({ahead: !!job.ahead, paints: paints, painted: painted, rest: half, shown: shown}); })()"""))
    assert got["ahead"] and got["rest"] > 100, got
    assert got["paints"] == 0 and got["shown"], got
    assert got["painted"] == got["rest"], got
    qtbot.waitUntil(lambda: js(qtbot, view, "SitMap.app.pointLayer._jobs.length") == 0, timeout=20_000)
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    assert json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000)) == [0, 0]


def test_a_view_with_no_point_keeps_no_picture_and_paints_no_zoom_ahead(window, qtbot, tmp_path):
    """A far pan to a view with no point (the sea) paints nothing and keeps no picture for it: no
    kept picture is given up or made for it, and none for its zooms either side, which have no
    point either (looked at once each, not again and again while the page is idle); a pan back
    shows the view's picture at once."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    before = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, ctx = c._ctx, make = ctx.createImageData, job = c._aheadJob;
      window.sitmapCounts = {made: 0, jobs: 0};
      ctx.createImageData = function () { window.sitmapCounts.made += 1; return make.apply(ctx, arguments); };
      c._aheadJob = function () { window.sitmapCounts.jobs += 1; return job.apply(this, arguments); };
      var keys = c._slots.map(function (s) { return s.key; });
      m.panBy([4 * m.getSize().x, 0], {animate: false});  // (the Pacific: the points lie 116-140.5 E)
      return JSON.stringify(keys); })()"""))
    qtbot.waitUntil(lambda: js(qtbot, view, "(function () { var c = SitMap.app.pointLayer;"
                                            " return !c._aheadTimer && !c._marginTimer && !c._jobs.length &&"
                                            " !!c._aheadNone && Object.keys(c._aheadNone.keys).length === 2; })()"),
                    timeout=20_000)
    got = json.loads(js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, cv = c._container, px = c._ctx.getImageData(0, 0, cv.width, cv.height).data, lit = 0;
      for (var k = 3; k < px.length; k += 4) { if (px[k]) { lit += 1; } }
      delete c._ctx.createImageData; delete c._aheadJob;
      return JSON.stringify({keys: c._slots.map(function (s) { return s.key; }), shown: c._shown, lit: lit,
                             made: window.sitmapCounts.made, jobs: window.sitmapCounts.jobs}); })()"""))
    assert got == {"keys": before, "shown": None, "lit": 0, "made": 0, "jobs": 2}, got
    paints = js(qtbot, view, """(function () {
      var c = SitMap.app.pointLayer, m = c._map, paints = 0, all = c._paintAll;
      c._paintAll = function () { paints += 1; return all.apply(this, arguments); };
      m.panBy([-4 * m.getSize().x, 0], {animate: false});
      delete c._paintAll;
      return paints; })()""")
    assert paints == 0
    got, want = painted(qtbot, view)
    assert want and got == set(want)


def test_the_margin_of_a_zoom_painted_ahead_draws_anew_only_the_changed_points_it_covers(window, qtbot, tmp_path):
    """A zoom painted ahead is shown before its margin is painted, with points changed since it was
    begun drawn anew on it; each step of its margin puts the strips painted so far over the canvas
    and draws anew the changed points they cover, not those in the view, which the strips leave as
    they were. In the end the same pixels as a whole redraw."""
    view = open_with_zooms_ahead(window, qtbot, tmp_path)
    got = json.loads(js(qtbot, view, """(function () {
      var a = SitMap.app, m = a.map, c = a.pointLayer;
      c._marginSoon = function () {};  // (the steps taken here, one by one)
      m.setView([37.5, 126.5], 7, {animate: false});
      c.finishMargin();
      c._aheadNext();
      var job = c._jobs[0];
      c._marginStep(job, 0);  // (its view painted: shown by a zoom, its margin still to paint)
      var ids = Object.keys(a.features).filter(function (k) { return a.features[k].point &&
        m.getBounds().pad(-0.3).contains(a.features[k].getLatLng()); });
      var z = m.getZoom() + 1, size = m.getSize();
      a.features[ids[0]].setLatLng(m.getCenter());  // (in the zoom's view)
      a.features[ids[1]].setLatLng(m.unproject(m.project(m.getCenter(), z).add([0.7 * size.x, 0]), z));  // (its margin)
      m.setZoom(z, {animate: false});
      var shown = c._shown === job.slot && !job.slot.whole, boxes = [], redraw = L.Canvas.prototype._redraw;
      L.Canvas.prototype._redraw = function () {
        if (this === c && c._redrawBounds) { boxes.push(c._redrawBounds.getCenter()); }
        return redraw.apply(this, arguments);
      };
      try { c._marginStep(job, 0); } finally { L.Canvas.prototype._redraw = redraw; }
      delete c._marginSoon;
      var v = L.bounds([0, 0], [size.x, size.y]);
      return JSON.stringify({shown: shown, whole: job.slot.whole, boxes: boxes.length,
                             inView: boxes.filter(function (p) { return v.contains(m.layerPointToContainerPoint(p)); }).length});
    })()"""))
    assert got == {"shown": True, "whole": True, "boxes": 1, "inView": 0}, got
    js(qtbot, view, KEEP_PIXELS)
    whole_redraw(qtbot, view)
    most, _n = json.loads(js(qtbot, view, PIXELS_SINCE, timeout=30_000))
    assert most <= 3
