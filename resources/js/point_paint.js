/* The point layer's pixels (point_layer.js): a circle of one style drawn once as a stamp, and a
 * whole redraw's own pixels made by copying stamps into them *under* what is there, from the top
 * point down, blending in script without a division, skipping pixels and 4x4 blocks already
 * opaque. Rectangles are [x0, y0, x1, y1). Loaded after Leaflet, before point_layer.js. */
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
  // word and alpha apart: for copying it into a whole redraw's own pixels.
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
    st.px = { w: w, rx: rx, rn: rn, ro: ro, c: new Uint32Array(c), a: new Uint8Array(a) };
    return st.px;
  }

  // Source under destination for each pair of alphas (source << 8 | destination): the alpha it
  // makes and the destination's share of its colour (of 32768), so a blend needs no division.
  var NA = new Uint8Array(65536), WD = new Uint16Array(65536);
  (function () {
    for (var sa = 0; sa < 256; sa++) {
      for (var da = 1; da < 256; da++) {
        var oa = da + sa * (255 - da) / 255;
        NA[(sa << 8) | da] = Math.min(255, Math.round(oa));
        WD[(sa << 8) | da] = Math.round(32768 * da / oa);
      }
    }
  })();

  // One stamp into a whole redraw's pixels (RGBA words, straight alpha, W wide) with its top left at
  // X, Y, *under* what is there, within the rectangle r ([x0, y0, x1, y1), its corners on the 4x4
  // blocks): a redraw paints its points from the top one down, so a pixel once opaque is done, and
  // a stamp whose blocks are all opaque is skipped at once (where thousands of points pile up,
  // most of them are). cnt/need: each block's opaque pixels and its size, Wb blocks a row.
  function under(buf, W, X, Y, p, cnt, need, Wb, r) {
    var w = p.w, cx0 = r[0], cy0 = r[1], cx1 = r[2], cy1 = r[3];
    if (X >= cx1 || Y >= cy1 || X + w <= cx0 || Y + w <= cy0) { return; }
    var bx0 = Math.max(cx0, X) >> 2, by0 = Math.max(cy0, Y) >> 2;
    var bx1 = (Math.min(cx1, X + w) - 1) >> 2, by1 = (Math.min(cy1, Y + w) - 1) >> 2;
    var full = true;
    for (var by = by0; by <= by1 && full; by++) {
      for (var bx = bx0; bx <= bx1; bx++) { if (cnt[by * Wb + bx] < need[by * Wb + bx]) { full = false; break; } }
    }
    if (full) { return; }
    var rx = p.rx, rn = p.rn, ro = p.ro, c = p.c, a = p.a;
    for (var y = Math.max(0, cy0 - Y), ye = Math.min(w, cy1 - Y); y < ye; y++) {
      var py = Y + y, n = rn[y];
      if (!n) { continue; }
      var x0 = X + rx[y], k0 = ro[y], t0 = 0, t1 = n;
      if (x0 < cx0) { t0 = cx0 - x0; }
      if (x0 + n > cx1) { t1 = cx1 - x0; }
      var row = py * W + x0, brow = (py >> 2) * Wb;
      for (var t = t0; t < t1; t++) {
        var o = row + t, d = buf[o], da = d >>> 24;
        if (da === 255) { continue; }
        var k = k0 + t, sa = a[k], sc = c[k];
        if (da === 0) {
          buf[o] = sc;
          if (sa === 255) { cnt[brow + ((x0 + t) >> 2)] += 1; }
          continue;
        }
        var q = (sa << 8) | da, wd = WD[q], ws = 32768 - wd, na = NA[q];
        var cr = ((d & 255) * wd + (sc & 255) * ws + 16384) >> 15;  // (r is the rectangle)
        var cg = (((d >>> 8) & 255) * wd + ((sc >>> 8) & 255) * ws + 16384) >> 15;
        var cb = (((d >>> 16) & 255) * wd + ((sc >>> 16) & 255) * ws + 16384) >> 15;
        buf[o] = ((na << 24) | (cb << 16) | (cg << 8) | cr) >>> 0;
        if (na === 255) { cnt[brow + ((x0 + t) >> 2)] += 1; }
      }
    }
  }

  // The parts of rectangle a ([x0, y0, x1, y1)) outside rectangle v: up to four rectangles.
  function outside(a, v) {
    var x0 = Math.max(a[0], v[0]), y0 = Math.max(a[1], v[1]), x1 = Math.min(a[2], v[2]), y1 = Math.min(a[3], v[3]);
    if (x0 >= x1 || y0 >= y1) { return [a]; }
    return [[a[0], a[1], a[2], y0], [a[0], y1, a[2], a[3]], [a[0], y0, x0, y1], [x1, y0, a[2], y1]].filter(nonEmpty);
  }

  function nonEmpty(r) { return r[0] < r[2] && r[1] < r[3]; }

  S.pointPaint = { stamp: stamp, pixelsOf: pixelsOf, under: under, outside: outside, nonEmpty: nonEmpty };
})(window.SitMap);
