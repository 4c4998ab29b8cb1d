/* How the shared canvas of many lines and areas (shape_canvas.js) paints a whole redraw in
 * steps: the view first (a slice a frame when paced: a page a user moves), the margin beyond it
 * while the page is idle; a move onto a margin not yet painted paints only what the view shows of
 * it; shapes added above all the others (a large map's parts) are painted over what the canvas
 * shows. The canvas's methods for it (S.shapeSteps.methods, included in its class) and the
 * rectangle helpers both use. Loaded after Leaflet and point_paint.js, before shape_canvas.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var MARGIN_STEP_MS = 12;  // the margin is painted this long at a time while the page is idle

  function boxOf(b) { return [b.min.x, b.min.y, b.max.x, b.max.y]; }
  function toBounds(r) { return L.bounds([r[0], r[1]], [r[2], r[3]]); }

  var methods = {
    // Shapes just added above all the others (a part of a large map: sitmap.js takeParts), from
    // the one of order node ``first`` on, painted over what the canvas shows instead of a whole
    // redraw: where the view is painted, now; the margin as it is painted anyway. (A whole redraw
    // still to come paints them with the rest.) Ends a hold.
    paintAdded: function (first) {
      clearTimeout(this._holdTimer);
      var asked = this._heldAsked;
      this._held = this._heldAsked = false;
      if (!asked || !this._map) { return; }
      if (this._redrawRequest || this._wholeDue || !this._drawnPlace || this._redrawBounds) {
        this._heldAsked = true;
        this.hold(false);
        return;
      }
      if (!first) { return; }
      var view = this._viewRect();
      if (view && !this._viewDue) { this._paint([toBounds(view)], first); }
      if (!this._marginDue) {  // (one being painted reaches them)
        var margin = view ? S.pointPaint.outside(boxOf(this._bounds), view).map(toBounds) : [this._bounds];
        if (margin.length) {
          this._marginLater(margin);
          this._marginDue.at = first;  // (from them: the margin holds the shapes below them already)
        }
      }
    },

    // While on (the parts of a large map still coming), the margin waits: the page's time goes to
    // the shapes coming and the view; off, it is painted while the page is idle, as after a redraw.
    marginWait: function (on) {
      this._marginWaits = !!on;
      if (!on && this._marginDue) {
        var self = this, due = this._marginDue;
        setTimeout(function () { if (self._marginDue === due) { self._paintMargin(MARGIN_STEP_MS); } }, 0);
      }
    },

    // Whether a whole redraw may paint its view over several frames (options.paced: the page's say).
    _paced: function () {
      return this._shapes.size >= this.options.pacedFrom && !!this.options.paced && this.options.paced();
    },

    // The rest of the view painted a slice at the next frame (and the next, until it is done): one
    // frame asked for at a time, whatever view is then due.
    _viewLater: function () {
      if (this._viewFrame) { return; }
      var self = this;
      this._viewFrame = requestAnimationFrame(function () {
        self._viewFrame = null;
        if (self._viewDue) { self._paintView(self.options.viewStepMs); }
      });
    },

    // The view's shapes still to paint, for up to ms milliseconds (Infinity: all of them). The
    // canvas records the shapes and rasterises them when it is next shown, which takes several
    // times as long: a slice is rasterised at once (a pixel read back) and the share of its time
    // the recording took sets how long the next one records.
    _paintView: function (ms) {
      var due = this._viewDue;
      if (!due || !this._map || !this._ctx) { this._viewDue = null; return; }
      var t0 = performance.now();
      due.at = this._paint(due.rects, due.at, ms === Infinity ? null : t0 + ms * this._recordShare);
      if (ms !== Infinity) {
        var t1 = performance.now();
        this._ctx.getImageData(0, 0, 1, 1);
        this._recordShare = Math.min(0.9, Math.max(0.05, (t1 - t0) / Math.max(1, performance.now() - t0)));
      }
      if (!due.at) {
        this._viewDue = null;
      } else if (ms !== Infinity) {
        this._viewLater();
      }
    },

    // Whether the view shown is the one a paced redraw is still painting.
    _paintingView: function () {
      var due = this._viewDue, v = this._viewRect(), r = due && due.rects[0];
      return !!(r && v && r.min.x === v[0] && r.min.y === v[1] && r.max.x === v[2] && r.max.y === v[3]);
    },

    // Whether the view is all painted (a paced whole redraw paints it over several frames), and
    // the rest of it painted now (the window's map captured as it shows it).
    viewPainted: function () { return !this._viewDue; },
    finishView: function () { if (this._viewDue) { this._paintView(Infinity); } },

    // The rectangles (L.Bounds) painted as the margin, after this frame, while the page is idle.
    _marginLater: function (rects) {
      this._marginDue = { rects: rects, at: null };
      var self = this;
      requestAnimationFrame(function () { setTimeout(function () { self._paintMargin(MARGIN_STEP_MS); }, 0); });
    },

    // What the view shows, in the canvas's pixels ([x0, y0, x1, y1) on whole pixels), or null.
    _viewRect: function () {
      var map = this._map, a = map.containerPointToLayerPoint([0, 0]), b = map.containerPointToLayerPoint(map.getSize());
      var c = boxOf(this._bounds);
      var v = [Math.max(c[0], Math.floor(a.x)), Math.max(c[1], Math.floor(a.y)),
               Math.min(c[2], Math.ceil(b.x)), Math.min(c[3], Math.ceil(b.y))];
      return v[0] < v[2] && v[1] < v[3] ? v : null;
    },

    // The margin's shapes for up to ms milliseconds (Infinity: all that are left), from where the
    // last step ended; the next step when the page is idle again.
    _paintMargin: function (ms) {
      var due = this._marginDue;
      if (!due || !this._map || !this._ctx || (this._marginWaits && ms !== Infinity)) { return; }
      if (this._viewDue) {  // (the view first)
        this._paintView(ms);
        if (this._viewDue) {
          var again = this;
          setTimeout(function () { if (again._marginDue === due) { again._paintMargin(MARGIN_STEP_MS); } }, 0);
          return;
        }
      }
      var ctx = this._ctx;
      if (due.at === null) {  // (again) from the first shape, on a cleared margin
        due.rects.forEach(function (r) { var z = r.getSize(); ctx.clearRect(r.min.x, r.min.y, z.x, z.y); });
        due.at = this._drawFirst;
      }
      due.at = this._paint(due.rects, due.at, performance.now() + ms);
      if (due.at) {
        var self = this;
        setTimeout(function () { if (self._marginDue === due) { self._paintMargin(MARGIN_STEP_MS); } }, 0);
      } else {
        this._marginDue = null;
        this._keep();  // (the whole picture, margin and all)
      }
    },
    // A move that stays on the canvas while its margin is still being painted: the margin's
    // shapes still to paint where the view now is, painted now; the rest of the margin still
    // while the page is idle (a pan right after a large map appears: not the whole margin at once).
    _marginInView: function () {
      var due = this._marginDue, view = this._viewRect(), ctx = this._ctx;
      if (!due || !view) { this._finishMargin(); return; }
      var shown = [], rest = [];
      due.rects.forEach(function (r) {
        var b = boxOf(r), x0 = Math.max(b[0], view[0]), y0 = Math.max(b[1], view[1]);
        var x1 = Math.min(b[2], view[2]), y1 = Math.min(b[3], view[3]);
        if (x0 < x1 && y0 < y1) { shown.push(toBounds([x0, y0, x1, y1])); }
        S.pointPaint.outside(b, view).forEach(function (o) { rest.push(toBounds(o)); });
      });
      if (!shown.length) { return; }
      if (due.at === null) {  // (not begun: cleared, then painted from the first shape, as it will be)
        shown.forEach(function (r) { var z = r.getSize(); ctx.clearRect(r.min.x, r.min.y, z.x, z.y); });
      }
      this._paint(shown, due.at);
      due.rects = rest;
      if (!rest.length) {
        this._marginDue = null;
        this._keep();
      }
    },
    _finishMargin: function () {
      this.finishView();
      if (this._marginDue) { this._paintMargin(Infinity); }
    }
  };

  S.shapeSteps = { methods: methods, boxOf: boxOf, toBounds: toBounds };
})(window.SitMap);
