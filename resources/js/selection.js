/* Selection as on a desktop map: areas and rings are picked by their edge (or, inside, with
 * Alt held), never by their whole inside, so dragging to pan over a ring never selects it.
 * Esc closes what is transient in the page first (a popup, a found place). */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var sel = S.selection = { hitWeight: 12 };

  function isPoint(a) { return Array.isArray(a) && typeof a[0] === 'number'; }

  // Every ring of a polygon's lat/lngs (one ring, a polygon with holes, or several parts), closed.
  function ringsOf(latlngs) {
    if (!latlngs || !latlngs.length) { return []; }
    if (isPoint(latlngs[0])) { return [latlngs.concat([latlngs[0]])]; }
    var out = [];
    latlngs.forEach(function (part) { out = out.concat(ringsOf(part)); });
    return out;
  }

  function linesOf(latlngs) {
    if (!latlngs || !latlngs.length) { return []; }
    if (isPoint(latlngs[0])) { return [latlngs]; }
    var out = [];
    latlngs.forEach(function (part) { out = out.concat(linesOf(part)); });
    return out;
  }

  // Invisible wide lines along a polygon's edge that stand for it: clicks, right-clicks and the
  // hover name go to the polygon itself, whose inside takes no pointer events.
  sel.edgeTargets = function (main, f) {
    var lines = f.outline ? linesOf(f.outline) : ringsOf(f.latlngs);
    var targets = [];
    if (f.centre) {  // a ring is also picked by its centre: a small dot there
      var dot = L.circleMarker(f.centre, { radius: 3.5, weight: 1.5, color: '#fff', fillColor: (f.style || {}).color || '#333',
        fillOpacity: 1, className: 'sitmap-ring-centre', bubblingMouseEvents: false });
      ['click', 'contextmenu', 'mouseover', 'mousemove', 'mouseout'].forEach(function (type) {
        dot.on(type, function (e) { main.fire(type, e); });
      });
      targets.push(dot);
    }
    return targets.concat(lines.map(function (ll) {
      var hit = L.polyline(ll, { opacity: 0, weight: sel.hitWeight, fill: false, className: 'sitmap-edge-hit',
        bubblingMouseEvents: false, renderer: main.options.renderer });  // (the canvas of many shapes)
      ['click', 'contextmenu', 'mouseover', 'mousemove', 'mouseout'].forEach(function (type) {
        hit.on(type, function (e) { main.fire(type, e); });
      });
      return hit;
    }));
  };

  function inside(pt, ring, map) {
    var c = false;
    var pts = ring.map(function (ll) { return map.latLngToContainerPoint(ll); });
    for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      var a = pts[i], b = pts[j];
      if (((a.y > pt.y) !== (b.y > pt.y)) && (pt.x < (b.x - a.x) * (pt.y - a.y) / (b.y - a.y) + a.x)) { c = !c; }
    }
    return c;
  }

  function pixelArea(ring, map) {
    var pts = ring.map(function (ll) { return map.latLngToContainerPoint(ll); }), s = 0;
    for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) { s += (pts[j].x + pts[i].x) * (pts[j].y - pts[i].y); }
    return Math.abs(s / 2);
  }

  // The smallest area or ring under a point (for Alt+click inside one).
  sel.polygonAt = function (latlng) {
    var app = S.app, map = app.map, pt = map.latLngToContainerPoint(latlng), best = null, bestArea = Infinity;
    Object.keys(app.wholeFeatures).forEach(function (id) {  // (no point is an area)
      var f = app.wholeFeatures[id];
      if (f.point || f.data.shape !== 'polygon' || !app.map.hasLayer(f.layer)) { return; }
      ringsOf(f.data.latlngs).forEach(function (ring) {
        if (inside(pt, ring, map)) {
          var a = pixelArea(ring, map);
          if (a < bestArea) { bestArea = a; best = id; }
        }
      });
    });
    return best;
  };

  sel.install = function () {
    var app = S.app, map = app.map;
    app.openPopup = null;
    map.on('popupopen', function (e) { app.openPopup = e.popup; });
    map.on('popupclose', function (e) { if (app.openPopup === e.popup) { app.openPopup = null; } });
    map.on('click', function (e) {
      if ((S.draw && S.draw.tool) || !e.originalEvent || !e.originalEvent.altKey) { return; }
      var id = sel.polygonAt(e.latlng);
      if (id) { app.select(id, false); app.send('featureClicked', id); }
    });
  };

  // Esc's first step: close a popup, or take away a found place. True when something was closed.
  sel.escapeTransient = function () {
    var app = S.app;
    if (app.openPopup) { app.map.closePopup(); app.openPopup = null; return true; }
    if (app.clearPlace && app.clearPlace()) { return true; }
    return false;
  };
})(window.SitMap);
