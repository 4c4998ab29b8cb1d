/* A layer of many points kept in typed arrays (position on the unit Web Mercator square, style,
 * group, flags) with a grid index over them: it draws only the points in view (and a margin) as
 * copies of one pre-drawn circle per style, and finds the point under the pointer from the grid.
 * Like every line and area, each point is drawn (and found) on the neighbouring copies of the
 * world too: a map of places either side of 180 degrees shows them all side by side.
 * It is a Leaflet canvas (same padding, retina and zoom animation), holding no Leaflet layer per
 * point: the thing each point stands for is the business of its owner (points.js), which hands
 * the layer an event target per index. Its whole redraws' pixels and the pictures it keeps of them
 * are point_pictures.js's. Loaded after Leaflet, point_paint.js and point_pictures.js, before points.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var GONE = 1, HIDDEN = 2, FRONT = 4;  // flags: removed; hidden on its own (a time window); drawn last
  var LIM = L.Projection.SphericalMercator.MAX_LATITUDE, D = Math.PI / 180;

  // Where a position is on the unit Mercator square (as Leaflet's EPSG3857 projects it, before scale).
  function mercX(lng) { return lng / 360 + 0.5; }
  function mercY(lat) {
    var s = Math.sin(Math.max(Math.min(LIM, lat), -LIM) * D);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  function grow(a, n) {
    var b = new a.constructor(n);
    b.set(a);
    return b;
  }

  var stamp = S.pointPaint.stamp;  // (one circle of a style, point_paint.js)

  var STYLE = { radius: 5, stroke: true, color: '#1a1a1a', weight: 2, opacity: 1, fill: true,
                fillColor: '#333333', fillOpacity: 0.9, interactive: true, bubblingMouseEvents: false };

  // A canvas drawn a margin beyond the view moves with the map: whether it still shows all of
  // the view at the zoom it was drawn for (then a pan needs no redraw). Its events: Leaflet's, the
  // end of a move going to its own _moveEnd. (Also the shape canvas's, shape_canvas.js.)
  S.canvasShowsView = function (canvas) {
    var map = canvas._map, b = canvas._bounds;
    if (!b || canvas._zoom !== map.getZoom()) { return false; }
    return b.contains(L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize())));
  };
  S.keptCanvasEvents = function () {
    var events = L.Canvas.prototype.getEvents.call(this);
    events.moveend = this._moveEnd;
    return events;
  };

  var PointLayer = L.Canvas.extend(L.extend({
    options: { padding: 0.5, tolerance: 4, target: null },  // target(i): the evented object of point i

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._n = 0;
      this._alloc(1024);
      this._styles = []; this._styleKeys = {}; this._stamps = [];
      this._groups = []; this._groupShown = [];
      this._front = [];
      this._grid = null;
    },

    _alloc: function (cap) {
      this._cap = cap;
      if (!this._mx) {
        this._mx = new Float64Array(cap); this._my = new Float64Array(cap);
        this._lat = new Float64Array(cap); this._lng = new Float64Array(cap);
        this._sty = new Uint16Array(cap); this._grp = new Uint8Array(cap); this._flags = new Uint8Array(cap);
        this._cell = new Int32Array(cap);
        return;
      }
      var self = this;
      ['_mx', '_my', '_lat', '_lng', '_sty', '_grp', '_flags', '_cell'].forEach(function (k) { self[k] = grow(self[k], cap); });
    },

    /* --- the points ------------------------------------------------------------------------ */
    // A style's index (options as a circle marker's: radius, stroke, color, weight, opacity, fill,
    // fillColor, fillOpacity); equal styles share one.
    style: function (o) {
      var s = L.extend({}, STYLE, o);
      var key = [s.radius, s.stroke, s.color, s.weight, s.opacity, s.fill, s.fillColor, s.fillOpacity].join('|');
      var k = this._styleKeys[key];
      if (k === undefined) {
        k = this._styleKeys[key] = this._styles.length;
        this._styles.push(s);
        var r = Math.max(Math.round(s.radius), 1);
        this._reach = Math.max(this._reach || 0, Math.ceil(r + (s.stroke ? s.weight / 2 : 0) + 1));
      }
      return k;
    },

    styleOf: function (i) { return this._styles[this._sty[i]]; },

    group: function (name) {
      var g = this._groups.indexOf(name);
      if (g < 0) { g = this._groups.length; this._groups.push(name); this._groupShown.push(false); }
      return g;
    },

    // A new point: its index (indices are never reused; a removed point stays a tombstone).
    add: function (lat, lng, style, group) {
      var i = this._n;
      if (i === this._cap) { this._alloc(this._cap * 2); }
      this._n = i + 1;
      this._put(i, lat, lng);
      this._sty[i] = style; this._grp[i] = group; this._flags[i] = 0;
      this._index(i);
      if (this._quiet) { this._quiet.asked = true; } else { this._ask(i); }
      return i;
    },

    // fn() adding many points (an import): one whole redraw after them all, not a box each.
    quietly: function (fn) {
      if (this._quiet) { return fn(); }
      var q = this._quiet = { asked: false };
      try {
        return fn();
      } finally {
        this._quiet = null;
        if (q.asked) { this._ask(-1); }
      }
    },

    // Many points at once (the start-up batch): no redraw per point, one grid build at the next draw.
    reserve: function (n) {
      if (this._n + n > this._cap) { this._alloc(Math.max(this._n + n, this._cap * 2)); }
    },

    _put: function (i, lat, lng) {
      this._lat[i] = lat; this._lng[i] = lng;
      this._mx[i] = mercX(lng); this._my[i] = mercY(lat);
    },

    count: function () { return this._n; },
    latLng: function (i) { return L.latLng(this._lat[i], this._lng[i]); },

    move: function (i, lat, lng) {
      this._ask(i);
      this._put(i, lat, lng);
      this._index(i, true);
      this._ask(i);
    },

    remove: function (i) {
      this._ask(i);
      this._flags[i] |= GONE;
      this._setFront(i, false);
    },

    setHidden: function (i, on) {
      var f = this._flags[i];
      if (!!(f & HIDDEN) === !!on) { return; }
      this._flags[i] = on ? f | HIDDEN : f & ~HIDDEN;
      this._ask(i);
    },

    setStyle: function (i, o) {
      this._ask(i);
      this._sty[i] = this.style(L.extend({}, this._styles[this._sty[i]], o));
      this._ask(i);
    },

    // Drawn after (above) every other point, or back among them.
    toFront: function (i, on) { this._setFront(i, on !== false); this._ask(i); },

    _setFront: function (i, on) {
      var at = this._front.indexOf(i);
      if (on) {
        if (at >= 0) { this._front.splice(at, 1); }
        this._front.push(i);
        this._flags[i] |= FRONT;
      } else if (at >= 0) {
        this._front.splice(at, 1);
        this._flags[i] &= ~FRONT;
      }
    },

    setGroupShown: function (g, on) {
      if (this._groupShown[g] === !!on) { return; }
      this._groupShown[g] = !!on;
      this._ask(-1);
    },

    // On the map now: not removed, not hidden, its group shown, the layer on a map.
    shown: function (i) {
      return !!this._map && i < this._n && !(this._flags[i] & (GONE | HIDDEN)) && this._groupShown[this._grp[i]];
    },

    gone: function (i) { return !!(this._flags[i] & GONE); },

    // The bounds of the points shown (null: none): across the antimeridian where that is
    // narrower (their east may pass 180).
    bounds: function () {
      var s = 90, n = -90, lons = S.lonSpan(), any = false;
      for (var i = 0; i < this._n; i++) {
        if (!this.shown(i)) { continue; }
        var la = this._lat[i];
        if (la < s) { s = la; } if (la > n) { n = la; }
        lons.add(this._lng[i]);
        any = true;
      }
      if (!any) { return null; }
      var span = lons.span();
      return L.latLngBounds([s, span[0]], [n, span[1]]);
    },

    /* --- the grid ---------------------------------------------------------------------------- */
    // Cells over the points' extent (a point outside it, added later, is kept in the edge cell it
    // is nearest: every query clamps the same way and tests each point's own position).
    _build: function () {
      var n = this._n, mx = this._mx, my = this._my, i;
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (i = 0; i < n; i++) {
        if (this._flags[i] & GONE) { continue; }
        if (mx[i] < x0) { x0 = mx[i]; } if (mx[i] > x1) { x1 = mx[i]; }
        if (my[i] < y0) { y0 = my[i]; } if (my[i] > y1) { y1 = my[i]; }
      }
      if (!(x1 >= x0)) { x0 = y0 = 0; x1 = y1 = 1; }
      var w = Math.max(x1 - x0, 1e-9), h = Math.max(y1 - y0, 1e-9);
      var cells = Math.max(1, Math.min(1 << 20, Math.ceil(n / 12)));
      var gx = Math.max(1, Math.min(4096, Math.round(Math.sqrt(cells * w / h))));
      var gy = Math.max(1, Math.min(4096, Math.round(cells / gx)));
      var g = this._grid = { x0: x0, y0: y0, kx: gx / w, ky: gy / h, gx: gx, gy: gy, extra: {}, extras: 0, built: n };
      var start = g.start = new Uint32Array(gx * gy + 1), items = g.items = new Uint32Array(n), cell = this._cell;
      for (i = 0; i < n; i++) {
        var c = cell[i] = (this._flags[i] & GONE) ? -1 : this._cellAt(mx[i], my[i]);
        if (c >= 0) { start[c + 1] += 1; }
      }
      for (c = 0; c < gx * gy; c++) { start[c + 1] += start[c]; }
      var fill = start.slice(0, gx * gy);
      for (i = 0; i < n; i++) { if (cell[i] >= 0) { items[fill[cell[i]]++] = i; } }
    },

    _col: function (x) { var g = this._grid, c = Math.floor((x - g.x0) * g.kx); return c < 0 ? 0 : c >= g.gx ? g.gx - 1 : c; },
    _row: function (y) { var g = this._grid, r = Math.floor((y - g.y0) * g.ky); return r < 0 ? 0 : r >= g.gy ? g.gy - 1 : r; },
    _cellAt: function (x, y) { return this._row(y) * this._grid.gx + this._col(x); },

    // A point added after the grid was built: in its cell's extra list. Many of them, or a point
    // moved (rare: an edit replaces a point): the grid is built anew at the next draw.
    _index: function (i, moved) {
      var g = this._grid;
      if (!g || g.dirty) { return; }
      if (moved || g.extras > Math.max(512, g.built / 4)) { g.dirty = true; return; }
      var c = this._cell[i] = this._cellAt(this._mx[i], this._my[i]);
      (g.extra[c] || (g.extra[c] = [])).push(i);
      g.extras += 1;
    },

    // Calls fn(i) once for each point (not removed) whose cell meets the Mercator box.
    _each: function (x0, y0, x1, y1, fn) {
      if (!this._grid || this._grid.dirty) { this._build(); }
      var g = this._grid, c0 = this._col(x0), c1 = this._col(x1), r0 = this._row(y0), r1 = this._row(y1);
      var start = g.start, items = g.items, cell = this._cell, flags = this._flags;
      for (var r = r0; r <= r1; r++) {
        for (var c = c0; c <= c1; c++) {
          var k = r * g.gx + c;
          for (var j = start[k], end = start[k + 1]; j < end; j++) {
            var i = items[j];
            if (cell[i] === k && !(flags[i] & GONE)) { fn(i); }
          }
          var more = g.extra[k];
          if (more) {
            for (j = 0; j < more.length; j++) {
              i = more[j];
              if (cell[i] === k && !(flags[i] & GONE)) { fn(i); }
            }
          }
        }
      }
    },

    // The points to paint in a box of layer pixels (x0, y0, x1, y1: shown, not in front, drawn
    // within it at this scale and pixel origin) into ``list``, cell by cell; how many. As _each
    // with its test inline (a whole redraw of 100,000 points: a call a point cost 10 ms), and
    // without testing each point of a cell that lies inside the box.
    _listIn: function (list, x0, y0, x1, y1, scale, o) {
      if (!this._grid || this._grid.dirty) { this._build(); }
      var g = this._grid, mx = this._mx, my = this._my, flags = this._flags, grp = this._grp, shown = this._groupShown;
      var cell = this._cell, start = g.start, items = g.items, n = 0;
      var ux0 = (x0 + o.x) / scale, uy0 = (y0 + o.y) / scale, ux1 = (x1 + o.x) / scale, uy1 = (y1 + o.y) / scale;
      var c0 = this._col(ux0), c1 = this._col(ux1), r0 = this._row(uy0), r1 = this._row(uy1);
      var skip = GONE | HIDDEN | FRONT;
      for (var r = r0; r <= r1; r++) {
        // (a cell a pixel inside the box on every side: its points need no test of their own)
        var inY = (Math.round(scale * (g.y0 + r / g.ky)) - o.y > y0 + 1) && (Math.round(scale * (g.y0 + (r + 1) / g.ky)) - o.y < y1 - 1);
        for (var c = c0; c <= c1; c++) {
          var k = r * g.gx + c, inside = inY && r > 0 && r < g.gy - 1 && c > 0 && c < g.gx - 1 &&
            (Math.round(scale * (g.x0 + c / g.kx)) - o.x > x0 + 1) && (Math.round(scale * (g.x0 + (c + 1) / g.kx)) - o.x < x1 - 1);
          for (var j = start[k], end = start[k + 1]; j < end; j++) {
            var i = items[j];
            if (cell[i] !== k || (flags[i] & skip) || !shown[grp[i]]) { continue; }
            if (!inside) {
              var x = Math.round(scale * mx[i]) - o.x, y = Math.round(scale * my[i]) - o.y;
              if (x < x0 || x > x1 || y < y0 || y > y1) { continue; }
            }
            list[n++] = i;
          }
          var more = g.extra[k];
          if (!more) { continue; }
          for (j = 0; j < more.length; j++) {
            i = more[j];
            if (cell[i] !== k || (flags[i] & skip) || !shown[grp[i]]) { continue; }
            x = Math.round(scale * mx[i]) - o.x; y = Math.round(scale * my[i]) - o.y;
            if (x < x0 || x > x1 || y < y0 || y > y1) { continue; }
            list[n++] = i;
          }
        }
      }
      return n;
    },

    // The world copies (k: -1 west, 0, 1 east) whose points may be drawn within layer pixels x0 to
    // x1 (with their reach), each with the pixel origin that draws the grid's points on it: a
    // point is drawn on copy k where it would be with the origin moved a world's width (rounded
    // to a pixel: the same shift for every point).
    _copiesIn: function (x0, x1, scale, o) {
      var out = [], ux0 = (x0 + o.x) / scale, ux1 = (x1 + o.x) / scale;
      for (var k = -1; k <= 1; k++) {
        if (ux1 >= k && ux0 <= k + 1) { out.push(k ? L.point(o.x - Math.round(k * scale), o.y) : o); }
      }
      return out;
    },

    // The point nearest a layer pixel within its circle and the tolerance (on any world copy), or -1.
    nearest: function (p) {
      if (!this._map || !this._n) { return -1; }
      var map = this._map, scale = map.options.crs.scale(map.getZoom()), o0 = map.getPixelOrigin();
      var tol = this.options.tolerance || 0, reach = (this._reach || 8) + tol;
      var best = -1, bestD = Infinity, self = this, mx = this._mx, my = this._my;
      this._copiesIn(p.x - reach, p.x + reach, scale, o0).forEach(function (o) {
        self._each((p.x - reach + o.x) / scale, (p.y - reach + o.y) / scale, (p.x + reach + o.x) / scale,
                   (p.y + reach + o.y) / scale, function (i) {
          if (!self.shown(i)) { return; }
          var s = self._styles[self._sty[i]];
          var dx = Math.round(scale * mx[i]) - o.x - p.x, dy = Math.round(scale * my[i]) - o.y - p.y;
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d <= s.radius + (s.stroke ? s.weight / 2 : 0) + tol && d <= bestD) { best = i; bestD = d; }
        });
      });
      return best;
    },

    // The boxes of layer pixels a point at (x, y) on the unit square is drawn within, on each
    // world copy the canvas shows.
    _boxesAt: function (x, y) {
      var map = this._map, scale = map.options.crs.scale(map.getZoom()), r = (this._reach || 8) + 1;
      var b = this._bounds, o0 = map.getPixelOrigin(), px = Math.round(scale * x), py = Math.round(scale * y);
      var copies = b ? this._copiesIn(b.min.x, b.max.x, scale, o0) : [o0];
      return copies.map(function (o) { return L.bounds(L.point(px - o.x - r, py - o.y - r), L.point(px - o.x + r, py - o.y + r)); });
    },

    /* --- drawing ------------------------------------------------------------------------------ */
    // A redraw of point i's box (i < 0: of everything) at the next frame.
    _ask: function (i) {
      this.finishMargin();  // (the part redrawn is drawn over a whole picture)
      // the margins of other pictures: out of date now; a zoom being painted ahead goes on where
      // one point changed (the redraw that shows it draws that point anew: point_ahead.js)
      this._jobs = i < 0 || this._askAll ? [] : (this._jobs || []).filter(function (j) { return j.ahead; });
      // What a whole redraw kept is out of date: where, to draw it anew there when it is shown
      // again (a point moved is asked for where it was and where it is).
      var v = this._version = (this._version || 0) + 1, changes = this._changes || (this._changes = []);
      if (!this._map) {
        this._changes = [[v, null]];  // (points loaded before the map: nothing kept is of them)
        return;
      }
      changes.push([v, i < 0 ? null : [this._mx[i], this._my[i]]]);
      if (changes.length > 64) { changes.shift(); }
      if (i < 0 || this._askAll) {
        this._askAll = true;
        this._dirty = null;
      } else {
        var dirty = this._dirty = this._dirty || [];
        if (dirty.length >= 256) {  // (many points one by one, as a script adds them: one whole redraw)
          this._askAll = true;
          this._dirty = null;
        } else {
          this._boxesAt(this._mx[i], this._my[i]).forEach(function (b) {
            if (!dirty.some(function (d) { return d.equals(b); })) { dirty.push(b); }  // (a point asked for twice)
          });
        }
      }
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    // The boxes asked for, each redrawn by itself: the box around two points far apart (a
    // selection moved across the map) would be most of the map. Many boxes: the one around them.
    _redraw: function () {
      var dirty = this._askAll ? null : this._dirty;
      this._dirty = null;
      if (dirty && dirty.length > 16) {
        dirty = [dirty.reduce(function (u, b) { return u.extend(b.min).extend(b.max); }, L.bounds(dirty[0].min, dirty[0].max))];
      }
      if (dirty && dirty.length) {
        for (var k = 0; k < dirty.length; k++) {
          this._redrawBounds = dirty[k];
          L.Canvas.prototype._redraw.call(this);
        }
      } else {
        this._redrawBounds = null;
        L.Canvas.prototype._redraw.call(this);
      }
      this._askAll = false;
    },

    // No Leaflet layers to update: a new view is one redraw.
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      this._dirty = null;
      this._redraw();
    },

    // The canvas is drawn a margin beyond the view and moves with the map: a pan that stays
    // inside what it already shows needs no redraw at all.
    getEvents: S.keptCanvasEvents,
    _moveEnd: function () {
      if (!S.canvasShowsView(this)) { this._update(); }
    },
    // Positions are on the unit square: a zoom projects nothing, the redraw at its end does it all.
    _onZoomEnd: function () {},
    _reset: function () {
      this._update();
      this._updateTransform(this._center, this._zoom);
      if (this._postponeUpdatePaths) {
        this._postponeUpdatePaths = false;
        this._updatePaths();
      }
    },

    // The points in reach of what is drawn (the canvas, or the part being redrawn) are painted in
    // the order they were added, the last on top, as Leaflet stacks its layers; the selected ones
    // (in front) above them all.
    _draw: function () {
      var map = this._map, ctx = this._ctx, clip = this._redrawBounds, area = clip || this._bounds;
      if (!clip) { this._shown = null; }  // (a whole redraw: the picture it puts there, if any)
      if (!map || !area || !this._n) { return; }
      this._draws = (this._draws || 0) + 1;
      var scale = map.options.crs.scale(map.getZoom()), o = map.getPixelOrigin();
      var m = L.Browser.retina ? 2 : 1, reach = this._reach || 8;
      var ax0 = area.min.x - reach, ay0 = area.min.y - reach, ax1 = area.max.x + reach, ay1 = area.max.y + reach;
      var copies = this._copiesIn(ax0, ax1, scale, o);  // (the world and the copies either side in reach)
      var stampOf = this._stampOf(m), put = this._putter(stampOf, scale, copies);
      // the same place and zoom as a whole redraw kept (a pan away and back, a zoom in and out):
      // its pixels again, and the few points changed since drawn anew where they were and are
      var key = clip ? null : [map.getZoom(), area.min.x + o.x, area.min.y + o.y, this._container.width,
                               this._container.height, m].join('|');
      var kept = key && ((this._slots || []).filter(function (sl) { return sl.key === key; })[0] || this._aheadNow(key));
      // (a change since it was painted also ended the painting of its margin: see _ask)
      var unfinished = kept && this._jobOf(kept), changed = kept ? this._changedSince(kept.version) : null;
      if (kept && (!changed || (!unfinished && !kept.whole))) {
        kept = null;
      }
      if (kept) {
        kept.used = ++this._uses;
        this._showing(kept);
        ctx.putImageData(kept.img, 0, 0);
        this._putFront(put);
        this._aheadSoon();  // (the zooms either side of this view, if not kept already: their views after its margin)
        if (unfinished) {  // its view is painted: the rest of its margin next, in slices between frames
          this._jobs = [unfinished].concat(this._jobs.filter(function (j) { return j !== unfinished; }));
          this._marginSoon();
        }
        this._drawAnew(changed);
        return;
      }
      var listed = this._listAll(ax0, ay0, ax1, ay1, scale, copies), list = this._list, on = this._copyOf;
      if (!clip && !listed) {
        // no point here but those in front (the sea, a far pan): the canvas is clear already, no
        // picture is painted or kept, none given up for it; the zooms either side, when idle
        this._showing(null);
        this._putFront(put);
        this._aheadSoon();
        return;
      }
      ctx.save();
      if (clip) {
        var cs = clip.getSize();
        ctx.beginPath();
        ctx.rect(clip.min.x, clip.min.y, cs.x, cs.y);
        ctx.clip();
        for (var j = 0; j < listed; j++) { put(list[j], copies[on[j]]); }
      } else {
        this._paintAll(list, listed, stampOf, scale, o, m, key, put, on);
      }
      this._putFront(put);
      ctx.restore();
    },

    // A function drawing point i's stamp on the canvas at this scale, on the world copy whose pixel
    // origin is oc (put(i, oc); put.copies: those the canvas shows).
    _putter: function (stampOf, scale, copies) {
      var ctx = this._ctx, mx = this._mx, my = this._my;
      var put = function (i, oc) {
        var st = stampOf(i), x = Math.round(scale * mx[i]) - oc.x, y = Math.round(scale * my[i]) - oc.y;
        ctx.drawImage(st.canvas, x - st.half, y - st.half, st.size, st.size);
      };
      put.copies = copies;
      return put;
    },

    // A function giving point i's stamp (its style's circle at pixel density m, drawn when first asked).
    _stampOf: function (m) {
      var styles = this._styles, stamps = this._stamps, sty = this._sty;
      return function (i) { var s = sty[i]; return stamps[s] || (stamps[s] = stamp(styles[s], m)); };
    },

    // The points in reach of a box of layer pixels (x0, y0, x1, y1) at this scale on each world
    // copy (their pixel origins), into this._list, each copy's in the order they were added (the
    // grid gives them cell by cell), with the copy each is drawn on (its index in copies) in
    // this._copyOf; how many.
    _listAll: function (x0, y0, x1, y1, scale, copies) {
      var size = this._cap * copies.length;
      if (!this._list || this._list.length < size) { this._list = new Uint32Array(size); this._copyOf = new Uint8Array(size); }
      var list = this._list, on = this._copyOf, listed = 0;
      for (var c = 0; c < copies.length; c++) {
        var part = list.subarray(listed), got = this._inOrder(part, this._listIn(part, x0, y0, x1, y1, scale, copies[c]));
        on.fill(c, listed, listed + got);
        listed += got;
      }
      return listed;
    },

    // The changes since version ``v`` of the points: [version, [x, y] on the unit square] each
    // (null: too many, or one that was not of a few points).
    _changedSince: function (v) {
      var changes = this._changes || [], out = [];
      if (v >= (this._version || 0)) { return out; }
      if (!changes.length || changes[0][0] > v + 1) { return null; }  // (older than the changes kept)
      for (var k = 0; k < changes.length; k++) {
        if (changes[k][0] <= v) { continue; }
        if (!changes[k][1]) { return null; }
        out.push(changes[k][1]);
      }
      return out;
    },

    // The boxes around these places ([x, y] on the unit square) drawn anew, each by itself (on
    // each world copy shown); only those meeting one of ``within`` (layer pixel bounds), if given.
    _drawAnew: function (places, within) {
      var self = this;
      places.forEach(function (at) {
        self._boxesAt(at[0], at[1]).forEach(function (b) {
          if (within && !within.some(function (w) { return w.intersects(b); })) { return; }
          self._redrawBounds = b;
          L.Canvas.prototype._redraw.call(self);
        });
      });
      this._redrawBounds = null;
    },

    // The points in front (selected), each drawn by ``put`` over the rest, on each copy it draws on.
    _putFront: function (put) {
      var self = this;
      this._front.forEach(function (i) {
        if (self.shown(i)) { put.copies.forEach(function (oc) { put(i, oc); }); }
      });
    },

    // The first ``listed`` indices of ``list`` in ascending order (the order points were added): a
    // sort for a few, a pass over a mark per point for many.
    _inOrder: function (list, listed) {
      var n = this._n;
      if (listed < n / 16) { list.subarray(0, listed).sort(); return listed; }
      var mark = this._mark && this._mark.length >= n ? this._mark : (this._mark = new Uint8Array(this._cap));
      for (var j = 0; j < listed; j++) { mark[list[j]] = 1; }
      var k = 0;
      for (var i = 0; i < n; i++) { if (mark[i]) { list[k++] = i; mark[i] = 0; } }
      return k;
    },

    /* --- the pointer ---------------------------------------------------------------------------- */
    _target: function (i) { return i >= 0 && this.options.target ? this.options.target(i) : null; },

    _onClick: function (e) {
      var map = this._map, t = this._target(this.nearest(map.mouseEventToLayerPoint(e)));
      if (t && (e.type === 'click' || e.type === 'preclick') && map._draggableMoved(t)) { t = null; }
      this._fireEvent(t ? [t] : false, e);
    },

    _handleMouseHover: function (e, point) {
      if (this._mouseHoverThrottled) { return; }
      var i = this.nearest(point), t = this._target(i);
      if (i !== this._hoveredIndex) {
        this._handleMouseOut(e);
        if (t) {
          L.DomUtil.addClass(this._container, 'leaflet-interactive');
          this._fireEvent([t], e, 'mouseover');
          this._hoveredLayer = t;
          this._hoveredIndex = i;
        }
      }
      this._fireEvent(this._hoveredLayer ? [this._hoveredLayer] : false, e);
      this._mouseHoverThrottled = true;
      var self = this;
      setTimeout(function () { self._mouseHoverThrottled = false; }, 32);
    },

    _handleMouseOut: function (e) {
      L.Canvas.prototype._handleMouseOut.call(this, e);
      this._hoveredIndex = -1;
    }
  }, S.pointPictures, S.pointAhead));  // (its whole redraws' pictures: point_pictures.js, point_ahead.js)

  // A group's share of the layer: in a Leaflet layer group (the layer control, app.setGroupVisible
  // add and remove the group), its points show while it is on the map.
  var GroupMember = L.Layer.extend({
    initialize: function (layer, name) { this._layer = layer; this._g = layer.group(name); },
    onAdd: function () { this._layer.setGroupShown(this._g, true); },
    onRemove: function () { this._layer.setGroupShown(this._g, false); },
    bringToFront: function () { if (this._layer._container) { L.DomUtil.toFront(this._layer._container); } return this; },
    bringToBack: function () { return this; }
  });

  S.PointLayer = PointLayer;
  S.PointLayer.GroupMember = GroupMember;
})(window.SitMap);
