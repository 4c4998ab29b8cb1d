/* What a briefing page tells the exporter and the tests (loaded after briefing.js): where a
 * place lands on the page, what the basemap holds at points nothing covers (compared with the
 * captured frame, viewer/ui/capture.py), and the boxes of the composition's parts. Adds to
 * SitMap.briefing only; reads the page, changes nothing on it. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var b = S.briefing;
  if (!b || !b.config || !S.app) { return; }

  // For tests and the exporter: where a lat/lng lands on the page, in CSS px.
  b.pagePoint = function (lat, lng) {
    var map = S.app.map;
    var p = map.latLngToContainerPoint([lat, lng]);
    var r = map.getContainer().getBoundingClientRect();
    return [r.left + map.getContainer().clientLeft + p.x, r.top + map.getContainer().clientTop + p.y];
  };

  // What the basemap holds at a few points nobody covers: its canvases, and the image tiles of a
  // raster package or online layer over them (their pixels read back through a scratch canvas).
  // The exporter compares them with the captured frame, because the compositor hands tiles
  // over one by one and an image may reach it after its layer said it had loaded.
  b.tileSamples = function () {
    var frame = S.app.map.getContainer().getBoundingClientRect();
    var out = [];
    // Tiles take no pointer events, so elementFromPoint cannot say what covers them: skip
    // the boxes of controls, labels and markers; light fills stay within the tolerance.
    var covers = Array.prototype.map.call(
      document.querySelectorAll('.leaflet-control, .leaflet-tooltip, .leaflet-marker-icon'),
      function (n) { return n.getBoundingClientRect(); });
    // Overlay canvases (many points are drawn on one): a sample is covered where they have paint.
    var overlays = Array.prototype.map.call(document.querySelectorAll('.leaflet-overlay-pane canvas'), function (c) {
      return { c: c, r: c.getBoundingClientRect(), ctx: c.getContext('2d') };
    });
    function painted(x, y) {
      return overlays.some(function (o) {
        if (!o.ctx || !o.r.width || !o.r.height || x < o.r.left || y < o.r.top || x > o.r.right || y > o.r.bottom) {
          return false;
        }
        var sx = o.c.width / o.r.width, sy = o.c.height / o.r.height;
        var px = Math.max(0, Math.floor((x - o.r.left) * sx) - 4), py = Math.max(0, Math.floor((y - o.r.top) * sy) - 4);
        var d = o.ctx.getImageData(px, py, 9, 9).data;
        for (var k = 3; k < d.length; k += 4) { if (d[k]) { return true; } }
        return false;
      });
    }
    // The map's lines and areas (Leaflet's SVG): a sample under an outline is covered, and under
    // fills that together hide the basemap more than a light one (a ring's) does. (Overlapping
    // see-through fills change the colour past the exporter's tolerance: such samples, counted as
    // basemap, never matched, and the export waited to its time limit and failed.)
    var LIGHT = 0.09;  // the most fill that still leaves the basemap's colour within that tolerance
    var shapes = [];
    Array.prototype.forEach.call(document.querySelectorAll('.leaflet-overlay-pane svg'), function (svg) {
      var m = svg.getScreenCTM && svg.getScreenCTM();
      if (!m) { return; }
      var back = m.inverse();
      Array.prototype.forEach.call(svg.querySelectorAll('path'), function (p) {
        var alpha = (p.getAttribute('fill') || 'none') === 'none' ? 0 : +(p.getAttribute('fill-opacity') || 1);
        var filled = alpha > 0;
        var stroked = (p.getAttribute('stroke') || 'none') !== 'none' && +(p.getAttribute('stroke-opacity') || 1) > 0;
        if (!filled && !stroked) { return; }
        var r = p.getBoundingClientRect(), pad = (+p.getAttribute('stroke-width') || 0) / 2 + 4;
        shapes.push({ p: p, back: back, alpha: Math.min(1, alpha), stroked: stroked,
                      l: r.left - pad, t: r.top - pad, r: r.right + pad, b: r.bottom + pad });
      });
    });
    function underShape(x, y) {
      var clear = 1;  // how much of the basemap the fills over this point let through
      for (var i = 0; i < shapes.length; i++) {
        var s = shapes[i];
        if (x < s.l || x > s.r || y < s.t || y > s.b) { continue; }
        var at = new DOMPoint(x, y).matrixTransform(s.back);
        if (s.stroked && s.p.isPointInStroke(at)) { return true; }
        if (s.alpha && s.p.isPointInFill(at)) {
          clear *= 1 - s.alpha;
          if (1 - clear > LIGHT) { return true; }
        }
      }
      return false;
    }
    function covered(x, y) {
      return covers.some(function (r) { return x >= r.left - 3 && x <= r.right + 3 && y >= r.top - 3 && y <= r.bottom + 3; })
        || painted(x, y) || underShape(x, y);
    }
    function inside(r, x, y) { return x >= r.left && x < r.right && y >= r.top && y < r.bottom; }
    // Sample points spread over a tile's box, within the frame.
    function samplePoints(r, visit) {
      for (var i = 1; i < 6; i++) {
        for (var j = 1; j < 6; j++) {
          var x = r.left + r.width * (i - 0.37) / 5;
          var y = r.top + r.height * (j - 0.41) / 5;
          if (x < frame.left + 2 || y < frame.top + 2 || x > frame.right - 2 || y > frame.bottom - 2) { continue; }
          if (!covered(x, y)) { visit(x, y); }
        }
      }
    }
    // Image tiles (drawn over the basemap canvases): where they are opaque, they are what shows.
    var images = Array.prototype.filter.call(
      document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded'),
      function (img) { return img.complete && img.naturalWidth > 0; });
    var imageBoxes = [];
    var scratch = document.createElement('canvas');
    var sctx = scratch.getContext('2d', { willReadFrequently: true });
    images.forEach(function (img) {
      var r = img.getBoundingClientRect();
      if (!r.width || !r.height) { return; }
      imageBoxes.push(r);
      scratch.width = img.naturalWidth;
      scratch.height = img.naturalHeight;
      var data;
      try {
        sctx.drawImage(img, 0, 0);
        data = sctx.getImageData(0, 0, scratch.width, scratch.height).data;
      } catch (e) {
        return;  // (an image the page may not read: not sampled)
      }
      samplePoints(r, function (x, y) {
        var k = (Math.floor((y - r.top) * scratch.height / r.height) * scratch.width +
                 Math.floor((x - r.left) * scratch.width / r.width)) * 4;
        if (data[k + 3] === 255) { out.push([x, y, data[k], data[k + 1], data[k + 2]]); }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('canvas.sitmap-basemap-tile'), function (c) {
      var r = c.getBoundingClientRect();
      var ctx = c.getContext('2d', { willReadFrequently: true });
      samplePoints(r, function (x, y) {
        if (imageBoxes.some(function (b) { return inside(b, x, y); })) { return; }
        var d = ctx.getImageData(Math.floor((x - r.left) * c.width / r.width),
          Math.floor((y - r.top) * c.height / r.height), 1, 1).data;
        out.push([x, y, d[0], d[1], d[2]]);
      });
    });
    return out;
  };

  b.regions = function () {
    function box(sel) {
      var n = document.querySelector(sel);
      if (!n || n.style.display === 'none') { return null; }
      var r = n.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height, text: n.textContent };
    }
    return {
      title: box('.sitmap-briefing-title'), subtitle: box('.sitmap-briefing-subtitle'),
      legend: box('.sitmap-legend'), scale: box('.sitmap-briefing-scale'),
      sources: box('.sitmap-briefing-sources'), credits: box('.sitmap-briefing-credits'),
      bannerTop: box('.sitmap-briefing-banner-top'), bannerBottom: box('.sitmap-briefing-banner-bottom'),
      frame: box('.folium-map'), facts: box('.sitmap-briefing-facts'),
      viewport: { width: window.innerWidth, height: window.innerHeight, dpr: window.devicePixelRatio },
      scaleInfo: b.scale
    };
  };
}(window.SitMap));
