/* The point layer's next zooms painted ahead (point_layer.js): once the view's picture is painted,
 * the pictures a zoom step in and out about the middle of the view would paint (a zoom button, +
 * and - on the keyboard) are painted into kept pictures of their own, a slice at a time between
 * frames, so that step shows a picture at once, as a zoom back to a zoom already seen does. Their
 * views come right after the view's own margin (the zoom in's, then the zoom out's), before the
 * other margins (theirs among them). A zoom that comes before its picture's margin is done shows
 * its view, and its margin goes on being painted, as after a whole redraw. A zoom about another
 * point (the wheel, a double-click) paints as before. Methods of the layer (S.pointAhead, mixed
 * into S.PointLayer). Loaded after point_pictures.js, before point_layer.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var AHEAD_FROM = 10000;  // points from which the next zooms are painted ahead
  var nonEmpty = S.pointPaint.nonEmpty, outside = S.pointPaint.outside, viewIn = S.pointPaint.viewIn;

  S.pointAhead = {
    // Whether this layer paints the zooms either side ahead (enough points, on a page one zooms).
    _aheadOn: function () {
      return this._n >= (this.options.aheadFrom === undefined ? AHEAD_FROM : this.options.aheadFrom);
    },

    // After the view's picture is painted (a whole redraw's view, or a kept picture shown): the
    // zooms either side painted, their views after the view's own margin, before other margins.
    _aheadSoon: function () {
      if (!this._aheadOn() || !this._map || this._aheadTimer) { return; }
      var self = this, idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 0); };
      // (begun as soon as the margin's next step would be: on a page kept busy, a zoom's view
      // waited up to a second while the margins went on at their 200 ms)
      this._aheadTimer = idle(function () {
        self._aheadTimer = null;
        self._aheadNext();
      }, { timeout: 200 });
    },

    // Where the picture of zoom z about the view's middle would be: the key a whole redraw there
    // gives it (as Leaflet places the pixel origin and the canvas after such a zoom), with the
    // pixel origin and the canvas's bounds in layer pixels; null when that zoom is not there.
    _aheadPlace: function (z) {
      var map = this._map;
      if (z < map.getMinZoom() || z > map.getMaxZoom()) { return null; }
      var size = map.getSize(), p = this.options.padding, m = L.Browser.retina ? 2 : 1;
      var o = map.project(map.getCenter(), z)._subtract(size.divideBy(2))._round();
      var min = size.multiplyBy(-p).round(), max = min.add(size.multiplyBy(1 + p * 2)).round();
      var W = m * (max.x - min.x), H = m * (max.y - min.y);
      return { key: [z, min.x + o.x, min.y + o.y, W, H, m].join('|'), o: o, min: min, max: max, W: W, H: H, m: m, z: z };
    },

    // The next zoom not kept yet (one step in, then one out) begun as a job (its view painted in
    // slices between frames, its margin while idle), once no zoom's view is being painted (one
    // is: it goes on next).
    _aheadNext: function () {
      var map = this._map, cv = this._container;
      if (!map || !cv || map._animatingZoom || !this._aheadOn()) { return; }
      var z = map.getZoom(), slots = this._slots || [];
      for (var dz = 1; dz >= -1; dz -= 2) {
        var at = this._aheadPlace(z + dz);
        if (!at || at.W !== cv.width || at.H !== cv.height) { continue; }
        var kept = slots.filter(function (sl) { return sl.key === at.key; })[0];
        // (a picture of a few points ago is still good: a redraw showing it draws them anew, as
        // it does any kept picture's; a selection made meanwhile does not cost it. [] is no change.)
        if (kept && kept.whole && this._changedSince(kept.version)) { continue; }
        if (this._noPointsAt(at.key)) { continue; }
        // (a job painting that picture: one ahead, or a whole redraw's margin still to paint)
        var going = (this._jobs || []).filter(function (j) { return j.ahead === at.key; })[0] || this._jobOf(kept);
        if (going && going.rest) {  // (its view still being painted: next, after the view's own margin)
          this._jobs = this._nextAfterOwn(going, this._jobs.filter(function (j) { return j !== going; }));
          this._marginSoon();
          return;
        }
        if (going) { continue; }  // (its view painted, its margin to come: the other zoom's view before it)
        this._aheadJob(at);
        return;
      }
    },

    // Whether the place ``key`` was found to have no point to paint ahead (``mark``: it was just
    // found so), as the points are now: a change of any point looks again.
    _noPointsAt: function (key, mark) {
      var v = this._version || 0, none = this._aheadNone;
      if (!none || none.v !== v) { none = this._aheadNone = { v: v, keys: Object.create(null) }; }
      if (mark) { none.keys[key] = true; }
      return !!none.keys[key];
    },

    // A job painting the whole picture of that place into a kept picture of its own, its view
    // first (its key set once that is painted: until then no redraw takes it), before the margins
    // still to paint of pictures kept for a way back.
    _aheadJob: function (at) {
      var shown = this._shown, slots = this._slots || [], jobs = this._jobs || [], map = this._map, z = map.getZoom();
      // its own picture if there is one; else a picture of none (made ahead for memory), a new
      // one, or the one used longest ago: never the one shown, the view shown before it (the way
      // back), one being painted, or one of the zooms either side of this view
      var near = [z - 1, z + 1].map(function (k) { var p = this._aheadPlace(k); return p && p.key; }, this);
      var back = this._wayBack;
      var free = function (sl) {
        return sl !== shown && sl !== back && near.indexOf(sl.key) < 0 && !jobs.some(function (j) { return j.slot === sl; });
      };
      var slot = slots.filter(function (sl) { return sl.key === at.key; })[0] ||
                 slots.filter(function (sl) { return !sl.key && free(sl); })[0];
      var grow = !slot && slots.length < this._keep();  // (a new one, made once there is something to paint)
      slot = slot || (grow ? null : slots.filter(free).sort(function (x, y) { return x.used - y.used; })[0]);
      if (!grow && (!slot || slot === shown)) { return; }
      var scale = map.options.crs.scale(at.z), reach = this._reach || 8;
      var x0 = at.min.x - reach, x1 = at.max.x + reach, copies = this._copiesIn(x0, x1, scale, at.o);
      var listed = this._listAll(x0, at.min.y - reach, x1, at.max.y + reach, scale, copies);
      if (!listed) {  // no point there but those in front: nothing to keep (a redraw there costs nothing)
        this._noPointsAt(at.key, true);
        this._aheadSoon();  // (the other zoom)
        return;
      }
      if (grow) { slots.push(slot = {}); }
      var Wd = this._pixelsFor(slot, at.W, at.H);
      if (!slot.clean) { slot.buf.fill(0); slot.done.fill(0); }
      slot.clean = false;
      slot.key = null;
      slot.whole = false;
      slot.version = this._version || 0;
      slot.used = 0;  // (first to go if a redraw needs a picture before this one is done; kept once done)
      var size = map.getSize(), stampOf = this._stampOf(at.m), all = [0, 0, at.W, at.H];
      var view = viewIn(L.point(-at.min.x, -at.min.y), L.point(size.x - at.min.x, size.y - at.min.y), at.W, at.H, at.m);
      var job = { slot: slot, list: this._list.slice(0, listed), on: this._copyOf.slice(0, listed), copies: copies,
                  stampOf: stampOf, put: this._putter(stampOf, scale, copies), scale: scale, o: at.o, m: at.m,
                  sx: at.min.x, sy: at.min.y, Wd: Wd, W: at.W, H: at.H, strips: [view].filter(nonEmpty),
                  rest: outside(all, view), next: listed - 1, ahead: at.key };
      this._jobs = this._nextAfterOwn(job, jobs);
      this._marginSoon();
    },

    // ``jobs`` with ``job`` next: first, or after the margin of the picture shown, if it has one
    // still to paint (a click, any change of a point, has it painted at once: sooner is cheaper).
    // (The picture shown may be a zoom painted ahead, its margin still to paint; a job painting a
    // view ahead is never the one shown: a zoom to it paints the rest of its view first.)
    _nextAfterOwn: function (job, jobs) {
      var shown = this._shown, own = shown && jobs.length && jobs[0].slot === shown && !jobs[0].rest ? 1 : 0;
      return jobs.slice(0, own).concat([job], jobs.slice(own));
    },

    // A job painting a zoom ahead whose view is painted: kept for a zoom to it, its margin after
    // every other margin to paint, and the other zoom's view before them.
    _aheadViewDone: function (job) {
      job.strips = job.rest;
      job.rest = null;
      job.next = job.list.length - 1;
      this._jobs = this._jobs.filter(function (j) { return j !== job; }).concat([job]);
      this._aheadKeep(job);
      this._aheadSoon();
    },

    // A whole redraw of place ``key`` while its picture is being painted ahead, its view not yet
    // whole: the rest of that view painted now (the points painted already are not painted
    // again, nor listed), and the picture kept (null: no such job, or too much changed since).
    _aheadNow: function (key) {
      var job = (this._jobs || []).filter(function (j) { return j.ahead === key && j.rest; })[0];
      if (!job || !this._changedSince(job.slot.version)) { return null; }
      this._paintIn(job, job.strips, job.next, 0);
      this._aheadViewDone(job);
      return job.slot.key === key ? job.slot : null;
    },

    // A job's view painted (_aheadViewDone), and again once it is whole: a picture
    // painted ahead is kept under its place's key if at most a few points changed meanwhile (each
    // drawn anew when it is shown).
    _aheadKeep: function (job) {
      if (this._changedSince(job.slot.version)) {  // (null: too many changes since it was begun)
        var key = job.ahead;
        (this._slots || []).forEach(function (sl) { if (sl.key === key && sl !== job.slot) { sl.key = null; } });
        job.slot.key = key;
        job.slot.used = this._uses = (this._uses || 0) + 1;
      }
    },

    // A job painted to its end: kept, then the next zoom.
    _aheadDone: function (job) {
      this._aheadKeep(job);
      this._aheadSoon();
    }
  };
})(window.SitMap);
