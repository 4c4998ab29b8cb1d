/* The point layer's pixels (point_layer.js): a circle of one style drawn once as a stamp, and a
 * whole redraw's own pixels made by copying stamps into them *under* what is there, from the top
 * point down, blending in script without a division, skipping pixels already opaque (a bit a
 * pixel says which). Rectangles are [x0, y0, x1, y1). Loaded after Leaflet, before point_layer.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  // One circle of one style, drawn once at the canvas's pixel density: each point is a copy of it
  // (a copied bitmap costs the rasteriser far less than thousands of antialiased arcs).
  function stamp(o, m) {
    var r = Math.max(Math.round(o.radius), 1);
    var half = Math.ceil(r + (o.stroke ? o.weight / 2 : 0) + 1), size = 2 * half;
    var c = document.createElement('canvas');
    c.width = c.height = size * m;
    var ctx = c.getContext('2d');
    ctx.scale(m, m);
    ctx.beginPath();
    ctx.arc(half, half, r, 0, Math.PI * 2, false);
    if (o.fill) { ctx.globalAlpha = o.fillOpacity; ctx.fillStyle = o.fillColor || o.color; ctx.fill(); }
    if (o.stroke && o.weight !== 0) {
      ctx.globalAlpha = o.opacity; ctx.lineWidth = o.weight; ctx.strokeStyle = o.color; ctx.stroke();
    }
    return { canvas: c, half: half, size: size, m: m };
  }

  // The stamp's pixels as runs, one a row from its first pixel that is not transparent to its
  // last (offset, length, where its pixels start in c and a), colour as RGBA in one little-endian
  // word and alpha apart: for copying it into a whole redraw's own pixels. A stamp up to 32 pixels
  // wide also has, for each of 32 alignments (its left edge's column modulo 32), each row's
  // pixels as bits of the two 32-pixel words they fall in (m0 and m1, 32 * w each).
  function pixelsOf(st) {
    if (st.px) { return st.px; }
    var w = st.canvas.width, d = st.canvas.getContext('2d').getImageData(0, 0, w, w).data;
    var rx = new Int32Array(w), rn = new Int32Array(w), ro = new Int32Array(w), c = [], a = [];
    for (var y = 0; y < w; y++) {
      var x0 = -1, x1 = -1;
      for (var x = 0; x < w; x++) { if (d[4 * (y * w + x) + 3]) { if (x0 < 0) { x0 = x; } x1 = x; } }
      ro[y] = c.length;
      if (x0 < 0) { continue; }
      rx[y] = x0; rn[y] = x1 - x0 + 1;
      for (x = x0; x <= x1; x++) {
        var k = 4 * (y * w + x);
        a.push(d[k + 3]);
        c.push(((d[k + 3] << 24) | (d[k + 2] << 16) | (d[k + 1] << 8) | d[k]) >>> 0);
      }
    }
    st.px = { w: w, rx: rx, rn: rn, ro: ro, c: new Uint32Array(c), a: new Uint8Array(a), m0: null, m1: null };
    if (w <= 32) {  // each row's pixels as bits of the two words they fall in, for each of 32 alignments
      var m0 = st.px.m0 = new Int32Array(32 * w), m1 = st.px.m1 = new Int32Array(32 * w);
      for (var al = 0; al < 32; al++) {
        for (y = 0; y < w; y++) {
          for (x = rx[y]; x < rx[y] + rn[y]; x++) {
            var b = al + x;
            if (b < 32) { m0[al * w + y] |= 1 << b; } else { m1[al * w + y] |= 1 << (b - 32); }
          }
        }
      }
    }
    return st.px;
  }

  // A pixel this opaque is done: what lies under it would change none of its colours by more than
  // 3 of 255 (a fill of 0.9 is done under two points, not four).
  var OPAQUE = 252;

  // Source under destination for each pair of alphas (source << 8 | destination): the alpha it
  // makes and the destination's share of its colour (of 32768), so a blend needs no division.
  // Made when a redraw first paints under a point (3 ms of every page's start when made as the
  // script ran, for a briefing or a small map that never paints a point layer).
  var NA = null, WD = null;
  function makeTables() {
    NA = new Uint8Array(65536);
    WD = new Uint16Array(65536);
    for (var sa = 0; sa < 256; sa++) {
      for (var da = 1; da < 256; da++) {
        var oa = da + sa * (255 - da) / 255;
        NA[(sa << 8) | da] = Math.min(255, Math.round(oa));
        WD[(sa << 8) | da] = Math.round(32768 * da / oa);
      }
    }
  }

  // One stamp into a whole redraw's pixels (RGBA words, straight alpha, W wide) with its top left at
  // X, Y, *under* what is there, within the rectangle r ([x0, y0, x1, y1)): a redraw paints its
  // points from the top one down, so a pixel once opaque is done. ``done`` marks those, a bit a
  // pixel, Wd words a row (and one word more): each row of the stamp visits only the pixels not
  // yet done (where thousands of points pile up, most of them are), found 32 at a time.
  function under(buf, W, X, Y, p, done, Wd, r) {
    var w = p.w, cx0 = r[0], cy0 = r[1], cx1 = r[2], cy1 = r[3];
    if (X >= cx1 || Y >= cy1 || X + w <= cx0 || Y + w <= cy0) { return; }
    if (NA === null) { makeTables(); }
    var rx = p.rx, rn = p.rn, ro = p.ro, c = p.c, a = p.a, drow;
    if (p.m0 && X >= cx0 && Y >= cy0 && X + w <= cx1 && Y + w <= cy1) {  // (all of it inside r)
      var M0 = p.m0, M1 = p.m1, base = (X & 31) * w, wi = X >> 5;
      for (var yy = 0; yy < w; yy++) {
        drow = (Y + yy) * Wd + wi;
        var f0 = M0[base + yy] & ~done[drow], f1 = M1[base + yy] & ~done[drow + 1];
        if ((f0 | f1) === 0) { continue; }
        var row = (Y + yy) * W, kx = ro[yy] - X - rx[yy];
        if (f0 !== 0) { blend(buf, done, drow, f0, wi << 5, row, kx, c, a); }
        if (f1 !== 0) { blend(buf, done, drow + 1, f1, (wi + 1) << 5, row, kx, c, a); }
      }
      return;
    }
    for (var ye = Math.min(w, cy1 - Y), y = Math.max(0, cy0 - Y); y < ye; y++) {
      var n = rn[y];
      if (!n) { continue; }
      var x0 = X + rx[y], xa = x0 > cx0 ? x0 : cx0, xb = x0 + n < cx1 ? x0 + n - 1 : cx1 - 1;
      if (xa > xb) { continue; }
      drow = (Y + y) * Wd;
      for (var wj = xa >> 5, we = xb >> 5; wj <= we; wj++) {
        var lo = wj === (xa >> 5) ? xa & 31 : 0, hi = wj === we ? xb & 31 : 31;
        var free = ~done[drow + wj] & ((-1 << lo) & (-1 >>> (31 - hi)));
        if (free !== 0) { blend(buf, done, drow + wj, free, wj << 5, (Y + y) * W, ro[y] - x0, c, a); }
      }
    }
  }

  // The pixels of one word of ``done`` whose bits are set in ``free`` (pixel x0 + bit of the row
  // starting at buf[row]): the stamp's pixel k = kx + x under each, marked done once opaque.
  function blend(buf, done, di, free, x0, row, kx, c, a) {
    while (free !== 0) {
      var bit = free & -free, x = x0 + 31 - Math.clz32(bit);
      free ^= bit;
      var o = row + x, d = buf[o], da = d >>> 24, k = kx + x, sa = a[k], sc = c[k];
      if (da === 0) {
        buf[o] = sc;
        if (sa >= OPAQUE) { done[di] |= bit; }
        continue;
      }
      var q = (sa << 8) | da, wd = WD[q], ws = 32768 - wd, na = NA[q];
      var cr = ((d & 255) * wd + (sc & 255) * ws + 16384) >> 15;
      var cg = (((d >>> 8) & 255) * wd + ((sc >>> 8) & 255) * ws + 16384) >> 15;
      var cb = (((d >>> 16) & 255) * wd + ((sc >>> 16) & 255) * ws + 16384) >> 15;
      buf[o] = ((na << 24) | (cb << 16) | (cg << 8) | cr) >>> 0;
      if (na >= OPAQUE) { done[di] |= bit; }
    }
  }

  // The parts of rectangle a ([x0, y0, x1, y1)) outside rectangle v: up to four rectangles.
  function outside(a, v) {
    var x0 = Math.max(a[0], v[0]), y0 = Math.max(a[1], v[1]), x1 = Math.min(a[2], v[2]), y1 = Math.min(a[3], v[3]);
    if (x0 >= x1 || y0 >= y1) { return [a]; }
    return [[a[0], a[1], a[2], y0], [a[0], y1, a[2], a[3]], [a[0], y0, x0, y1], [x1, y0, a[2], y1]].filter(nonEmpty);
  }

  function nonEmpty(r) { return r[0] < r[2] && r[1] < r[3]; }

  // The view's rectangle of a canvas's pixels (W x H, m a layer pixel): the view from layer pixel
  // v0 to v1 (points, relative to the canvas's top left), whole pixels outward, within the canvas.
  function viewIn(v0, v1, W, H, m) {
    var al = function (c, lim, up) { return Math.max(0, Math.min(lim, up ? Math.ceil(c * m) : Math.floor(c * m))); };
    return [al(v0.x, W, false), al(v0.y, H, false), al(v1.x, W, true), al(v1.y, H, true)];
  }

  // Where a canvas keeps a whole picture of the place ``key`` (the point layer's and the shared
  // canvas's pictures for a way back): that place's slot (one picture a place), else one holding
  // no place's picture (its pixels made ahead, or given up), a new one while there are fewer than
  // ``max`` (made by ``make``), else the one used longest ago; none of those in ``busy`` while
  // another will do.
  function slotFor(slots, key, max, make, busy) {
    var free = function (sl) { return !busy || busy.indexOf(sl) < 0; };
    var slot = slots.filter(function (sl) { return sl.key === key; })[0] ||
               slots.filter(function (sl) { return !sl.key && free(sl); })[0];
    if (!slot && slots.length < max) { slots.push(slot = make()); }
    if (slot) { return slot; }
    var old = slots.slice().sort(function (x, y) { return x.used - y.used; });
    return old.filter(free)[0] || old[0];
  }

  S.pointPaint = { stamp: stamp, pixelsOf: pixelsOf, under: under, outside: outside, nonEmpty: nonEmpty, viewIn: viewIn,
                   slotFor: slotFor };
})(window.SitMap);
