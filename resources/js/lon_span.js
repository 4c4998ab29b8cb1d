/* The narrowest span of longitudes that holds a set of them (places, or the boxes of lines and
 * areas): across the antimeridian where that is narrower, as viewer/model/lon_span.py works it out
 * for the view a map opens on (places at 179 E and 179 W: 179 to 181, not the whole world).
 * Loaded after dom.js, before the point layer and sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  function wrap(x) { return ((x + 180) % 360 + 360) % 360 - 180; }

  // The degrees (whole worlds) that take longitude lng to the world copy nearest longitude near:
  // a place drawn beside another, or on the copy the view shows.
  S.worldsToward = function (lng, near) { return Math.round((near - lng) / 360) * 360; };

  // A collector: add(west, east) each longitude or box (east may pass 180), then span(): [west,
  // east] of them all, or null when none was added.
  S.lonSpan = function () {
    var taken = new Uint8Array(360), all = false, boxes = [], w0 = Infinity, e0 = -Infinity;
    return {
      add: function (w, e) {
        if (e === undefined) { e = w; }
        boxes.push(w, e);
        if (w < w0) { w0 = w; }
        if (e > e0) { e0 = e; }
        if (e - w >= 359) { all = true; return; }
        for (var x = Math.floor(w); x <= Math.floor(e); x++) { taken[Math.min(359, Math.floor(wrap(x) + 180))] = 1; }
      },
      span: function () {
        if (!boxes.length) { return null; }
        if (all || e0 - w0 <= 180) { return [w0, e0]; }
        var best = 0, run = 0, start = 0, k;
        for (k = 0; k < 720; k++) {  // (twice round: the widest stretch without any may pass 180)
          if (taken[k % 360]) { run = 0; continue; }
          run += 1;
          if (run > best && run <= 360) { best = run; start = k - run + 1; }
        }
        if (!best) { return [w0, e0]; }
        var begin = (start + best) % 360 - 180, w = Infinity, e = -Infinity;  // (just east of that stretch)
        for (k = 0; k < boxes.length; k += 2) {
          var bw = wrap(boxes[k]), be = bw + (boxes[k + 1] - boxes[k]);
          if (bw < begin) { bw += 360; be += 360; }
          if (bw < w) { w = bw; }
          if (be > e) { e = be; }
        }
        return e - w < e0 - w0 ? [w, e] : [w0, e0];
      }
    };
  };

  // A map of the whole world (an ICBM's range rings), fitted, is so far out that the frame is wider
  // than the world and shows it twice over (each place and ring twice, a name cut at the edge on
  // the other copy), with bands past the last latitude. A fit below ``least`` would show
  // something of ``view.bounds`` ([[south, west], [north, east]]) twice in a frame of ``size``: a
  // share f of the world's longitudes, centred, shows twice where the world is narrower than the
  // frame / (2 - f); f counted a quarter wider for the names beside the features. Such a map is
  // shown at ``zoom`` instead: the world at least as wide as the frame (nothing twice) and as
  // tall. In quarter steps up (a briefing) or the nearest whole zoom (the window: a sliver at its
  // sides may show twice); never below zoom 2, the basemap's least. viewer/export/frame_view.py
  // one_world_zoom.
  // Where the bounds would not fit the frame at that zoom (a map of places far north and south in
  // a wide frame), it is a step further out at a time while they do not, down to ``least``, and on
  // down to where the features themselves (not their names) would show twice: the features the
  // legend lists stay in the frame.
  function steps(z, whole) { return Math.max(2, whole ? Math.floor(z + 0.5) : Math.ceil(z * 4 - 1e-9) / 4); }
  function oneWorld(size, view, wholeSteps) {
    var b = view.bounds, share = (b[1][1] - b[0][1]) / 360;
    // the least zoom at which a share f of the world's width (centred) shows once in the frame
    var once = function (f) {
      return steps(Math.log(Math.max(size.x / (2 - Math.max(0, Math.min(1, f))), size.y, 1) / 256) / Math.LN2, wholeSteps);
    };
    var least = once(share + 0.25), bare = Math.min(least, once(share));
    var zoom = Math.max(least, steps(Math.log(Math.max(size.x, size.y, 1) / 256) / Math.LN2, wholeSteps));
    var step = wholeSteps ? 1 : 0.25;
    while (zoom - step >= bare - 1e-9 && !boundsFit(size, b, zoom)) { zoom -= step; }
    return { least: least, zoom: zoom };
  }

  var FIT_PAD = 10;  // (pixels each side, as the fitted views pad the bounds)
  // Whether bounds [[south, west], [north, east]] fit a frame of ``size`` at ``zoom``.
  function boundsFit(size, b, zoom) {
    var crs = L.CRS.EPSG3857, sw = crs.latLngToPoint(L.latLng(b[0][0], b[0][1]), zoom);
    var ne = crs.latLngToPoint(L.latLng(b[1][0], b[1][1]), zoom);
    return ne.x - sw.x <= size.x - 2 * FIT_PAD && sw.y - ne.y <= size.y - 2 * FIT_PAD;
  }

  // ``map`` shown as a map of the whole world where ``fitZoom`` (the zoom fitting ``view``'s
  // bounds; not a number where none fits) is below oneWorld's least: true, the view set; else
  // false, for the caller to fit the bounds as it does.
  S.showOneWorldIfWide = function (map, view, fitZoom, wholeSteps, animate) {
    var one = oneWorld(map.getSize(), view, wholeSteps);
    if (fitZoom >= one.least && isFinite(fitZoom)) { return false; }
    showOneWorld(map, view, one.zoom, animate);
    return true;
  };

  // ``map`` at ``zoom`` on ``view``: across, centred on its focus (the middle of its places and
  // rings' centres, viewer/render/layers.py) where it has one, on the world copy nearest its
  // bounds' middle, else as fitBounds centres the bounds; up and down as fitBounds centres them,
  // within the world's top and bottom.
  function showOneWorld(map, view, zoom, animate) {
    var b = L.latLngBounds(view.bounds);
    var mid = map.project(b.getSouthWest(), zoom).add(map.project(b.getNorthEast(), zoom)).divideBy(2);
    var focus = view.focus;
    if (typeof focus === 'number' && isFinite(focus)) {
      var lng = map.unproject(mid, zoom).lng;
      mid.x = map.project([0, focus + S.worldsToward(focus, lng)], zoom).x;
      // (but not so far that the bounds, which fit across, run off the frame)
      var x0 = map.project(b.getSouthWest(), zoom).x, x1 = map.project(b.getNorthEast(), zoom).x, w = map.getSize().x;
      if (x1 - x0 <= w - 2 * FIT_PAD) { mid.x = Math.max(x1 + FIT_PAD - w / 2, Math.min(x0 - FIT_PAD + w / 2, mid.x)); }
    }
    var half = map.getSize().y / 2, height = 256 * Math.pow(2, zoom);
    mid.y = Math.max(half, Math.min(height - half, mid.y));
    map.setView(map.unproject(mid, zoom), zoom, { animate: !!animate });
  }
})(window.SitMap);
