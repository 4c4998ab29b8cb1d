/* Many point annotations (an imported or generated layer of thousands) as points of one
 * S.PointLayer (point_layer.js): how features map onto it. Each such point is a light handle in
 * app.features (its data, main and layer are the handle itself) that answers what the page asks
 * of a feature: its position, style (the selection's weight), popup, visibility, click and hover.
 * Loaded after point_layer.js, before sitmap.js, which draws through S.points. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var points = S.points = {};

  // Thousands of point annotations (an imported or generated layer): drawn as circles on one
  // shared canvas instead of a DOM marker with an SVG and a permanent label each, which stalls the
  // page from a few thousand on (every permanent label forces a layout). Their names show on hover;
  // click, popup, selection and removal work as for every other feature. The scenario's own markers
  // and the analyst's text labels keep their symbols.
  var MANY_MARKERS = 500;

  // What sitmap.js gives: label(text) the hover label's content, popup(data) a popup's content
  // (null: none), click(id, e) and contextmenu(id, e) what a feature does when clicked.
  points.hooks = { label: null, popup: null, click: null, contextmenu: null };

  points.many = function () {
    var app = S.app, p = app.payload;
    if (p._markerCount === undefined) {
      p._markerCount = (p.features || []).filter(function (f) { return f.shape === 'marker'; }).length;
    }
    return p._markerCount > MANY_MARKERS || app.markersDrawn > MANY_MARKERS;
  };

  points.plain = function (f) {
    return f.shape === 'marker' && f.group === 'annotations' && f.symbol === 'marker' && !f.uncertainty;
  };

  var cols = null, shared = [];  // the batch's point columns (sitmap.js unpackBatch), if any
  // By point index: the handle of each point the layer holds (undefined: a batch's point whose
  // handle is not made yet, see handleAt; null: taken out).
  var handles = [];
  var members = {};  // group name: its GroupMember (in app.groups[name])
  var multi = [];  // indices highlighted by a multiple selection

  points.layer = function () {
    var app = S.app;
    if (!app.pointLayer) {
      // (a page nobody zooms, a briefing's or an export's, paints no zoom ahead: point_ahead.js)
      var still = !!app.payload && app.payload.interactive === false;
      app.pointLayer = new S.PointLayer({ padding: 0.5, tolerance: 4, target: handleAt, aheadFrom: still ? Infinity : undefined });
    }
    return app.pointLayer;
  };

  // A point of the many is outlined in a darker shade of its own colour, not a lone marker's
  // near-black: tens of thousands of black rings packed together read as a black mass.
  function styleOf(f) {
    var st = f.style || {}, fill = st.color || '#333333';
    return points.layer().style({ radius: 5, color: points.shade(fill, 0.5), weight: st.weight || 2,
                                  fillColor: fill, fillOpacity: 0.9 });
  }

  // '#rrggbb' taken ``by`` of the way to black (another colour text: near-black).
  points.shade = function (colour, by) {
    var m = /^#([0-9a-f]{6})$/i.exec(String(colour));
    if (!m) { return '#1a1a1a'; }
    var v = parseInt(m[1], 16), out = '#';
    [16, 8, 0].forEach(function (sh) {
      var c = Math.round(((v >> sh) & 255) * (1 - by));
      out += (c < 16 ? '0' : '') + c.toString(16);
    });
    return out;
  };

  /* --- the handle of one point ---------------------------------------------------------------- */
  // src: the point's row in the batch's columns, or its whole feature (added one by one).
  function Point(i, id, src) { this._i = i; this.id = id; this._src = src; }
  var P = Point.prototype = Object.create(L.Evented.prototype);
  P.constructor = Point;
  P.point = true;

  // The feature as the page draws it (built when asked: no object per point before that).
  Object.defineProperty(P, 'data', { get: function () {
    if (typeof this._src !== 'number') { return this._src; }
    var j = this._src, ll = this._i >= 0 ? this.getLatLng() : L.latLng(cols.lat[j], cols.lng[j]);
    var f = { id: cols.id[j], name: cols.name[j], latlngs: [ll.lat, ll.lng] };
    var own = cols.label && cols.label[j];
    if (own !== undefined) { f.label = own; }
    var common = shared[cols.$[j]] || {};
    for (var k in common) { if (!(k in f)) { f[k] = common[k]; } }
    if (f.label === undefined) { f.label = f.name; }
    return f;
  } });
  Object.defineProperty(P, 'main', { get: function () { return this; } });
  Object.defineProperty(P, 'layer', { get: function () { return this; } });
  // Its circle's options (radius, weight, colours): what a circle marker's options say.
  Object.defineProperty(P, 'options', { get: function () { return points.layer().styleOf(this._i); } });

  P.label = function () {
    if (typeof this._src !== 'number') { return this._src.label; }
    var own = cols.label && cols.label[this._src];
    return own !== undefined ? own : cols.name[this._src];
  };
  P.getLatLng = function () { return points.layer().latLng(this._i); };
  P.setLatLng = function (ll) {
    ll = L.latLng(ll);
    points.layer().move(this._i, ll.lat, ll.lng);
    if (typeof this._src !== 'number') { this._src.latlngs = [ll.lat, ll.lng]; }
    return this;
  };
  P.setStyle = function (o) { points.layer().setStyle(this._i, o); return this; };
  P.bringToFront = function () { points.layer().toFront(this._i, true); return this; };
  P.bringToBack = function () { points.layer().toFront(this._i, false); return this; };
  P.shown = function () { return points.layer().shown(this._i); };
  P.setVisible = function (on) { points.layer().setHidden(this._i, !on); return this; };
  P.remove = function () {
    var layer = points.layer();
    if (layer._hoveredLayer === this) { hoverLabel(null, false); layer._hoveredLayer = null; layer._hoveredIndex = -1; }
    this.closePopup();
    layer.remove(this._i);
    var at = multi.indexOf(this._i);
    if (at >= 0) { multi.splice(at, 1); }
    handles[this._i] = null;
    points.handles.delete(this.id);
    return this;
  };

  // One popup for all points, filled with the point's own when it opens.
  var popup = null;
  P.getPopup = function () {
    if (!points.hooks.popup) { return null; }
    popup = popup || L.popup({ maxWidth: 320 });
    if (popup._sitmapPoint !== this) {
      popup._sitmapPoint = this;
      popup.setContent(points.hooks.popup(this.data));
      popup.setLatLng(this.getLatLng());
    }
    return popup;
  };
  P.openPopup = function (latlng) {
    var p = this.getPopup();
    if (p) { p.setLatLng(latlng || this.getLatLng()); S.app.map.openPopup(p); }
    return this;
  };
  P.closePopup = function () {
    if (popup && popup._sitmapPoint === this && S.app.map) { S.app.map.closePopup(popup); }
    return this;
  };
  P.isPopupOpen = function () { return !!popup && popup._sitmapPoint === this && popup.isOpen(); };

  // What a point answers: a click (its popup, then the feature's click), a right-click, and the
  // pointer coming over it (its name) and leaving.
  P.listens = function (type, propagate) {
    if (type === 'click' || type === 'contextmenu') { return true; }
    if ((type === 'mouseover' || type === 'mouseout') && this.label()) { return true; }
    return L.Evented.prototype.listens.call(this, type, propagate);
  };

  P.fire = function (type, data, propagate) {
    var e = L.extend({}, data, { type: type, target: this, sourceTarget: (data && data.sourceTarget) || this });
    if (!e.latlng) { e.latlng = this.getLatLng(); }
    var h = points.hooks;
    if (type === 'click') {
      if (h.popup) {
        L.DomEvent.stop(e);
        this.openPopup(e.latlng);
      }
      if (h.click) { h.click(this.id, e); }
    } else if (type === 'contextmenu') {
      if (h.contextmenu) { h.contextmenu(this.id, e); }
    } else if (type === 'mouseover' && this.label()) {
      var self = this;
      hoverLabel(this, true, function () { return h.label(self.label()); });
    } else if (type === 'mouseout') {
      hoverLabel(this, false);
    }
    return L.Evented.prototype.fire.call(this, type, data, propagate);
  };

  // The name of the point under the pointer: one element for all points. Not a Leaflet tooltip,
  // whose opening adds a layer to the map, and every added layer rebuilds the legend.
  function hoverLabel(pt, on, content) {
    var app = S.app, box = app.pointLabel;
    if (!box) {
      if (!on) { return; }
      box = app.pointLabel = document.createElement('div');
      box.className = 'leaflet-tooltip sitmap-label sitmap-point-label';
      box.style.pointerEvents = 'none';
      app.map.getPanes().tooltipPane.appendChild(box);
      app.map.on('zoomstart movestart', function () { box.style.display = 'none'; });
    }
    if (!on) { box.style.display = 'none'; return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    // Half the label's height up (a long name's lines too), without reading it back (that would
    // force a layout of the page): its lines moved up by half their own height.
    var lines = document.createElement('div');
    lines.style.transform = 'translateY(-50%)';
    lines.appendChild(content());
    box.appendChild(lines);
    box.style.display = '';
    L.DomUtil.setPosition(box, app.map.latLngToLayerPoint(pt.getLatLng()).add([8, 0]));
  }

  /* --- features onto the layer ------------------------------------------------------------------ */
  // The layer on the map and each group's share of it in its group (app.groups, else the map).
  points.join = function () {
    var app = S.app, layer = app.pointLayer;
    if (!app.map || !layer) { return; }
    if (!layer._map) { layer.addTo(app.map); }
    layer._groups.forEach(function (name) {
      if (members[name]) { return; }
      members[name] = new S.PointLayer.GroupMember(layer, name);
      (app.groups[name] || app.map).addLayer(members[name]);
    });
  };

  // One plain point (the start-up features of a small map, an edit, an undo): its handle.
  points.add = function (f) {
    var layer = points.layer();
    var i = layer.add(f.latlngs[0], f.latlngs[1], styleOf(f), layer.group(f.group));
    var h = handles[i] = new Point(i, f.id, f);
    points.join();
    return h;
  };

  /* --- the handles by id (app.features' points: sitmap.js) ------------------------------------ */
  // A handle made (a point added one by one, or a batch's point once asked for) is kept by its id.
  // A batch's point gets its handle when first asked for, by its id or by the layer's hit test:
  // a million points made a handle and a map entry each as they loaded (half a second of the
  // page's start). Their ids are looked up by a map of the batch's rows made when first needed,
  // or a slice at a time while the page is idle once the map is up.
  var byId = new Map();  // id: handle made
  var gone = new Set();  // the batch's ids taken out (or drawn otherwise) since it loaded
  var rowOfPoint = null, pointOfRow = null;  // point index -> batch row, and back (-1: none)
  // The batch's id -> row, in maps of up to ROWS_A_MAP rows each (one map of a million grew in
  // steps the page could not answer anything during, the last a third of a second), and how
  // many rows they hold so far.
  var rowsById = [], indexed = 0, ROWS_A_MAP = 32768;

  function handleAt(i) {
    var h = handles[i];
    if (h !== undefined) { return h; }
    if (!rowOfPoint || i < 0 || i >= rowOfPoint.length || rowOfPoint[i] < 0) { return null; }
    var j = rowOfPoint[i];
    h = handles[i] = new Point(i, cols.id[j], j);
    byId.set(h.id, h);
    return h;
  }

  // Up to ``count`` more of the batch's rows indexed by id (on the layer, not taken out): true once all are.
  function indexRows(count) {
    if (!pointOfRow) { return true; }
    var ids = cols.id, n = pointOfRow.length, end = Math.min(n, indexed + count);
    for (; indexed < end; indexed++) {
      if (indexed % ROWS_A_MAP === 0) { rowsById.push(new Map()); }
      if (pointOfRow[indexed] >= 0) { rowsById[rowsById.length - 1].set(ids[indexed], indexed); }
    }
    return indexed >= n;
  }

  function rowOf(id) {
    for (var k = 0; k < rowsById.length; k++) { var j = rowsById[k].get(id); if (j !== undefined) { return j; } }
    return -1;
  }

  // The point index of the batch's point ``id`` still on the layer, whose handle is not made (-1: none).
  function batchIndex(id) {
    if (!pointOfRow || typeof id !== 'string' || gone.has(id)) { return -1; }
    indexRows(Infinity);
    var j = rowOf(id), i = j < 0 ? -1 : pointOfRow[j];
    return i >= 0 && handles[i] === undefined ? i : -1;
  }

  points.handles = {
    get: function (id) {
      var h = byId.get(id);
      if (h !== undefined) { return h; }
      var i = batchIndex(id);
      return i >= 0 ? handleAt(i) : undefined;
    },
    has: function (id) { return byId.has(id) || batchIndex(id) >= 0; },  // (without making its handle)
    made: function (id) { return byId.has(id); },  // (without looking among the batch's points)
    set: function (id, h) { byId.set(id, h); },
    delete: function (id) { byId.delete(id); if (pointOfRow) { gone.add(id); } },
    keys: function () {
      var out = Array.from(byId.keys());
      if (pointOfRow) {
        for (var j = 0; j < pointOfRow.length; j++) {
          var i = pointOfRow[j];
          if (i >= 0 && handles[i] === undefined && !gone.has(cols.id[j])) { out.push(cols.id[j]); }
        }
      }
      return out;
    },
    get size() { return points.handles.keys().length; },
    // The batch's ids indexed a few thousand at a time while the page has nothing else to do (a
    // lookup meanwhile does the rest at once).
    indexWhenIdle: function () {
      if (!pointOfRow || indexed >= pointOfRow.length) { return; }
      var later = window.requestIdleCallback || function (f) { return setTimeout(function () { f(null); }, 50); };
      later(function step(idle) {
        do {
          if (indexRows(4000)) { return; }
        } while (idle && idle.timeRemaining() > 2);
        later(step);
      });
    }
  };

  // The batch's point columns ({id, name, label, lat, lng, $} and the shared entries): the plain
  // ones of a map with many markers go into the layer, each with its handle in app.features; the
  // others come back as whole features for sitmap.js to draw. wholeMarkers: the batch's other markers.
  points.load = function (batch, wholeMarkers) {
    var app = S.app, c = batch.columns, n = c.id.length, rest = [];
    cols = c;
    shared = batch.shared || [];
    app.payload._markerCount = wholeMarkers + n;
    var many = points.many(), layer = points.layer();
    var plainOf = shared.map(function (s) { return many && points.plain(s); });
    var styles = shared.map(function (s, k) { return plainOf[k] ? styleOf(s) : -1; });
    var groups = shared.map(function (s, k) { return plainOf[k] ? layer.group(s.group) : -1; });
    layer.reserve(n);
    pointOfRow = new Int32Array(n);
    var i = -1;
    for (var j = 0; j < n; j++) {
      var s = c.$[j];
      if (!plainOf[s]) {
        rest.push(new Point(-1, c.id[j], j).data);
        pointOfRow[j] = -1;
        continue;
      }
      i = layer.add(c.lat[j], c.lng[j], styles[s], groups[s]);
      pointOfRow[j] = i;  // (its handle is made when first asked for: handleAt)
    }
    rowOfPoint = new Int32Array(i + 1).fill(-1);
    for (j = 0; j < n; j++) { if (pointOfRow[j] >= 0) { rowOfPoint[pointOfRow[j]] = j; } }
    return rest;
  };

  // The bounds of the points shown (null: none), for Zoom to Scenario.
  points.bounds = function () { return S.app.pointLayer ? S.app.pointLayer.bounds() : null; };

  // A multiple selection (Shift+click): these ids' points drawn heavier, the others as they were.
  points.setMulti = function (ids) {
    var app = S.app, layer = app.pointLayer;
    if (!layer) { return; }
    var want = [];
    ids.forEach(function (id) { var h = app.features[id]; if (h && h.point) { want.push(h._i); } });
    multi.concat(want).forEach(function (i) {
      var h = handleAt(i);
      if (!h || h.id === app.selected) { return; }
      var base = (h.data.style || {}).weight || 2;
      h.setStyle({ weight: base + (want.indexOf(i) >= 0 ? 2.5 : 0) });
    });
    multi = want;
  };
})(window.SitMap);
