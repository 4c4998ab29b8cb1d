/* The point layer's whole redraws (point_layer.js): the stamps copied into pixels of their own,
 * the view in its frame and the margin beyond it while the page is idle, and the last few such
 * pictures kept for a way back, with the pixels of the ones still to keep made ahead. Methods of
 * the layer (S.pointPictures, mixed into S.PointLayer). Loaded after point_paint.js, before
 * point_layer.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var SPARE_FROM = 10000;  // points in a whole redraw from which the pictures to keep are made ahead
  // Points painted between two looks at the clock while the page is idle: a few milliseconds'
  // worth, so a frame due meanwhile (a zoom or pan just asked for) waits little (20,000 at a time
  // took 20-30 ms at 100,000 points and held back the frame of the step that came next).
  var STEP_POINTS = 4000;
  var KEPT = 3;  // whole redraws kept (pixels of their own each); two more with the zooms painted ahead
  // The shown picture's margin and a zoom's view painted ahead, idle or not: slices of about this
  // many ms, this many points at a time (a slice of 6 ms made the frames of a far pan meanwhile
  // 10-20 ms longer).
  var VIEW_SLICE_MS = 3, VIEW_STEP_POINTS = 1000, SHOW_EVERY_MS = 50;

  // Stamps and the pixels of a whole redraw (point_paint.js).
  var paint = S.pointPaint, pixelsOf = paint.pixelsOf, under = paint.under,
      outside = paint.outside, nonEmpty = paint.nonEmpty, slotFor = paint.slotFor, viewIn = paint.viewIn;

  S.pointPictures = {
    // A whole redraw copies the stamps into pixels of its own, from the top point down, and puts
    // them on the canvas at once: tens of thousands of drawImage calls cost the page far more,
    // and where thousands of points pile up most of them are under opaque pixels and skipped.
    // (``on[j]``: the world copy list[j] is drawn on, an index of put.copies, their pixel origins)
    _paintAll: function (list, listed, stampOf, scale, o, m, key, put, on) {
      var W = this._container.width, H = this._container.height;
      if (!W || !H) { return; }
      // KEPT whole redraws are kept: this one in its place's, or in the one used longest ago (not
      // one a zoom is being painted ahead in, while there is another: that painting goes on)
      var slots = this._slots || (this._slots = []);
      this._uses = (this._uses || 0) + 1;
      var ahead = (this._jobs || []).filter(function (j) { return j.ahead; }).map(function (j) { return j.slot; });
      var slot = slotFor(slots, key, this._keep(), function () { return {}; }, ahead);
      slot.key = key;
      slot.version = this._version || 0;
      slot.used = this._uses;
      var Wd = this._pixelsFor(slot, W, H);
      if (!slot.clean) { slot.buf.fill(0); slot.done.fill(0); }
      slot.clean = false;
      slot.whole = false;
      this._showing(slot);
      // The view first, in this frame; the margin beyond it (three times as many pixels, there for
      // a pan) right after it, or at once when anything needs the whole picture first.
      var map = this._map, b = this._bounds, v0 = map.containerPointToLayerPoint([0, 0]).subtract(b.min);
      var view = viewIn(v0, v0.add(map.getSize()), W, H, m);
      var job = { slot: slot, list: list.slice(0, listed), on: on.slice(0, listed), copies: put.copies,
                  stampOf: stampOf, put: put, scale: scale, o: o, m: m,
                  sx: b.min.x, sy: b.min.y, Wd: Wd, W: W, H: H, view: view };
      this._paintIn(job, [view], listed - 1, 0);
      this._ctx.putImageData(slot.img, 0, 0);
      // the margin: the strips around the view, painted the top points first a step at a time
      job.strips = outside([0, 0, W, H], view);
      job.next = listed - 1;
      // this margin first; the views of this view's zooms either side next (point_ahead.js); then
      // the jobs there were, in their order: the margins of pictures it replaces (kept for a way
      // back) and the zooms being painted ahead of the view before (a way back and a zoom there)
      this._jobs = [job].concat((this._jobs || []).filter(function (j) { return j.slot !== slot; }));
      this._aheadSoon();
      this._marginSoon();
      if (listed >= SPARE_FROM) { this._spareSoon(W, H); }
    },

    // The picture of the view now shown; the one shown before it, if another, is the way back
    // (no zoom painted ahead takes its place: point_ahead.js).
    _showing: function (slot) {
      if (this._lastView && this._lastView !== slot) { this._wayBack = this._lastView; }
      this._lastView = this._shown = slot;
    },

    // A kept picture's own pixels for a canvas W x H (made anew only for another size): RGBA words
    // and the bits of the pixels already opaque, Wd words a row and a word more (see under); Wd.
    // (``clean``: all still zero, as made.)
    _pixelsFor: function (slot, W, H) {
      var Wd = (W + 31) >> 5;
      if (!slot.img || slot.img.width !== W || slot.img.height !== H) {
        slot.img = this._ctx.createImageData(W, H);
        slot.buf = new Uint32Array(slot.img.data.buffer);
        slot.done = new Int32Array(Wd * H + 1);
        slot.clean = true;
      }
      return Wd;
    },

    // How many whole redraws are kept: two more where the zooms either side are painted ahead.
    _keep: function () { return this._aheadOn() ? KEPT + 2 : KEPT; },

    // Many points: the pictures still to be kept get their pixels while the page is idle, one at
    // a time (else the first zoom or far pan waits for that memory, and for the collector it
    // wakes: 30 ms with 100,000 points).
    _spareSoon: function (W, H) {
      if (this._slots.length >= this._keep() || this._spareTimer) { return; }
      var self = this, idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 0); };
      this._spareTimer = idle(function () {
        self._spareTimer = null;
        var cv = self._container;
        if (self._slots.length >= self._keep() || !cv || cv.width !== W || cv.height !== H) { return; }
        var slot = { key: null, used: 0 };
        self._pixelsFor(slot, W, H);
        slot.buf.fill(0);  // (its memory touched now: a first write to it costs as much again)
        self._slots.push(slot);
        self._spareSoon(W, H);
      }, { timeout: 1000 });
    },

    // The points of a whole redraw from list index ``from`` down to ``to`` (top one first) into
    // its pixels within the rectangles ``rects``.
    _paintIn: function (job, rects, from, to) {
      var list = job.list, on = job.on, copies = job.copies, scale = job.scale, o = job.o, m = job.m, mx = this._mx, my = this._my;
      var buf = job.slot.buf, done = job.slot.done, Wd = job.Wd, W = job.W, sx = job.sx, sy = job.sy, stampOf = job.stampOf;
      rects = rects.filter(nonEmpty);  // (a view of no size)
      var nr = rects.length;
      if (!nr) { return; }
      for (var j = from; j >= to; j--) {
        var i = list[j], st = stampOf(i), px = st.px || pixelsOf(st);
        var X = (Math.round(scale * mx[i]) - copies[on[j]].x - st.half - sx) * m, Y = (Math.round(scale * my[i]) - o.y - st.half - sy) * m;
        for (var k = 0; k < nr; k++) { under(buf, W, X, Y, px, done, Wd, rects[k]); }
      }
    },

    // When the page is idle (between frames, after the one showing the view), a step more. The
    // margin of the picture shown, then the views of the zooms either side painted ahead
    // (point_ahead.js), go on in short slices between frames, idle or not: a page kept busy just
    // after a large map appeared had its idle time come seldom, a step of 4,000 points each time,
    // and a zoom step 300 ms on found its view a fifth painted (the rest painted in its own frame,
    // 40-60 ms); a click there (any change of a point) paints the shown picture's margin first.
    _marginSoon: function () {
      var first = this._jobs && this._jobs[0];
      if (first && (first.slot === this._shown || (first.ahead && first.rest))) {
        if (this._viewTimer) { return; }
        var me = this;
        this._viewTimer = setTimeout(function () {
          me._viewTimer = null;
          if (me._jobs && me._jobs.length) { me._marginStep(me._jobs[0], VIEW_SLICE_MS, VIEW_STEP_POINTS); }
        }, 0);
        return;
      }
      if (this._marginTimer) { return; }
      var self = this, idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 0); };
      this._marginTimer = idle(function (deadline) {
        self._marginTimer = null;
        var budget = deadline && deadline.timeRemaining ? Math.max(4, deadline.timeRemaining()) : 8;
        if (self._jobs && self._jobs.length) { self._marginStep(self._jobs[0], budget); }
      }, { timeout: 200 });
    },

    // The margin painted for up to ``budget`` ms (then the rest after the next task, so frames go
    // on), ``step`` points (STEP_POINTS) at a time from the top one down, and shown. (A picture
    // painted ahead paints its view first, ``rest`` its margin: point_ahead.js.)
    _marginStep: function (job, budget, step) {
      var t0 = performance.now(), n = step || STEP_POINTS;
      do {
        var to = Math.max(0, job.next - (n - 1));
        this._paintIn(job, job.strips, job.next, to);
        job.next = to - 1;
        if (job.next < 0 && job.rest) { this._aheadViewDone(job); break; }  // (its margin after the others)
      } while (job.next >= 0 && performance.now() - t0 < budget);
      if (job.next < 0) {
        job.slot.whole = true;
        this._jobs = this._jobs.filter(function (j) { return j !== job; });
        if (job.ahead) { this._aheadDone(job); } else { this._aheadSoon(); }  // (once no margin is left to paint)
      }
      if (this._jobs.length) { this._marginSoon(); }
      // (shown: the strips painted so far put on the canvas, all of them each time; a margin in
      // slices of a few ms puts them every SHOW_EVERY_MS and once it is whole, not every slice)
      if (job.slot === this._shown && (!step || job.next < 0 || performance.now() - (job.shownAt || 0) >= SHOW_EVERY_MS)) {
        job.shownAt = performance.now();
        this._showStrips(job);
      }
    },

    // The margin of the last whole redraw painted and shown now (if any of it is still to do):
    // before a part is redrawn over it, or whenever the whole picture is wanted at once.
    finishMargin: function () {
      var job = this._jobOf(this._shown);
      if (job) { this._marginStep(job, Infinity); }
    },

    // The margin still to paint of a kept picture (none: it is whole, or out of date).
    _jobOf: function (slot) {
      return slot ? (this._jobs || []).filter(function (j) { return j.slot === slot; })[0] : null;
    },

    // The margin of a whole redraw (its strips, as far as painted) onto the canvas, and the points
    // in front over it again (putting pixels replaced theirs there), and any point changed since
    // it was begun (a picture painted ahead goes on through a change of a few points).
    _showStrips: function (job) {
      var b = this._bounds, cv = this._container, ctx = this._ctx, strips = job.strips;
      var o = this._map && this._map.getPixelOrigin();  // (where the canvas is, in the map's own pixels)
      if (!o || !b || b.min.x + o.x !== job.sx + job.o.x || b.min.y + o.y !== job.sy + job.o.y ||
          cv.width !== job.W || cv.height !== job.H) {
        return;  // the canvas has moved on since (its picture is kept, whole, for a way back)
      }
      strips.forEach(function (r) { ctx.putImageData(job.slot.img, 0, 0, r[0], r[1], r[2] - r[0], r[3] - r[1]); });
      if (this._front.length) {
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.beginPath();
        strips.forEach(function (r) { ctx.rect(r[0], r[1], r[2] - r[0], r[3] - r[1]); });
        ctx.clip();
        ctx.setTransform(job.m, 0, 0, job.m, -job.sx * job.m, -job.sy * job.m);  // (as the canvas draws)
        this._putFront(job.put);
        ctx.restore();
      }
      // the points changed since it was begun: their boxes drawn whole (front points and all) where
      // they meet the strips just put (elsewhere they were drawn when the picture was shown)
      var changed = this._changedSince(job.slot.version), m = job.m;
      if (changed && changed.length) {
        this._drawAnew(changed, strips.map(function (r) {
          return L.bounds(L.point(b.min.x + r[0] / m, b.min.y + r[1] / m), L.point(b.min.x + r[2] / m, b.min.y + r[3] / m));
        }));
      }
    }
  };
})(window.SitMap);
