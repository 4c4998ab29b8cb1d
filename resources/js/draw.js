/* Drawing support: the page reports clicks and key presses to Python, which owns the
 * tools and the annotations, and shows the sketch Python sends back. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var draw = S.draw = { tool: null, sketch: null, sketchLabel: null };

  function app() { return S.app; }

  draw.setTool = function (name) {
    draw.tool = name || null;
    var c = app().map.getContainer();
    c.style.cursor = draw.tool ? 'crosshair' : '';
    // The ring tool takes press, drag, release for centre and radius: the map must not pan then.
    if (draw.tool === 'ring') { app().map.dragging.disable(); } else { app().map.dragging.enable(); }
    draw.pressAt = null;
    if (draw.tool) { app().map.doubleClickZoom.disable(); } else { app().map.doubleClickZoom.enable(); }
    draw.setSketch(null, null);
    return true;
  };

  // Which side of a point a label of about `width` pixels goes so that it stays inside the map
  // and off the legend (measurements were cut off at the map's edge).
  function labelDirection(latlng, width) {
    var map = app().map, p = map.latLngToContainerPoint(latlng), size = map.getSize();
    var legend = document.querySelector('.sitmap-legend');
    var right = size.x - p.x, left = p.x;
    if (legend && legend.offsetParent) {
      var r = legend.getBoundingClientRect(), c = map.getContainer().getBoundingClientRect();
      if (p.y >= r.top - c.top - 20 && p.y <= r.bottom - c.top + 20 && p.x < r.left - c.left) { right = r.left - c.left - p.x; }
    }
    if (p.y < 24) { return 'bottom'; }
    if (p.y > size.y - 24) { return 'top'; }
    return right >= width + 16 || right >= left ? 'right' : 'left';
  }
  draw.labelDirection = labelDirection;

  // A label that still sticks out of the map is moved back in by its overhang.
  function keepInside(tooltip) {
    var e = tooltip.getElement();
    if (!e) { return; }
    var r = e.getBoundingClientRect(), c = app().map.getContainer().getBoundingClientRect();
    var dx = r.left < c.left + 4 ? c.left + 4 - r.left : r.right > c.right - 4 ? c.right - 4 - r.right : 0;
    var dy = r.top < c.top + 4 ? c.top + 4 - r.top : r.bottom > c.bottom - 4 ? c.bottom - 4 - r.bottom : 0;
    // nor under the legend: moved above it (or beside it when that is nearer)
    var legend = document.querySelector('.sitmap-legend');
    if (legend && legend.offsetParent) {
      var g = legend.getBoundingClientRect();
      var l = { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
      if (l.left < g.right && l.right > g.left && l.top < g.bottom && l.bottom > g.top) {
        var up = g.top - 4 - l.bottom, down = g.bottom + 4 - l.top, left = g.left - 4 - l.right, right = g.right + 4 - l.left;
        var options = [[Math.abs(up), 0, up], [Math.abs(down), 0, down], [Math.abs(left), left, 0], [Math.abs(right), right, 0]]
          .filter(function (o) {
            return l.top + o[2] >= c.top && l.bottom + o[2] <= c.bottom && l.left + o[1] >= c.left && l.right + o[1] <= c.right;
          }).sort(function (a, b) { return a[0] - b[0]; });
        if (options.length) { dx += options[0][1]; dy += options[0][2]; }
      }
    }
    if (dx || dy) {
      var pos = L.DomUtil.getPosition(e);
      L.DomUtil.setPosition(e, pos.add([dx, dy]));
    }
  }

  // Each leg's distance and bearing at its middle (the measure tool's path).
  draw.setLegs = function (legs) {
    var map = app().map;
    if (draw.legLabels) { map.removeLayer(draw.legLabels); draw.legLabels = null; }
    if (!legs || !legs.length) { return true; }
    draw.legLabels = L.layerGroup().addTo(map);
    legs.forEach(function (leg, i) {
      var box = document.createElement('span');
      box.className = 'sitmap-label-text';
      box.textContent = String(leg[2]);
      var t = L.tooltip({ permanent: true, direction: 'center', className: 'sitmap-label sitmap-leg-label' })
        .setLatLng([leg[0], leg[1]]).setContent(box);
      t._sitmapLeg = { index: i, middle: L.latLng(leg[0], leg[1]) };
      draw.legLabels.addLayer(t);
    });
    keepMeasureInside();
    return true;
  };

  // Measure labels stay whole inside the map: a leg's label sits at the middle of the part of the
  // leg that is in view (nudged in from the edge and off the legend), and is not shown while none
  // of its leg is; the total is nudged in too. Again after every pan and zoom.
  var EDGE = 4;
  function keepMeasureInside() {
    var map = app().map;
    if (draw.legLabels) {
      var pts = draw.sketch ? draw.sketch.getLatLngs() : [];
      var size = map.getSize();
      var inner = L.bounds([EDGE, EDGE], [size.x - EDGE, size.y - EDGE]);
      draw.legLabels.eachLayer(function (t) {
        var leg = t._sitmapLeg, e = t.getElement();
        if (!leg || !e) { return; }
        var at = leg.middle;
        if (pts.length > leg.index + 1) {
          var a = map.latLngToContainerPoint(pts[leg.index]), b = map.latLngToContainerPoint(pts[leg.index + 1]);
          var seen = L.LineUtil.clipSegment(a, b, inner, false, true);
          e.style.display = seen ? '' : 'none';
          if (!seen) { return; }
          at = map.containerPointToLatLng(seen[0].add(seen[1]).divideBy(2));
        }
        t.setLatLng(at);  // back at its place: then moved in by what still sticks out
        keepInside(t);
      });
    }
    if (draw.sketchLabel && draw.sketchLabel.getElement()) {
      draw.sketchLabel.update();
      keepInside(draw.sketchLabel);
    }
  }
  draw.keepMeasureInside = keepMeasureInside;

  // A dashed preview of what is being drawn, with its label (distance, bearing) from Python.
  draw.setSketch = function (latlngs, text, closed) {
    var map = app().map;
    if (draw.sketch) { map.removeLayer(draw.sketch); draw.sketch = null; }
    if (draw.sketchLabel) { map.removeLayer(draw.sketchLabel); draw.sketchLabel = null; }
    if (!latlngs || !latlngs.length) { return true; }
    var style = { color: '#111', weight: 2, dashArray: '6 4', interactive: false, fill: !!closed, fillOpacity: 0.08 };
    draw.sketch = (closed ? L.polygon(latlngs, style) : L.polyline(latlngs, style)).addTo(map);
    if (text) {
      var box = document.createElement('span');
      box.className = 'sitmap-label-text';
      box.textContent = String(text);
      var end = latlngs[latlngs.length - 1];
      var dir = labelDirection(end, String(text).length * 7 + 16);
      draw.sketchLabel = L.tooltip({ permanent: true, direction: dir, offset: dir === 'left' ? [-12, 0] : dir === 'right' ? [12, 0] : [0, 0],
        className: 'sitmap-label sitmap-sketch-label' })
        .setLatLng(end).setContent(box).addTo(map);
      keepInside(draw.sketchLabel);
    }
    return true;
  };

  draw.install = function () {
    var map = app().map;
    // after the event is through: Leaflet puts its tooltips back on 'viewreset', after 'moveend'
    var due = false;
    map.on('moveend zoomend resize viewreset', function () {
      if (due || !(draw.legLabels || draw.sketchLabel)) { return; }
      due = true;
      Promise.resolve().then(function () { due = false; keepMeasureInside(); });
    });
    map.on('click', function (e) {
      if (draw.tool === 'ring') { return; }  // the ring tool works from press and release
      if (draw.tool) { app().send('mapClicked', e.latlng.lat, e.latlng.lng); }
    });
    // Ring: a press sets the centre (or, with the centre set, the radius: click-click works);
    // a release far enough from its press is a drag, and sets the radius there.
    map.on('mousedown', function (e) {
      if (draw.tool !== 'ring') { return; }
      draw.pressAt = e.latlng;
      app().send('mapClicked', e.latlng.lat, e.latlng.lng);
    });
    map.on('mouseup', function (e) {
      if (draw.tool !== 'ring' || !draw.pressAt) { return; }
      var a = map.latLngToContainerPoint(draw.pressAt), b = map.latLngToContainerPoint(e.latlng);
      draw.pressAt = null;
      if (a.distanceTo(b) > 5) { app().send('mapClicked', e.latlng.lat, e.latlng.lng); }
    });
    map.on('dblclick', function (e) {
      if (draw.tool) { app().send('mapDoubleClicked', e.latlng.lat, e.latlng.lng); }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && S.selection && S.selection.escapeTransient()) { return; }  // a popup first
      if (e.key === 'Escape' || e.key === 'Enter' || e.key === 'Delete' || e.key === 'Backspace') {
        app().send('keyPressed', e.key);
      }
    });
  };
})(window.SitMap);

/* Editing handles: Python shows them on the selected feature's own vertices (a point,
 * a ring's centre, a line's or an area's corners); dragging one reports where it went. */
(function (S) {
  'use strict';
  var draw = S.draw;
  draw.handles = null;

  function handleIcon() {
    var box = document.createElement('div');
    box.className = 'sitmap-handle';
    return L.divIcon({ html: box, className: 'sitmap-handle-icon', iconSize: [12, 12], iconAnchor: [6, 6] });
  }

  draw.showHandles = function (id, latlngs) {
    draw.clearHandles();
    if (!latlngs || !latlngs.length) { return true; }
    var map = S.app.map;
    draw.handles = L.layerGroup().addTo(map);
    // each vertex beside the one before it (a line across 180 is drawn so), all on the world copy
    // nearest the view's middle: a feature picked on a copy is edited there
    var prev = null, west = Infinity, east = -Infinity;
    latlngs = latlngs.map(function (ll) {
      var lng = ll[1] + (prev === null ? 0 : S.worldsToward(ll[1], prev));
      prev = lng;
      west = Math.min(west, lng);
      east = Math.max(east, lng);
      return [ll[0], lng];
    });
    var dx = S.worldsToward((west + east) / 2, map.getCenter().lng);
    latlngs = latlngs.map(function (ll) { return [ll[0], ll[1] + dx]; });
    latlngs.forEach(function (ll, index) {
      var h = L.marker(ll, { icon: handleIcon(), draggable: true, keyboard: false, zIndexOffset: 1000 });
      h.on('dragend', function () {
        var p = h.getLatLng();
        S.app.send('vertexMoved', id, index, p.lat, p.lng);
      });
      draw.handles.addLayer(h);
    });
    return true;
  };

  draw.clearHandles = function () {
    if (draw.handles) { S.app.map.removeLayer(draw.handles); draw.handles = null; }
    return true;
  };

  draw.handleCount = function () { return draw.handles ? draw.handles.getLayers().length : 0; };

  // Test and keyboard path: move handle `index` as a drag would.
  draw.dragHandle = function (index, lat, lng) {
    var h = draw.handles && draw.handles.getLayers()[index];
    if (!h) { return false; }
    h.setLatLng([lat, lng]);
    h.fire('dragend');
    return true;
  };
})(window.SitMap);
