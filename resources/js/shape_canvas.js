/* Thousands of lines and areas (an imported or generated layer) on one shared canvas, which
 * draws each shape on the neighbouring world copies itself instead of holding two more Leaflet
 * layers for them, and which is not redrawn by a pan that stays inside what it already shows.
 * A shape's vertices are projected only when it reaches the canvas.
 * A whole redraw paints the view first and the margin beyond it when the page is idle; a shape's
 * style is set on the canvas only where it differs from the shape drawn before it.
 * S.shapeCanvas.Polyline and .Polygon are the shapes that go on it: never clipped to the
 * canvas (its copies lie outside it), picked on any copy, an area by its edge only (inside it,
 * Alt+click picks it: selection.js), their popup and hover name bound when first asked for.
 * Loaded after Leaflet, point_layer.js and shape_steps.js, before sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  // Width of the world in layer pixels at the map's zoom (EPSG:3857: the scale itself).
  function worldPx(map) { return map.options.crs.scale(map.getZoom()); }

  // Whether bounds b, moved dx pixels along x, meets bounds a.
  function meets(b, dx, a) {
    return b.min.x + dx <= a.max.x && b.max.x + dx >= a.min.x && b.min.y <= a.max.y && b.max.y >= a.min.y;
  }

  var SHIFTS = [0, -1, 1];  // the world itself, the one to the west, the one to the east
  var steps = S.shapeSteps, boxOf = steps.boxOf, toBounds = steps.toBounds;  // (shape_steps.js)

  var ShapeCanvas = L.Canvas.extend({
    // paced(): whether a whole redraw may paint its view over several frames (the page's say: a
    // page ready and shown to a user), with pacedFrom shapes or more; viewStepMs: a slice's time.
    options: { paced: null, pacedFrom: 20000, viewStepMs: 40 },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._shapes = new Set();
      this._recordShare = 0.15;  // of a paced slice's time, what recording its shapes takes (see _paintView)
    },

    // The canvas is drawn a margin beyond the view and moves with the map: a pan that stays
    // inside what it already shows needs no redraw (Leaflet's would re-clip every shape).
    getEvents: S.keptCanvasEvents,
    _moveEnd: function () {
      if (this._projectedFor !== this._viewKey()) {
        // a new zoom or pixel origin (a jump: Leaflet resets the view after this): places first
        this._projectAll();
      } else if (S.canvasShowsView(this)) {
        if (this._viewDue && !this._paintingView()) {
          // moved while a paced view was being painted: painted anew (paced) for the view now,
          // rather than that view and the margin finished at once
          this._redrawBounds = null;
          this._redraw();
        } else if (!this._viewDue) {
          this._marginInView();  // (the view may reach into it now)
        }
        return;
      }
      this._update();
    },
    _update: function () {
      this._keepOnLeave();
      if (!(this._map._animatingZoom && this._bounds)) { this._marginDue = this._viewDue = null; }  // (the canvas is cleared)
      L.Canvas.prototype._update.call(this);
      if (this._map) {
        this._updatedFor = this._map._animatingZoom ? null : this._viewKey();
        // shapes added since are placed by Leaflet for the view they join; a view changes
        // through a zoom or a reset, which place them all again (_projectAll)
        if (this._projectedFor === undefined) { this._projectedFor = this._updatedFor; }
      }
    },

    // A new view: only the shapes that reach the canvas (or have a copy that does) are clipped
    // and simplified; the others just hold nothing to draw (a zoomed-in view of 100,000 shapes
    // shows a few thousand). The shapes are walked in a set of their own: a walk over Leaflet's
    // object of 100,000 keys takes the page far longer.
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      var b = this._bounds, w = worldPx(this._map);
      this._redrawBounds = null;
      this._shapes.forEach(function (layer) {
        var pb = layer._pxBounds;
        if (layer._sitmapOnCopies && (!pb || !(meets(pb, 0, b) || meets(pb, -w, b) || meets(pb, w, b)))) {
          if (!layer._parts || layer._parts.length) { layer._parts = []; }
        } else {
          layer._update();
        }
      });
      this._redraw();
    },
    _initPath: function (layer) {
      L.Canvas.prototype._initPath.call(this, layer);
      this._shapes.add(layer);
      this._changed(layer);
    },
    _removePath: function (layer) {
      L.Canvas.prototype._removePath.call(this, layer);
      this._shapes.delete(layer);
      this._changed(layer);
    },
    _onZoomEnd: function () {
      if (this._projectedFor === this._viewKey()) { return; }  // (the view reset has just done it)
      this._projectAll();
    },
    _viewKey: function () {
      var map = this._map, o = map.getPixelOrigin();
      return map.getZoom() + '/' + o.x + '/' + o.y;
    },
    _projectAll: function () {
      this._shapes.forEach(function (layer) { layer._project(); });
      this._projectedFor = this._viewKey();
    },
    // A view reset (a jump farther than the window, a zoom without animation): every shape's
    // place anew, then one update of the shapes that reach the canvas (Leaflet's would project,
    // clip and simplify every shape).
    _reset: function () {
      // (Leaflet resets the view after its zoomend and moveend: what they did for this view is
      // not done again.)
      var key = this._viewKey();
      if (this._projectedFor !== key) { this._projectAll(); }
      if (this._updatedFor !== key) { this._update(); }
      this._updateTransform(this._center, this._zoom);
      if (this._postponeUpdatePaths) {
        this._postponeUpdatePaths = false;
        this._updatePaths();
      }
    },

    // A shape's copies on the canvas are redrawn with it. (The bounds grow in place: a
    // layer of 100,000 shapes added at once made two points a shape for them.)
    _extendRedrawBounds: function (layer) {
      var pb = layer._pxBounds, area = this._bounds;
      if (!pb || !this._map || this._wholeDue) { return; }  // (a whole redraw is due: nothing narrows it)
      var w = worldPx(this._map), pad = (layer.options.weight || 0) + 1;
      for (var k = 0; k < SHIFTS.length; k++) {
        var dx = SHIFTS[k] * w;
        if (k && !(area && meets(pb, dx, area))) { continue; }
        var x0 = pb.min.x + dx - pad, y0 = pb.min.y - pad, x1 = pb.max.x + dx + pad, y1 = pb.max.y + pad;
        var rb = this._redrawBounds;
        if (!rb) {
          this._redrawBounds = L.bounds(L.point(x0, y0), L.point(x1, y1));
        } else {
          if (x0 < rb.min.x) { rb.min.x = x0; }
          if (y0 < rb.min.y) { rb.min.y = y0; }
          if (x1 > rb.max.x) { rb.max.x = x1; }
          if (y1 > rb.max.y) { rb.max.y = y1; }
        }
      }
    },

    // While many shapes join in several calls (an import, a few thousand a call), no redraw is
    // asked for each call's (each would repaint most of the map): one whole redraw after the
    // last (or a second after the latest call, should the last not come; ms: another time).
    hold: function (on, ms) {
      var self = this;
      clearTimeout(this._holdTimer);
      this._held = !!on;
      if (on) {
        this._holdTimer = setTimeout(function () { self.hold(false); }, ms || 1000);
        return;
      }
      if (this._heldAsked && this._map) {
        this._wholeDue = true;  // (until it is drawn, a shape asking for its box does not narrow it)
        this._redrawBounds = null;
        this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
      }
      this._heldAsked = false;
    },

    _requestRedraw: function (layer) {
      this._changed(layer, this._changing);  // (every change to a shape, its style, place or order asks for one)
      if (!this._held) { return L.Canvas.prototype._requestRedraw.call(this, layer); }
      this._heldAsked = true;
    },

    /* --- whole pictures kept for a way back ----------------------------------------------- */
    // A canvas of many shapes keeps its last few whole pictures (the view and the margin painted),
    // each with the place it shows and the version of the shapes it shows: a pan away and back, or
    // a zoom in and out, puts one back instead of painting thousands of shapes again (seconds at
    // 100,000), and paints anew only where shapes changed since (a selection). The last changes
    // are kept for that: the area of each shape changed (null: of one without bounds).
    _changed: function (layer, was) {
      var v = this._version = (this._version || 0) + 1;
      if (!this._kept || !this._kept.length) {  // (no picture to bring up to date: the log starts after this)
        if (this._changes && this._changes.length) { this._changes = []; }
        this._logFrom = v + 1;
        return;
      }
      var log = this._changes || (this._changes = []), b = layer && layer.getBounds && layer.getBounds();
      log.push([v, b && b.isValid() ? L.latLngBounds(b.getSouthWest(), b.getNorthEast()) : null]);
      if (was) { log.push([v, was]); }
      while (log.length > CHANGES_KEPT) { this._logFrom = log.shift()[0] + 1; }  // (complete from there on)
    },
    // A shape redrawn where it is now (new vertices): where it was is an area changed too.
    _updatePath: function (layer) {
      var pb = layer._pxBounds, map = this._map;
      var was = pb && map ? L.latLngBounds(map.layerPointToLatLng(pb.min), map.layerPointToLatLng(pb.max)) : null;
      this._changing = was;
      layer._sitmapUnitRings = null;  // (its vertices may have changed)
      try {
        L.Canvas.prototype._updatePath.call(this, layer);
      } finally {
        this._changing = null;
      }
    },
    // The areas changed since version v (null: not all known, or too many).
    _changesSince: function (v) {
      var log = this._changes || [], out = [];
      if (v >= (this._version || 0)) { return out; }
      if (v + 1 < (this._logFrom || 1)) { return null; }  // (some of them are no longer known)
      for (var k = 0; k < log.length; k++) {
        if (log[k][0] <= v) { continue; }
        if (!log[k][1]) { return null; }
        out.push(log[k][1]);
      }
      return out;
    },
    // Where the canvas is: its zoom, its corner in the map's own pixels, its size in its pixels.
    _place: function () {
      var map = this._map, o = map.getPixelOrigin(), b = this._bounds, c = this._container;
      return { zoom: map.getZoom(), x: b.min.x + o.x, y: b.min.y + o.y, w: c.width, h: c.height };
    },
    // The whole picture the canvas holds (of the place its last whole redraw was for), kept.
    _keep: function () {
      var place = this._drawnPlace;
      if (this._shapes.size < VIEW_FIRST || !this._map || !place) { return; }
      var c = this._container, key = placeKey(place), v = this._version || 0;
      var slot = S.pointPaint.slotFor(this._kept || (this._kept = []), key, KEPT,
                                      function () { return { canvas: document.createElement('canvas') }; });
      if (slot.canvas.width !== c.width || slot.canvas.height !== c.height) {
        slot.canvas.width = c.width;
        slot.canvas.height = c.height;
      } else {
        slot.canvas.getContext('2d').clearRect(0, 0, c.width, c.height);
      }
      slot.canvas.getContext('2d').drawImage(c, 0, 0);
      slot.key = key;
      slot.place = place;
      slot.version = v;
      slot.used = this._uses = (this._uses || 0) + 1;
    },
    // Before the canvas moves on: the picture it holds kept, if it is whole and up to date (no
    // margin still to paint, no change waiting for its redraw) and not kept as it is already.
    _keepOnLeave: function () {
      var place = this._drawnPlace, v = this._version || 0;
      if (!place || this._marginDue || this._viewDue || this._redrawRequest || this._held || this._shapes.size < VIEW_FIRST) { return; }
      var key = placeKey(place);
      if ((this._kept || []).some(function (k) { return k.key === key && k.version === v; })) { return; }
      this._keep();
    },

    // A kept picture put on the (cleared) canvas: of this place, or of one a little off at this
    // zoom whose picture covers the view (a pan back that a popup's own pan has moved): what it
    // does not cover is painted as the margin is, while the page is idle. The areas of the shapes
    // changed since it was kept are painted anew (each by itself, on each world copy in reach);
    // a whole picture is then kept again as it is now.
    _putKept: function () {
      if (!this._kept || this._shapes.size < VIEW_FIRST || this._map._animatingZoom) { return false; }
      var here = this._place(), b = this._bounds, view = this._viewRect(), m = here.w / Math.max(1, b.getSize().x);
      if (!view) { return false; }
      var best = null, bestOff = Infinity, self = this;
      this._kept.forEach(function (k) {
        var p = k.place;
        if (!p || p.zoom !== here.zoom || p.w !== here.w || p.h !== here.h || !self._changesSince(k.version)) { return; }
        var dx = p.x - here.x, dy = p.y - here.y, w = here.w / m, h = here.h / m;  // (its corner on this canvas)
        var covers = b.min.x + dx <= view[0] && b.min.y + dy <= view[1] && b.min.x + dx + w >= view[2] && b.min.y + dy + h >= view[3];
        if (covers && Math.abs(dx) + Math.abs(dy) < bestOff) { best = { slot: k, dx: dx, dy: dy }; bestOff = Math.abs(dx) + Math.abs(dy); }
      });
      if (!best) { return false; }
      var slot = best.slot, changed = this._changesSince(slot.version), ctx = this._ctx;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(slot.canvas, Math.round(best.dx * m), Math.round(best.dy * m));
      ctx.restore();
      slot.used = this._uses = (this._uses || 0) + 1;
      this._puts = (this._puts || 0) + 1;
      var box = boxOf(b), rest = S.pointPaint.outside(box, [box[0] + best.dx, box[1] + best.dy, box[2] + best.dx, box[3] + best.dy]);
      rest = best.dx || best.dy ? rest.map(toBounds) : [];
      if (rest.length) { this._marginLater(rest); }
      var map = this._map, w = worldPx(map), area = this._bounds;
      changed.forEach(function (c) {
        var p = map.latLngToLayerPoint(c.getNorthWest()), q = map.latLngToLayerPoint(c.getSouthEast());
        var cb = L.bounds(L.point(p.x - CHANGE_PAD, p.y - CHANGE_PAD), L.point(q.x + CHANGE_PAD, q.y + CHANGE_PAD));
        for (var k = 0; k < SHIFTS.length; k++) {
          var dx = SHIFTS[k] * w;
          if (!meets(cb, dx, area)) { continue; }
          self._redrawBounds = L.bounds(L.point(cb.min.x + dx, cb.min.y), L.point(cb.max.x + dx, cb.max.y));
          L.Canvas.prototype._redraw.call(self);
        }
      });
      this._redrawBounds = null;
      if (!rest.length && changed.length) { this._keep(); }
      return true;
    },

    // A redraw now makes one already asked for (next frame) needless: Leaflet's would still come,
    // and after a zoom or a jump its redraw of the whole canvas came twice.
    _redraw: function () {
      if (this._redrawRequest) { L.Util.cancelAnimFrame(this._redrawRequest); }
      if (this._wholeDue) { this._redrawBounds = null; }
      this._wholeDue = false;
      // a part redrawn over a view still being painted: the view finished first (else the shapes
      // still to paint there would be painted twice)
      if (this._redrawBounds) { this.finishView(); }
      L.Canvas.prototype._redraw.call(this);
    },

    // A whole redraw of a canvas of many shapes paints what the view shows first, then the margin
    // beyond it (three times as many pixels, there so that a pan needs no redraw) a few
    // milliseconds at a time while the page is idle: a zoom step onto 100,000 shapes shows its
    // frame without first rasterising the shapes out of sight. Anything redrawn meanwhile (a
    // selection) has the margin cleared and painted again from its first shape, so no shape
    // there is painted twice; a move that needs the margin finishes it first. Paced (a page a
    // user moves, options.pacedFrom shapes or more), the view itself is painted a slice a frame, the
    // lowest shapes first: the page answers between slices, and a move or zoom meanwhile drops
    // what is left of it.
    _draw: function () {
      var clip = this._redrawBounds;
      if (!this._map || !(clip || this._bounds)) { return; }
      if (clip) {
        if (this._marginDue) { this._marginDue.at = null; }
        this._paint([clip]);
        return;
      }
      this._marginDue = this._viewDue = null;
      this._drawnPlace = this._place();
      if (this._putKept()) { return; }
      var view = this._viewFirst !== false && this._shapes.size >= VIEW_FIRST && !this._map._animatingZoom && this._viewRect();
      var margin = view ? S.pointPaint.outside(boxOf(this._bounds), view).map(toBounds) : [];
      if (!margin.length) {
        this._paint(null);
        this._keep();
        return;
      }
      var rects = [toBounds(view)];
      if (this._paced()) {
        this._viewDue = { rects: rects, at: null };  // (from the first shape)
        this._paintView(this.options.viewStepMs);
      } else {
        this._paint(rects);
      }
      this._marginLater(margin);
    },

    // Every shape that reaches the rectangles (L.Bounds; null: the whole canvas) on each world
    // copy that reaches them, clipped to them, from the shape of ``from`` (else the first) on;
    // with ``until`` (a performance.now() time), only until then: gives where it stopped (null:
    // at the end).
    _paint: function (rects, from, until) {
      var ctx = this._ctx, areas = rects || [this._bounds], one = areas.length === 1 ? areas[0] : null;
      var w = worldPx(this._map), order = from || this._drawFirst, n = 0, all = this._bounds;
      ctx.save();
      if (rects) {
        ctx.beginPath();
        rects.forEach(function (r) { var z = r.getSize(); ctx.rect(r.min.x, r.min.y, z.x, z.y); });
        ctx.clip();
      }
      this._drawing = true;
      var pen = {};  // what the context was last set to in this draw
      for (; order; order = order.next) {
        if (until && (++n & 31) === 0 && performance.now() > until) { break; }
        var layer = order.layer, pb = layer._pxBounds;
        if (!pb) { continue; }
        for (var k = 0; k < SHIFTS.length; k++) {
          var dx = SHIFTS[k] * w;
          if (one ? !meets(pb, dx, one) : !(meets(pb, dx, all) && meetsAny(pb, dx, areas))) { continue; }
          if (dx) { ctx.translate(dx, 0); }
          if (layer._sitmapOnCopies) {
            paint(ctx, layer, pen);
          } else {
            layer._updatePath();  // (a selection's edge targets: Leaflet's own drawing)
            pen = {};
          }
          if (dx) { ctx.translate(-dx, 0); }
        }
      }
      this._drawing = false;
      ctx.restore();
      return order;
    },

    // A dash pattern's parts, parsed once per pattern (Leaflet parses each shape's own).
    _updateDashArray: function (layer) {
      var d = layer.options.dashArray;
      if (typeof d !== 'string') { L.Canvas.prototype._updateDashArray.call(this, layer); return; }
      if (!(d in DASHES)) {
        L.Canvas.prototype._updateDashArray.call(this, layer);
        DASHES[d] = layer.options._dashArray || null;
      } else if (DASHES[d]) {
        layer.options._dashArray = DASHES[d];
      }
    }
  });

  ShapeCanvas.include(steps.methods);  // (its whole redraw painted in steps: shape_steps.js)

  var DASHES = {}, SOLID = [];

  var VIEW_FIRST = 1000;  // shapes: from this many on, a whole redraw paints the view first
  var KEPT = 3;  // whole pictures kept by a canvas of many shapes (from VIEW_FIRST on)
  var CHANGES_KEPT = 64;  // changes remembered to bring a kept picture up to date (more: painted anew)
  var CHANGE_PAD = 16;  // pixels around a changed shape's bounds painted anew (its widest outline)

  function placeKey(p) { return [p.zoom, p.x, p.y, p.w, p.h].join('|'); }
  function meetsAny(pb, dx, areas) {
    for (var i = 0; i < areas.length; i++) { if (meets(pb, dx, areas[i])) { return true; } }
    return false;
  }

  // A shape's path filled and stroked as Leaflet's canvas does (_updatePoly, _fillStroke), but
  // setting a colour, width or dash pattern only where it differs from the shape drawn before:
  // the shapes of a large layer share a few styles, and setting each anew took a third of a draw.
  function paint(ctx, layer, pen) {
    var parts = layer._parts, n = parts.length, closed = layer._sitmapClosed, o = layer.options;
    if (!n) { return; }
    ctx.beginPath();
    for (var i = 0; i < n; i++) {
      var part = parts[i], m = part.length;
      if (!m) { continue; }
      ctx.moveTo(part[0].x, part[0].y);
      for (var j = 1; j < m; j++) { ctx.lineTo(part[j].x, part[j].y); }
      if (closed) { ctx.closePath(); }
    }
    if (o.fill) {
      var fill = o.fillColor || o.color;
      if (pen.alpha !== o.fillOpacity) { ctx.globalAlpha = pen.alpha = o.fillOpacity; }
      if (pen.fill !== fill) { ctx.fillStyle = pen.fill = fill; }
      ctx.fill(o.fillRule || 'evenodd');
    }
    if (o.stroke && o.weight !== 0) {
      var dash = o._dashArray || SOLID;
      if (pen.dash !== dash) { ctx.setLineDash(dash); pen.dash = dash; }
      if (pen.alpha !== o.opacity) { ctx.globalAlpha = pen.alpha = o.opacity; }
      if (pen.width !== o.weight) { ctx.lineWidth = pen.width = o.weight; }
      if (pen.stroke !== o.color) { ctx.strokeStyle = pen.stroke = o.color; }
      if (pen.cap !== o.lineCap) { ctx.lineCap = pen.cap = o.lineCap; }
      if (pen.join !== o.lineJoin) { ctx.lineJoin = pen.join = o.lineJoin; }
      ctx.stroke();
    }
  }

  // What the pointer and keyboard fire at a shape (and what asks for its popup or hover name).
  var INTERACTION = { click: 1, dblclick: 1, contextmenu: 1, preclick: 1, mouseover: 1, mouseout: 1, mousemove: 1,
                      mousedown: 1, mouseup: 1, keypress: 1, keydown: 1, keyup: 1 };
  function touches(types) {
    if (typeof types === 'string' && types.indexOf(' ') < 0) { return types in INTERACTION; }  // (most: 'add')
    if (typeof types === 'object') { return Object.keys(types).some(function (t) { return t in INTERACTION; }); }
    return String(types).split(/\s+/).some(function (t) { return t in INTERACTION; });
  }

  // A shape of many gets its popup, hover name and handlers (shape.sitmapBind, set by its maker)
  // when first asked for any of them: binding them to each of 100,000 shapes up front took half
  // a second of the page's start, for the few the pointer ever reaches. Until then it is as if
  // they were bound: whatever reads, opens or adds to them binds them first, in the same order.
  function bound(name, when) {
    return function () {
      if (this.sitmapBind && (!when || when(arguments[0]))) {
        var bind = this.sitmapBind;
        this.sitmapBind = null;
        bind(this);
      }
      return L.Polyline.prototype[name].apply(this, arguments);
    };
  }
  var LAZY = {};
  ['bindPopup', 'unbindPopup', 'getPopup', 'openPopup', 'closePopup', 'togglePopup', 'isPopupOpen', 'setPopupContent',
   'bindTooltip', 'unbindTooltip', 'getTooltip', 'openTooltip', 'closeTooltip', 'toggleTooltip', 'isTooltipOpen',
   'setTooltipContent'].forEach(function (name) { LAZY[name] = bound(name); });
  ['listens', 'fire', 'on', 'once', 'off'].forEach(function (name) {
    LAZY[name] = bound(name, function (types) { return types === undefined || touches(types); });
  });

  // A shape's north-west and south-east corners on the unit square (x, y each: the CRS's
  // transformation of its projection before the zoom's scale, computed as Leaflet computes it),
  // kept while its bounds stay the same.
  function unitCorners(layer, map, b) {
    var n = b.getNorth(), w = b.getWest(), so = b.getSouth(), e = b.getEast(), k = layer._sitmapUnit;
    if (k && k[4] === n && k[5] === w && k[6] === so && k[7] === e) { return k; }
    k = layer._sitmapUnit = [0, 0, 0, 0, n, w, so, e];
    unitXY(map.options.crs, n, w, k, 0);
    unitXY(map.options.crs, so, e, k, 2);
    return k;
  }

  // (lat, lng) projected by the CRS to the unit square (its transformation before the zoom's
  // scale), into out[i] and out[i + 1]: Spherical Mercator's own formula, as Leaflet's project()
  // computes it, written out (no LatLng or Point made for each of 100,000 shapes' vertices); any
  // other projection through its project().
  var MERCATOR = L.Projection.SphericalMercator, RAD = Math.PI / 180;
  function unitXY(crs, lat, lng, out, i) {
    var t = crs.transformation, proj = crs.projection, x, y;
    if (proj === MERCATOR) {
      var max = MERCATOR.MAX_LATITUDE, sin = Math.sin(Math.max(Math.min(max, lat), -max) * RAD);
      x = MERCATOR.R * lng * RAD;
      y = MERCATOR.R * Math.log((1 + sin) / (1 - sin)) / 2;
    } else {
      var p = proj.project(L.latLng(lat, lng));
      x = p.x;
      y = p.y;
    }
    out[i] = t._a * x + t._b;
    out[i + 1] = t._c * y + t._d;
  }

  // A shape's vertices on the unit square, each ring as [x, y, x, y, ...] (projected once, kept
  // until its vertices change: a new list of them, or the renderer's _updatePath, drops them).
  function unitRings(layer, map) {
    if (layer._sitmapUnitRings && layer._sitmapUnitOf === layer._latlngs) { return layer._sitmapUnitRings; }
    var crs = map.options.crs, out = [];
    (function walk(lls) {
      if (!lls.length || !(lls[0] instanceof L.LatLng)) { lls.forEach(walk); return; }
      var a = new Float64Array(2 * lls.length);
      for (var i = 0; i < lls.length; i++) { unitXY(crs, lls[i].lat, lls[i].lng, a, 2 * i); }
      out.push(a);
    })(layer._latlngs);
    layer._sitmapUnitRings = out;
    layer._sitmapUnitOf = layer._latlngs;  // (new vertices are a new list: setLatLngs)
    return out;
  }

  // Its rings in layer pixels at the map's zoom, as Leaflet's latLngToLayerPoint places each
  // vertex (scaled, rounded, less the pixel origin): a new zoom or pixel origin projects no
  // vertex again (a pan past the window resets the origin: at 100,000 shapes, 0.2 s saved).
  function placedRings(layer, map) {
    var s = map.options.crs.scale(map.getZoom()), o = map.getPixelOrigin();
    return unitRings(layer, map).map(function (a) {
      var ring = new Array(a.length / 2);
      for (var i = 0; i < ring.length; i++) { ring[i] = new L.Point(Math.round(s * a[2 * i]) - o.x, Math.round(s * a[2 * i + 1]) - o.y); }
      return ring;
    });
  }

  // What a shape on that canvas does differently from Leaflet's.
  function onCopies(hit) {
    return L.extend({}, LAZY, {
      // Where it is on a new zoom comes from its corners alone (Mercator keeps their order); its
      // vertices are projected when it or a copy of it first reaches the canvas at that zoom: zoomed
      // in on a map of 100,000 shapes, a few hundred are.
      _sitmapOnCopies: true,
      // No attribution: Leaflet's attribution control gives each layer that may have one a
      // handler for its removal (100,000 shapes, 100,000 handlers and 18 MB made as they join).
      getAttribution: null,
      // Its corners are projected once (to the world's unit square, as Leaflet's CRS projects them
      // before scaling): at each zoom they are scaled and rounded as Leaflet's latLngToLayerPoint
      // would give them, into the bounds it has (placing 100,000 shapes at a zoom or a jump:
      // 110-140 -> 80 ms).
      _project: function () {
        var b = this._bounds, map = this._map;
        this._rings = null;
        if (b.isValid()) {
          var u = unitCorners(this, map, b), s = map.options.crs.scale(map.getZoom()), o = map.getPixelOrigin();
          var x0 = Math.round(s * u[0]) - o.x, y0 = Math.round(s * u[1]) - o.y;
          var x1 = Math.round(s * u[2]) - o.x, y1 = Math.round(s * u[3]) - o.y;
          var raw = this._rawPxBounds, pb = this._pxBounds;
          if (raw && pb) {  // (in place: a zoom of 100,000 shapes made six objects a shape for these)
            var t = this._clickTolerance();
            raw.min.x = x0; raw.min.y = y0; raw.max.x = x1; raw.max.y = y1;
            pb.min.x = x0 - t; pb.min.y = y0 - t; pb.max.x = x1 + t; pb.max.y = y1 + t;
          } else {
            this._rawPxBounds = L.bounds(L.point(x0, y0), L.point(x1, y1));
            this._updateBounds();
          }
        }
      },
      // Its vertices as LatLngs: a ring of [lat, lng] pairs (the page's batches give them so) made
      // into LatLngs directly, its bounds from their extremes, not each pair looked at by latLng()
      // and extended into them one by one (100,000 shapes: a tenth of the page's build); an area's
      // closing vertex dropped as Leaflet's L.Polygon drops it. Anything else as Leaflet converts it.
      _convertLatLngs: function (latlngs) {
        var n = latlngs.length, p = n ? latlngs[0] : null;
        if (!(Array.isArray(p) && typeof p[0] === 'number')) {
          return (this._sitmapClosed ? L.Polygon : L.Polyline).prototype._convertLatLngs.call(this, latlngs);
        }
        var out = new Array(n), south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
        for (var i = 0; i < n; i++) {
          p = latlngs[i];
          var ll = out[i] = Array.isArray(p) && p.length === 2 ? new L.LatLng(p[0], p[1]) : L.latLng(p);
          if (ll.lat < south) { south = ll.lat; }
          if (ll.lat > north) { north = ll.lat; }
          if (ll.lng < west) { west = ll.lng; }
          if (ll.lng > east) { east = ll.lng; }
        }
        if (n) {
          this._bounds.extend(new L.LatLng(south, west));
          this._bounds.extend(new L.LatLng(north, east));
        }
        if (this._sitmapClosed && n >= 2 && out[0].equals(out[n - 1])) { out.pop(); }
        return out;
      },
      // Whole, not clipped: a copy may be in view where the shape itself is not.
      _clipPoints: function () {
        var r = this._renderer, pb = this._pxBounds, b = r._bounds, w = worldPx(this._map);
        this._parts = [];
        if (pb && b && (meets(pb, 0, b) || meets(pb, -w, b) || meets(pb, w, b))) {
          if (!this._rings) { this._rings = placedRings(this, this._map); }
          this._parts = this._rings;
        }
      },
      // Picked on whichever copy is under the pointer.
      _containsPoint: function (p) {
        var w = worldPx(this._map);
        return hit.call(this, p) || hit.call(this, L.point(p.x + w, p.y)) || hit.call(this, L.point(p.x - w, p.y));
      }
    });
  }

  var Polyline = L.Polyline.extend(onCopies(function (p) {
    return L.Polyline.prototype._containsPoint.call(this, p, false);
  }));

  // An area: picked by its edge, with the selection's wide reach (selection.js), not its inside.
  var Polygon = L.Polygon.extend(L.extend(onCopies(function (p) {
    return L.Polyline.prototype._containsPoint.call(this, p, true);
  }), {
    _sitmapClosed: true,
    _clickTolerance: function () {
      var edge = ((S.selection || {}).hitWeight || 12) / 2;
      return Math.max(edge, L.Polygon.prototype._clickTolerance.call(this));
    }
  }));

  S.shapeCanvas = {
    create: function (options) { return new ShapeCanvas(options); },
    Polyline: Polyline,
    Polygon: Polygon,
    worldPx: worldPx
  };
})(window.SitMap);
