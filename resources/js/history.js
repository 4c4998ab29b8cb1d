/* Launch history layer: every past launch at its site, with its estimated track, drawn on one
 * canvas in batches (one path per class and style), filtered here in the page from columns of
 * typed arrays. The window's page fetches them once per data set as one binary blob through
 * sitmap:// (viewer/render/history_payload.py); a briefing page carries the compact JSON list
 * instead. A filter or time-slider change is one small call.
 * Text from the data is only ever set with textContent. Loaded after sitmap.js; adds nothing
 * global but SitMap.history. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var H = S.history = {
    data: null, on: false, wantOn: false, loading: 0, filter: {}, shown: [], selected: null, lastDrawMs: 0,
    draws: 0, caption: '', loadMs: 0
  };
  // Columns of one launch row of the JSON form (viewer/model/history.py page_data).
  var ID = 0, T = 1, YEAR = 2, SYS = 3, SITE = 4, CLS = 5, OUT = 6, DIST = 7, LAT = 8, LON = 9, TRACK = 10;
  var SUCCESS = 0, FAILURE = 1;
  var MANY = 2000;  // above this many launches shown, tracks are drawn thin and solid

  function app() { return S.app; }

  var el = S.dom.el;

  /* --- the data as columns, projected once per data set ------------------------------ */
  // Web Mercator pixels at zoom 0 (as L.CRS.EPSG3857 at zoom 0); a redraw only scales and shifts them.
  var MAX_LAT = 85.0511287798, RAD = Math.PI / 180;
  function projectInto(out, k, lat, lon) {
    var la = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * RAD;
    out[k] = (lon + 180) / 360 * 256;
    out[k + 1] = (0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI)) * 256;
  }

  // The binary blob -> {meta, n, t, year, sys, site, cls, out, dist, trackStart, track}.
  function fromBlob(buffer) {
    var len = new DataView(buffer).getUint32(0, true);
    var meta = JSON.parse(new TextDecoder('utf-8').decode(new Uint8Array(buffer, 4, len)));
    var d = { meta: meta, n: meta.ids.length }, off = 4 + len;
    var types = { f64: [Float64Array, 8], f32: [Float32Array, 4], i32: [Int32Array, 4] };
    meta.columns.forEach(function (c) {
      off += (8 - off % 8) % 8;
      var T = types[c[1]];
      d[c[0]] = new T[0](buffer, off, c[2]);
      off += c[2] * T[1];
    });
    return d;
  }

  // The JSON form a briefing page carries -> the same columns.
  function fromRows(data) {
    var rows = data.launches, n = rows.length, i, j, total = 0;
    var siteRows = [], siteAt = {};
    for (i = 0; i < n; i++) { total += rows[i][TRACK].length / 2; }
    var d = { n: n, t: new Float64Array(n), year: new Int32Array(n), sys: new Int32Array(n), site: new Int32Array(n),
      cls: new Int32Array(n), out: new Int32Array(n), dist: new Float32Array(n), trackStart: new Int32Array(n + 1),
      track: new Float32Array(total * 2) };
    var k = 0;
    for (i = 0; i < n; i++) {
      var r = rows[i];
      d.t[i] = r[T]; d.year[i] = r[YEAR]; d.sys[i] = r[SYS]; d.cls[i] = r[CLS]; d.out[i] = r[OUT]; d.dist[i] = r[DIST];
      var key = r[SITE] + '@' + r[LAT] + ',' + r[LON];  // a site's launches at one position share one entry
      if (siteAt[key] === undefined) {
        siteAt[key] = siteRows.length;
        var s0 = data.sites[r[SITE]];
        siteRows.push([s0[0], s0[1], s0[2], r[LAT], r[LON], r[SITE]]);
      }
      d.site[i] = siteAt[key];
      d.trackStart[i] = k;
      for (j = 0; j < r[TRACK].length; j += 2) { d.track[2 * k] = r[TRACK][j]; d.track[2 * k + 1] = r[TRACK][j + 1]; k++; }
    }
    d.trackStart[n] = k;
    d.meta = { name: data.name, credit: data.credit, classes: data.classes, colours: data.colours, outcomes: data.outcomes,
      bands: data.bands, systems: data.systems, sites: siteRows, ids: rows.map(function (r) { return r[ID]; }) };
    return d;
  }

  function prepare(d) {
    var n = d.n, i, m = d.meta, nSites = m.sites.length;
    var sitesXY = new Float64Array(nSites * 2);
    for (i = 0; i < nSites; i++) { projectInto(sitesXY, 2 * i, m.sites[i][3], m.sites[i][4]); }
    var sites = new Float64Array(n * 2);
    for (i = 0; i < n; i++) { sites[2 * i] = sitesXY[2 * d.site[i]]; sites[2 * i + 1] = sitesXY[2 * d.site[i] + 1]; }
    var pts = d.track.length / 2, track = new Float64Array(pts * 2);
    for (i = 0; i < pts; i++) { projectInto(track, 2 * i, d.track[2 * i], d.track[2 * i + 1]); }
    var sysIndex = {}, siteIndex = {}, byId = {};
    m.systems.forEach(function (s, idx) { sysIndex[s[0]] = [idx]; });
    m.sites.forEach(function (s, idx) { (siteIndex[s[0]] = siteIndex[s[0]] || []).push(idx); });
    for (i = 0; i < n; i++) { byId[m.ids[i]] = i; }
    // Launches with the same track in the same class (a salvo) draw it once: each names the first.
    var sameTrack = new Int32Array(n), first = {}, ts = d.trackStart, t = d.track;
    for (i = 0; i < n; i++) {
      var a = ts[i], b = ts[i + 1];
      if (b - a < 2) { sameTrack[i] = -1; continue; }
      var key = d.cls[i] + ':' + t[2 * a] + ',' + t[2 * a + 1] + ':' + t[2 * b - 2] + ',' + t[2 * b - 1] + ':' + (b - a);
      sameTrack[i] = first[key] === undefined ? (first[key] = i) : first[key];
    }
    return { sites: sites, track: track, trackStart: d.trackStart, sysIndex: sysIndex, siteIndex: siteIndex, byId: byId,
      sameTrack: sameTrack, trackDrawn: new Int32Array(n), stamp: 0 };
  }

  /* --- filtering (the same rules as HistoryFilter.matches in Python) --------------------- */
  function setOf(list, index) {
    if (!list || !list.length) { return null; }
    var s = {};
    list.forEach(function (v) {
      if (index) { (index[v] || []).forEach(function (k) { s[k] = true; }); } else { s[v] = true; }
    });
    return s;
  }

  function inBand(dist, band) {
    var lo = band[0], hi = band[1];
    if (lo === null) { return dist < 0; }
    if (dist < 0) { return false; }
    return lo <= dist && (hi === null || dist < hi);
  }

  function applyFilter() {
    var d = H.data, m = d.meta, f = H.filter || {}, out = [];
    var systems = setOf(f.systems, H.index.sysIndex), sites = setOf(f.sites, H.index.siteIndex);
    var classes = setOf((f.classes || []).map(function (c) { return m.classes.indexOf(c); }));
    var outcomes = setOf((f.outcomes || []).map(function (o) { return m.outcomes.indexOf(o); }));
    var bands = (f.bands || []).map(function (b) { return m.bands[b]; }).filter(Boolean);
    var years = f.years, win = f.window;
    var tY = d.year, tS = d.sys, tC = d.cls, tP = d.site, tO = d.out, tD = d.dist, tT = d.t;
    for (var i = 0; i < d.n; i++) {
      if (years && (tY[i] < years[0] || tY[i] > years[1])) { continue; }
      if (systems && !systems[tS[i]]) { continue; }
      if (classes && !classes[tC[i]]) { continue; }
      if (sites && !sites[tP[i]]) { continue; }
      if (outcomes && !outcomes[tO[i]]) { continue; }
      if (bands.length && !bands.some(function (b) { return inBand(tD[i], b); })) { continue; }
      if (win && (tT[i] < win[0] || tT[i] > win[1])) { continue; }
      out.push(i);
    }
    H.shown = out;
  }

  // Scenario features with a time: shown only when one of their times is in the window.
  function applyWindowToFeatures() {
    var timed = H.timedFeatures || {}, win = (H.filter || {}).window, a = app();
    Object.keys(timed).forEach(function (id) {
      var f = a.features[id];
      if (!f) { return; }
      var visible = !win || timed[id].some(function (t) { return t >= win[0] && t <= win[1]; });
      if (f.point) { f.setVisible(visible); return; }  // a point of the point layer hides itself
      var group = a.groups[f.data.group] || a.map;
      var has = group.hasLayer(f.layer);
      if (visible && !has) { group.addLayer(f.layer); } else if (!visible && has) { group.removeLayer(f.layer); }
    });
  }

  /* --- the canvas layer ------------------------------------------------------------------ */
  var HistoryLayer = L.Layer.extend({
    onAdd: function (map) {
      if (!map.getPane('sitmapHistory')) {
        var pane = map.createPane('sitmapHistory');
        pane.style.zIndex = 450;  // above shapes (400), below markers and labels (600+)
        pane.style.pointerEvents = 'none';
      }
      this._canvas = L.DomUtil.create('canvas', 'sitmap-history-canvas');
      map.getPane('sitmapHistory').appendChild(this._canvas);
      map.on('moveend zoomend resize viewreset', this._redraw, this);
      map.on('zoomstart', this._hide, this);
      map.on('click', this._click, this);
      map.on('mousemove', this._hover, this);
      this._redraw();
    },
    onRemove: function (map) {
      map.off('moveend zoomend resize viewreset', this._redraw, this);
      map.off('zoomstart', this._hide, this);
      map.off('click', this._click, this);
      map.off('mousemove', this._hover, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
      hideTip();
    },
    _hide: function () { if (this._canvas) { this._canvas.style.visibility = 'hidden'; } },
    _redraw: function () { if (this._canvas) { draw(this._map, this._canvas); this._canvas.style.visibility = ''; } },
    _click: function (e) {
      if (S.draw && S.draw.tool) { return; }  // a drawing tool owns the clicks
      var i = hit(e.containerPoint || this._map.latLngToContainerPoint(e.latlng));
      if (i < 0) { return; }
      H.select(H.data.meta.ids[i], false);
      app().send('historyClicked', H.data.meta.ids[i]);
    },
    _hover: function (e) {
      var pt = e.containerPoint || this._map.latLngToContainerPoint(e.latlng);
      var i = hit(pt);
      if (i < 0) { hideTip(); return; }
      showTip(i, pt);
    }
  });

  function view(map) {
    var scale = Math.pow(2, map.getZoom());  // zoom-0 pixels to this zoom's
    var origin = map.getPixelOrigin(), pane = map.layerPointToContainerPoint(L.point(0, 0));
    return { scale: scale, dx: -origin.x + pane.x, dy: -origin.y + pane.y };
  }

  function draw(map, canvas) {
    var t0 = performance.now();
    var size = map.getSize(), ratio = window.devicePixelRatio || 1;
    var topLeft = map.containerPointToLayerPoint([0, 0]);
    L.DomUtil.setPosition(canvas, topLeft);
    if (canvas.width !== Math.round(size.x * ratio) || canvas.height !== Math.round(size.y * ratio)) {
      canvas.width = Math.round(size.x * ratio);
      canvas.height = Math.round(size.y * ratio);
      canvas.style.width = size.x + 'px';
      canvas.style.height = size.y + 'px';
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    var d = H.data, colours = d.meta.colours, idx = H.index, v = view(map), shown = H.shown;
    var k, i, j, x, y;
    var w = size.x, h = size.y, m = 20, many = shown.length > MANY;
    // Paths of one style are filled or stroked together, a few hundred shapes at a time: one
    // state change per batch, and small paths (the rasteriser's cost grows faster than a path).
    var batches = {};
    function batch(key, paint) {
      var b = batches[key];
      if (!b) { b = batches[key] = { path: new Path2D(), n: 0, paint: paint }; }
      if (++b.n > 256) { b.paint(b.path); b.path = new Path2D(); b.n = 1; }
      return b.path;
    }
    function flushAll() {
      Object.keys(batches).forEach(function (key) { var b = batches[key]; if (b.n) { b.paint(b.path); } });
      batches = {};
    }
    function trackPaint(colour) {
      return function (path) {
        // Tracks are estimates: dashed. Beyond MANY the dashes cost more than they tell; the
        // legend says the tracks are estimated either way.
        ctx.setLineDash(many ? [] : [5, 4]);
        ctx.globalAlpha = many ? 0.35 : 0.6;
        ctx.lineWidth = many ? 1 : 1.6;
        ctx.strokeStyle = colour;
        ctx.stroke(path);
      };
    }
    function endPaint(colour) {
      return function (path) {
        ctx.setLineDash([]); ctx.globalAlpha = 0.9; ctx.lineWidth = 1.2; ctx.strokeStyle = colour; ctx.stroke(path);
      };
    }
    function markerPaint(colour, outcome) {
      return function (path) {
        ctx.setLineDash([]);
        if (outcome === SUCCESS) {
          ctx.globalAlpha = 1; ctx.fillStyle = colour; ctx.fill(path);
          ctx.strokeStyle = '#1a1a1a'; ctx.lineWidth = 0.8; ctx.stroke(path);
        } else if (outcome === FAILURE) {
          ctx.globalAlpha = 1; ctx.fillStyle = '#ffffff'; ctx.fill(path);
          ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.stroke(path);
        } else {
          ctx.globalAlpha = 0.45; ctx.fillStyle = colour; ctx.fill(path);
        }
      };
    }
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    // What lands on the same pixels in the same style is drawn once: launches of one salvo share
    // a track, and a site's launches one marker per class and outcome (the canvas is rasterised
    // when the frame is painted, so every shape drawn costs there too).
    var stamp = ++idx.stamp, drawn = idx.trackDrawn, nC = d.meta.classes.length, nO = d.meta.outcomes.length;
    var marked = {};
    for (j = 0; j < shown.length; j++) {  // tracks first, markers over them
      i = shown[j];
      var c = d.cls[i], a = idx.trackStart[i], b = idx.trackStart[i + 1];
      if (b - a < 2) { continue; }
      if (drawn[idx.sameTrack[i]] === stamp) { continue; }
      drawn[idx.sameTrack[i]] = stamp;
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (k = a; k < b; k++) {  // the track's box: off screen, not drawn
        x = idx.track[2 * k] * v.scale + v.dx;
        y = idx.track[2 * k + 1] * v.scale + v.dy;
        if (x < minX) { minX = x; } if (x > maxX) { maxX = x; }
        if (y < minY) { minY = y; } if (y > maxY) { maxY = y; }
      }
      if (maxX < -m || maxY < -m || minX > w + m || minY > h + m) { continue; }
      var p = batch('t' + c, trackPaint(colours[c]));
      for (k = a; k < b; k++) {
        x = idx.track[2 * k] * v.scale + v.dx;
        y = idx.track[2 * k + 1] * v.scale + v.dy;
        if (k === a) { p.moveTo(x, y); } else { p.lineTo(x, y); }
      }
      if (x > -m && y > -m && x < w + m && y < h + m) {
        var e = batch('e' + c, endPaint(colours[c]));
        e.moveTo(x + 2.5, y);
        e.arc(x, y, 2.5, 0, 2 * Math.PI);
      }
    }
    flushAll();
    for (j = 0; j < shown.length; j++) {
      i = shown[j];
      x = idx.sites[2 * i] * v.scale + v.dx;
      y = idx.sites[2 * i + 1] * v.scale + v.dy;
      if (x < -m || y < -m || x > w + m || y > h + m) { continue; }
      var mk = (d.site[i] * nC + d.cls[i]) * nO + d.out[i];
      if (marked[mk]) { continue; }
      marked[mk] = true;
      var q = batch('m' + d.cls[i] + '/' + d.out[i], markerPaint(colours[d.cls[i]], d.out[i]));
      q.moveTo(x + 4.5, y);
      q.arc(x, y, 4.5, 0, 2 * Math.PI);
    }
    flushAll();
    ctx.globalAlpha = 1;
    drawSelected(ctx, v);
    H.lastDrawMs = performance.now() - t0;
    H.draws += 1;
  }

  // Whether a shown track crosses the rectangle r (container px: {left, right, top, bottom}); the
  // tracks as drawn (labels.js moves a country's name off them).
  H.crosses = function (r) {
    var map = H.layer && H.layer._map;
    if (!H.on || !map || !H.index || !H.shown.length || H.shown.length > MANY) { return false; }
    var idx = H.index, v = view(map), meets = S.labels.segmentMeets;
    for (var j = 0; j < H.shown.length; j++) {
      var i = H.shown[j], a = idx.trackStart[i], b = idx.trackStart[i + 1];
      for (var k = a + 1; k < b; k++) {
        if (meets(idx.track[2 * k - 2] * v.scale + v.dx, idx.track[2 * k - 1] * v.scale + v.dy,
                  idx.track[2 * k] * v.scale + v.dx, idx.track[2 * k + 1] * v.scale + v.dy, r)) { return true; }
      }
    }
    return false;
  };

  // Points along the shown tracks, every few pixels, and at each launch site shown: ``push(x, y)``
  // in container px, at most ``limit`` of them (spread over all the tracks). The briefing's legend
  // keeps off the corner they crowd (briefing.js featureSamples).
  H.samplePoints = function (push, limit) {
    var map = H.layer && H.layer._map;
    if (!H.on || !map || !H.index || !H.shown.length) { return; }
    var idx = H.index, v = view(map), size = map.getSize(), shown = H.shown, total = 0, k, i, j;
    var segs = 0;
    for (j = 0; j < shown.length; j++) { segs += Math.max(0, idx.trackStart[shown[j] + 1] - idx.trackStart[shown[j]]); }
    var step = Math.max(6, 6 * (segs + shown.length) / Math.max(1, limit));  // (px between samples)
    function at(x, y) {
      if (x >= 0 && y >= 0 && x <= size.x && y <= size.y && total < limit) { push(x, y); total += 1; }
    }
    for (j = 0; j < shown.length && total < limit; j++) {
      i = shown[j];
      var a = idx.trackStart[i], b = idx.trackStart[i + 1];
      at(idx.sites[2 * i] * v.scale + v.dx, idx.sites[2 * i + 1] * v.scale + v.dy);
      for (k = a + 1; k < b; k++) {
        var x0 = idx.track[2 * k - 2] * v.scale + v.dx, y0 = idx.track[2 * k - 1] * v.scale + v.dy;
        var x1 = idx.track[2 * k] * v.scale + v.dx, y1 = idx.track[2 * k + 1] * v.scale + v.dy;
        var n = Math.min(200, Math.ceil(Math.sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) / step));
        for (var t = 1; t <= n; t++) { at(x0 + (x1 - x0) * t / n, y0 + (y1 - y0) * t / n); }
      }
    }
  };

  function drawSelected(ctx, v) {
    var i = H.selected === null ? undefined : H.index.byId[H.selected];
    if (i === undefined || H.shown.indexOf(i) < 0) { return; }
    var idx = H.index, a = idx.trackStart[i], b = idx.trackStart[i + 1];
    var colour = H.data.meta.colours[H.data.cls[i]];
    if (b - a >= 2) {
      ctx.beginPath();
      for (var k = a; k < b; k++) {
        var x = idx.track[2 * k] * v.scale + v.dx, y = idx.track[2 * k + 1] * v.scale + v.dy;
        if (k === a) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
      }
      ctx.setLineDash([7, 4]);
      ctx.globalAlpha = 1;
      ctx.lineWidth = 5;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      ctx.lineWidth = 3;
      ctx.strokeStyle = colour;
      ctx.stroke();
      ctx.setLineDash([]);
    }
    var sx = idx.sites[2 * i] * v.scale + v.dx, sy = idx.sites[2 * i + 1] * v.scale + v.dy;
    ctx.beginPath();
    ctx.arc(sx, sy, 8, 0, 2 * Math.PI);
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#111111';
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(sx, sy, 5, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
  }

  // The shown launch nearest the pointer (its site or its estimated landing), within 8 px;
  // at a site with many launches, the latest.
  function hit(pt) {
    if (!H.data || !H.layer || !H.layer._map) { return -1; }
    var v = view(H.layer._map), idx = H.index, best = -1, bestD = 64;
    for (var j = 0; j < H.shown.length; j++) {
      var i = H.shown[j];
      var dx = idx.sites[2 * i] * v.scale + v.dx - pt.x, dy = idx.sites[2 * i + 1] * v.scale + v.dy - pt.y;
      var dd = dx * dx + dy * dy;
      var e = idx.trackStart[i + 1] - 1;
      if (e > idx.trackStart[i]) {
        var ex = idx.track[2 * e] * v.scale + v.dx - pt.x, ey = idx.track[2 * e + 1] * v.scale + v.dy - pt.y;
        dd = Math.min(dd, ex * ex + ey * ey);
      }
      if (dd <= bestD) { bestD = dd; best = i; }
    }
    return best;
  }

  /* --- hover tip and legend ---------------------------------------------------------------- */
  function hideTip() { if (H.tip) { H.tip.style.display = 'none'; } }

  function showTip(i, pt) {
    var map = app().map, d = H.data, m = d.meta;
    if (!H.tip) {
      H.tip = el('div', 'sitmap-history-tip');
      map.getContainer().appendChild(H.tip);
    }
    while (H.tip.firstChild) { H.tip.removeChild(H.tip.firstChild); }
    var when = new Date(d.t[i] * 1000).toISOString().slice(0, 10);
    H.tip.appendChild(el('div', 'sitmap-history-tip-title', when + ' \u00b7 ' + m.systems[d.sys[i]][1]));
    H.tip.appendChild(el('div', null, m.sites[d.site[i]][1] + ' \u00b7 ' + m.classes[d.cls[i]] + ' \u00b7 ' +
      m.outcomes[d.out[i]] + (d.dist[i] >= 0 ? ' \u00b7 ' + Math.round(d.dist[i]) + ' km' : '')));
    H.tip.style.left = (pt.x + 14) + 'px';
    H.tip.style.top = (pt.y + 10) + 'px';
    H.tip.style.display = '';
  }

  var Legend = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd: function () {
      this._div = el('div', 'sitmap-history-legend leaflet-control');
      L.DomEvent.disableClickPropagation(this._div);
      return this._div;
    },
    update: function () {
      var div = this._div, d = H.data;
      if (!div || !d) { return; }
      var m = d.meta;
      while (div.firstChild) { div.removeChild(div.firstChild); }
      div.appendChild(el('div', 'sitmap-legend-title', 'Launch history'));
      var used = {}, classes = el('div', 'sitmap-history-classes');
      H.shown.forEach(function (i) { used[d.cls[i]] = true; });
      m.classes.forEach(function (name, k) {
        if (!used[k]) { return; }
        var row = el('div', 'sitmap-legend-row');
        var sw = el('span', 'sitmap-history-swatch');
        sw.style.background = m.colours[k];
        row.appendChild(sw);
        row.appendChild(el('span', null, name));
        classes.appendChild(row);
      });
      div.appendChild(classes);
      var key = el('div', 'sitmap-history-key');
      [['sitmap-history-dot', 'success'], ['sitmap-history-dot sitmap-history-dot-failure', 'failure'],
        ['sitmap-history-dot sitmap-history-dot-unknown', 'outcome unknown']].forEach(function (o) {
        var s = el('span', 'sitmap-history-key-item');
        s.appendChild(el('span', o[0]));
        s.appendChild(el('span', null, o[1]));
        key.appendChild(s);
      });
      div.appendChild(key);
      div.appendChild(el('div', 'sitmap-history-note', H.shown.length > MANY
        ? 'thin lines: estimated tracks (site, bearing, distance)' : '- - - estimated track (site, bearing, distance)'));
      div.appendChild(el('div', 'sitmap-history-count',
        H.shown.length + ' of ' + d.n + ' launches' + (H.caption ? ' \u00b7 ' + H.caption : '')));
      div.appendChild(el('div', 'sitmap-history-credit', 'Source: ' + m.credit));
    }
  });

  /* --- public API (Python calls these with runJavaScript) ---------------------------------- */
  // The data, once per data set: a sitmap:// URL of the binary blob (fetched; calls made while it
  // is on its way are kept and applied when it arrives), or the JSON list of a briefing page.
  // The map's timed features again (after an edit or an undo: features drawn anew are shown or
  // hidden by the window, as the others).
  H.setTimed = function (timed) {
    H.timedFeatures = timed || {};
    applyWindowToFeatures();
    return true;
  };

  // ``timed``: scenario feature id -> times (epoch s) for the window.
  H.load = function (source, filter, timed) {
    var token = ++H.loading, t0 = performance.now();
    H.timedFeatures = timed || {};
    H.selected = null;
    H.filter = filter || {};
    if (typeof source === 'string') {
      H.data = null;
      if (H.layer && app().map.hasLayer(H.layer)) { app().map.removeLayer(H.layer); }
      fetch(source).then(function (r) {
        if (!r.ok) { throw new Error('history: ' + r.status); }
        return r.arrayBuffer();
      }).then(function (buffer) {
        if (token !== H.loading) { return; }  // another data set was asked for meanwhile
        arrived(fromBlob(buffer), t0);
      }).catch(function (e) {
        if (window.console) { console.error('SitMap: ' + e); }
      });
      return H.state();
    }
    arrived(fromRows(source), t0);
    return H.show(true);
  };

  function arrived(d, t0) {
    H.data = d;
    H.index = prepare(d);
    if (H.pendingSelect !== undefined) { H.selected = H.index.byId[H.pendingSelect] !== undefined ? H.pendingSelect : null; }
    H.pendingSelect = undefined;
    applyFilter();
    H.loadMs = performance.now() - t0;
    if (H.wantOn) { H.show(true); }
  }

  H.show = function (on) {
    var map = app().map;
    H.wantOn = !!on;
    H.on = H.wantOn && !!H.data;
    if (H.on) {
      applyWindowToFeatures();
      if (!H.layer) { H.layer = new HistoryLayer(); }
      if (!map.hasLayer(H.layer)) { H.layer.addTo(map); } else { H.layer._redraw(); }
      if (!H.legend) { H.legend = new Legend(); }
      if (!H.legend._map) { H.legend.addTo(map); }
      H.legend.update();
    } else {
      if (H.layer && map.hasLayer(H.layer)) { map.removeLayer(H.layer); }
      if (H.legend && H.legend._map) { H.legend.remove(); }
      var keep = H.filter;
      H.filter = {};
      applyWindowToFeatures();
      H.filter = keep;
    }
    return H.state();
  };

  H.setFilter = function (filter, caption) {
    H.filter = filter || {};
    if (caption !== undefined) { H.caption = String(caption || ''); }
    if (!H.data) { return null; }  // kept: applied when the data arrives
    applyFilter();
    if (H.on) {
      applyWindowToFeatures();
      H.layer._redraw();
      H.legend.update();
    }
    return H.state();
  };

  // The time slider: only the window changes (epoch seconds, both ends included; null: no window).
  H.setWindow = function (start, end, caption) {
    var f = {};
    Object.keys(H.filter || {}).forEach(function (k) { f[k] = H.filter[k]; });
    f.window = (typeof start === 'number' && typeof end === 'number') ? [start, end] : null;
    return H.setFilter(f, caption);
  };

  H.select = function (id, fly) {
    if (!H.data) { H.pendingSelect = id || null; return null; }
    H.selected = (id && H.index && H.index.byId[id] !== undefined) ? id : null;
    if (H.on) { H.layer._redraw(); }
    if (fly && H.selected !== null) {
      var d = H.data, i = H.index.byId[H.selected], s = d.meta.sites[d.site[i]], map = app().map;
      var pts = [[s[3], s[4]]];
      for (var k = d.trackStart[i]; k < d.trackStart[i + 1]; k++) { pts.push([d.track[2 * k], d.track[2 * k + 1]]); }
      map.flyToBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 8, duration: 0.5 });
    }
    return H.selected;
  };

  H.state = function () {
    return { on: H.on, loaded: !!H.data, total: H.data ? H.data.n : 0, shown: H.data ? H.shown.length : 0,
      selected: H.selected, lastDrawMs: H.lastDrawMs, draws: H.draws, loadMs: H.loadMs,
      shownIds: H.data && H.shown.length <= 2000 ? H.shown.map(function (i) { return H.data.meta.ids[i]; }) : null };
  };

  // Redraw now and report how long it took (benchmarks).
  H.redrawNow = function () {
    if (H.on) { H.layer._redraw(); }
    return H.lastDrawMs;
  };
})(window.SitMap);
