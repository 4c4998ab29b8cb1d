/* SitMap briefing composition: banners, title, scale bar, north arrow, facts box and
 * source lines around the map page's Leaflet map. Loaded after sitmap.js; reads its
 * settings from the JSON in <script id="sitmap-briefing-config">. Every text is set
 * with textContent or as an SVG text node, never as HTML. Adds SitMap.briefing only. */
window.SitMap = window.SitMap || {};
(function (S, L) {
  'use strict';

  var b = S.briefing = { config: null, scale: null, ready: false };

  var el = S.dom.el, svg = S.dom.svg;

  function readConfig() {
    var node = document.getElementById('sitmap-briefing-config');
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function place(node, rect) {
    node.style.left = rect.left + 'px';
    node.style.top = rect.top + 'px';
    node.style.width = rect.width + 'px';
    node.style.height = rect.height + 'px';
    return node;
  }

  /* --- scale ---------------------------------------------------------- */
  // True east-west ground distance of one CSS pixel at latitude lat on WGS84
  // (the radius of the parallel, not Leaflet's sphere).
  var WGS84_A = 6378137.0;
  var WGS84_E2 = 0.0066943799901413165;
  function metresPerPixel(lat, zoom) {
    var phi = lat * Math.PI / 180;
    var s = Math.sin(phi);
    var n = WGS84_A / Math.sqrt(1 - WGS84_E2 * s * s);
    return 2 * Math.PI * n * Math.cos(phi) / (256 * Math.pow(2, zoom));
  }
  b.metresPerPixel = metresPerPixel;

  function niceLength(maxMetres) {
    var p = Math.pow(10, Math.floor(Math.log(maxMetres) / Math.LN10));
    var steps = [5, 2, 1];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p <= maxMetres) { return steps[i] * p; } }
    return p;
  }

  // (Written out here: the page's first Intl number format costs 5-10 ms of a briefing's start.)
  function distanceText(m) {
    if (m >= 1000) { return grouped(Math.round(m / 100) / 10) + ' km'; }
    return Math.round(m) + ' m';
  }

  function grouped(x) {  // 12345.6 -> "12,345.6"
    var parts = String(x).split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return parts.join('.');
  }
  b.distanceText = distanceText;  // (for tests)

  function latText(lat) {
    var r = Math.round(Math.abs(lat));
    return r === 0 ? '0\u00b0' : r + '\u00b0 ' + (lat >= 0 ? 'N' : 'S');
  }

  // Web Mercator's scale grows as sec(latitude): the bar is true at the centre only.
  b.computeScale = function (map, frameWidth) {
    var bounds = map.getBounds();
    var south = Math.max(-85, bounds.getSouth());
    var north = Math.min(85, bounds.getNorth());
    var centre = map.getCenter().lat;
    var lo = (south < 0 && north > 0) ? 0 : Math.min(Math.abs(south), Math.abs(north));
    var hi = Math.max(Math.abs(south), Math.abs(north));
    var variation = Math.cos(lo * Math.PI / 180) / Math.cos(hi * Math.PI / 180) - 1;
    var span = north - south;
    var mpp = metresPerPixel(centre, map.getZoom());
    var metres = niceLength(mpp * frameWidth * 0.18);
    var lead = Math.round(metres / Math.pow(10, Math.floor(Math.log(metres) / Math.LN10) + 1e-9));
    return {
      lat: centre, zoom: map.getZoom(), metresPerPixel: mpp, metres: metres, px: metres / mpp,
      segments: lead === 5 ? 5 : 4, variation: variation, span: span,
      dropped: span > 20, warn: variation > 0.05,
      trueAt: 'Scale true at ' + latText(centre)
    };
  };

  function scaleSvg(sc, fontPx) {
    var pad = fontPx * 0.6;
    var barH = Math.max(4, fontPx * 0.42);
    var w = sc.px + 2 * pad;
    var h = fontPx * 1.25 + barH + 2;
    var s = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'class': 'sitmap-briefing-scalebar' });
    var y = fontPx * 1.2;
    var seg = sc.px / sc.segments;
    for (var i = 0; i < sc.segments; i++) {
      s.appendChild(svg('rect', { x: pad + i * seg, y: y, width: seg, height: barH,
        fill: i % 2 ? '#ffffff' : '#222222', stroke: '#222222', 'stroke-width': 1 }));
    }
    var marks = [0, sc.segments / 2 === Math.floor(sc.segments / 2) ? sc.segments / 2 : null, sc.segments];
    marks.forEach(function (k) {
      if (k === null) { return; }
      var t = svg('text', { x: pad + k * seg, y: fontPx, 'text-anchor': 'middle', 'font-size': fontPx },
        // (a mark between: in the end's unit, to a tenth where it falls between whole ones: 0.5 of 1 km)
        k === sc.segments ? distanceText(sc.metres * k / sc.segments)
          : String(Math.round(sc.metres * k / sc.segments / (sc.metres >= 1000 ? 1000 : 1) * 10) / 10));
      s.appendChild(t);
    });
    return s;
  }

  function northArrow(size) {
    var s = svg('svg', { width: size * 0.62, height: size, viewBox: '0 0 31 50', 'class': 'sitmap-briefing-north' });
    s.appendChild(svg('polygon', { points: '15.5,14 26,46 15.5,39', fill: '#ffffff', stroke: '#222', 'stroke-width': 1.6, 'stroke-linejoin': 'round' }));
    s.appendChild(svg('polygon', { points: '15.5,14 5,46 15.5,39', fill: '#222', stroke: '#222', 'stroke-width': 1.6, 'stroke-linejoin': 'round' }));
    s.appendChild(svg('text', { x: 15.5, y: 11, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 700 }, 'N'));
    return s;
  }

  var ScaleControl = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd: function () {
      this._div = el('div', 'sitmap-briefing-scale leaflet-control');
      return this._div;
    },
    update: function (map, cfg) {
      var div = this._div;
      while (div.firstChild) { div.removeChild(div.firstChild); }
      var fontPx = parseFloat(getComputedStyle(div).fontSize) || 14;
      var sc = b.computeScale(map, map.getSize().x);
      b.scale = sc;
      var row = el('div', 'sitmap-briefing-scale-row');
      if (cfg.scale && !sc.dropped) {
        var box = el('div', 'sitmap-briefing-scale-bar');
        box.appendChild(scaleSvg(sc, fontPx));
        box.appendChild(el('div', 'sitmap-briefing-scale-true', sc.trueAt));
        row.appendChild(box);
      }
      if (cfg.north) { row.appendChild(northArrow(parseFloat(getComputedStyle(div).getPropertyValue('--b-north')) || 32)); }
      div.appendChild(row);
      if (cfg.scale && (sc.warn || sc.dropped)) {
        div.appendChild(el('div', 'sitmap-briefing-scale-warn', 'Scale varies with latitude \u2014 use the range rings for distance'));
      }
      div.style.display = div.firstChild && (row.firstChild || div.childNodes.length > 1) ? '' : 'none';
    }
  });

  // The legend's place: resources/js/briefing_legend.js (loaded before this file).
  var placing = S.legendPlacement;
  b.featureSamples = placing.featureSamples;
  b.legendReach = placing.legendReach;
  b.legendCorners = placing.corners;
  b.placeLegend = placing.place;

  var FactsControl = L.Control.extend({
    // Top left: the legend holds the lower right and the scale the lower left.
    options: { position: 'topleft' },
    onAdd: function () {
      var div = el('div', 'sitmap-briefing-facts leaflet-control');
      div.appendChild(el('div', 'sitmap-briefing-facts-title', 'Key facts'));
      if (b.config.timeWindow) { div.appendChild(el('div', 'sitmap-briefing-facts-window', b.config.timeWindow)); }
      (b.config.facts || []).forEach(function (f) {
        var row = el('div', 'sitmap-briefing-fact');
        row.appendChild(el('span', 'sitmap-briefing-fact-label', f.label + ': '));
        row.appendChild(el('span', 'sitmap-briefing-fact-value', f.value));
        row.appendChild(el('span', 'sitmap-briefing-fact-status sitmap-status-' + String(f.status).replace(/[^a-z]/g, ''), f.status));
        div.appendChild(row);
      });
      if (+b.config.factsMore > 0) { div.appendChild(el('div', 'sitmap-briefing-fact-more', moreFacts(+b.config.factsMore))); }
      L.DomEvent.disableClickPropagation(div);
      return div;
    }
  });

  /* --- around the frame ----------------------------------------------- */
  function frameParts(cfg) {
    var lay = cfg.layout;
    var body = document.body;
    function banner(rect, where) {
      if (!rect || !cfg.banner) { return; }
      var n = place(el('div', 'sitmap-briefing-banner sitmap-briefing-banner-' + where), rect);
      n.appendChild(el('span', null, cfg.banner));
      body.appendChild(n);
    }
    banner(lay.bannerTop, 'top');
    banner(lay.bannerBottom, 'bottom');
    var heads = [];
    if (lay.title && cfg.title) { heads.push(place(el('div', 'sitmap-briefing-title', cfg.title), lay.title)); }
    if (lay.subtitle && cfg.subtitle) { heads.push(place(el('div', 'sitmap-briefing-subtitle', cfg.subtitle), lay.subtitle)); }
    heads.forEach(function (n) { body.appendChild(n); });
    if (lay.sources && cfg.sources) {
      var sources = place(el('div', 'sitmap-briefing-sources', cfg.sources), lay.sources);
      body.appendChild(sources);
      fitSources(sources, lay, cfg.sourceParts);
    }
    if (lay.credits && cfg.credits) {
      var credits = place(el('div', 'sitmap-briefing-credits', cfg.credits), lay.credits);
      body.appendChild(credits);
      fitLine(credits, 0.8);
    }
    // (read in the layout the lines above made; a page to read in a browser keeps its whole text,
    // the line's own "..." showing where it is cut)
    var titleNode = lay.title && cfg.title ? heads[0] : null;
    if (titleNode && !fitTitle(titleNode, heads[1] || null, lay, cfg.interactive)) { titleNode = null; }
    heads.forEach(function (n) {
      if (n === titleNode) { return; }
      if (cfg.interactive) { fitLine(n, 0.75); } else { fitWords(n, 0.75); }
    });
  }

  // A title too long for its line even in smaller type (down to 3/4 of its own) takes a second
  // line, its own size again where that fits, and the subtitle and the map's frame move down to
  // make room; only what two lines cannot hold is cut, after a whole word (a page to read in a
  // browser keeps its whole text, the second line's own "..." showing where it is cut). (A frame
  // that would be left too low, as fitSources has it, keeps the one line.) True when the title was
  // fitted here.
  function fitTitle(node, subtitle, lay, interactive) {
    var frame = document.querySelector('.folium-map');
    fitLine(node, 0.75);
    if (node.scrollWidth <= node.clientWidth + 0.5) { return true; }
    node.style.fontSize = '';
    var size = parseFloat(getComputedStyle(node).fontSize) || 12;
    var grow = parseFloat(getComputedStyle(node).lineHeight) || size * 1.18;
    if (!frame || !lay.frame || lay.frame.height - grow < 40) { return false; }
    node.classList.add('sitmap-briefing-title-wrapped');
    lay.title = { left: lay.title.left, top: lay.title.top, width: lay.title.width, height: lay.title.height + grow };
    place(node, lay.title);
    if (subtitle && lay.subtitle) {
      lay.subtitle = { left: lay.subtitle.left, top: lay.subtitle.top + grow, width: lay.subtitle.width, height: lay.subtitle.height };
      place(subtitle, lay.subtitle);
    }
    lay.frame = { left: lay.frame.left, top: lay.frame.top + grow, width: lay.frame.width, height: lay.frame.height - grow };
    frame.style.setProperty('top', lay.frame.top + 'px', 'important');
    frame.style.setProperty('height', lay.frame.height + 'px', 'important');
    // (over: more than two lines; a line's glyphs reach a pixel or two past its box)
    var range = document.createRange();
    var over = function () {
      range.selectNodeContents(node);
      return range.getBoundingClientRect().height > 2.5 * (parseFloat(getComputedStyle(node).lineHeight) || size);
    };
    fitLine(node, 0.75, over);
    if (over() && !interactive) { cutAfterWord(node, over); }
    return true;
  }

  // The sources' lines were estimated before the page was set: their box takes the lines the text
  // really needs (up to 4, as estimated), and the map's frame above it the room left over (or gives
  // the room missing), so no blank line shows between the frame and the sources and none is cut.
  // Sources that need more lines than that: the names that fit, in order, and how many more there
  // are; the notes after them (a time window, the launch history shown) whole.
  var MAX_SOURCE_LINES = 4;
  function fitSources(node, lay, parts) {
    var line = parseFloat(getComputedStyle(node).lineHeight) || 0;
    var frame = document.querySelector('.folium-map');
    if (!line || !frame || !lay.frame) { return; }
    var range = document.createRange();
    var needed = function () {
      range.selectNodeContents(node);
      return Math.round(range.getBoundingClientRect().height / line);
    };
    if (needed() > MAX_SOURCE_LINES && parts && parts.names && parts.names.length) {
      var names = parts.names, notes = parts.notes || [];
      var text = function (k) {
        var more = names.length - k, shown = names.slice(0, k);
        if (more) { shown.push(more + (more === 1 ? ' more source' : ' more sources')); }
        return 'Sources: ' + shown.concat(notes).join('; ') + '.';
      };
      mostThatFit(0, names.length - 1, function (k) { node.textContent = text(k); },
                  function () { return needed() > MAX_SOURCE_LINES; });
    }
    var lines = Math.max(1, Math.min(MAX_SOURCE_LINES, needed()));
    var had = lay.sources.height, need = lines * line, delta = had - need;
    if (Math.abs(delta) < 0.5 || lay.frame.height + delta < 40) { return; }
    lay.sources = { left: lay.sources.left, top: lay.sources.top + delta, width: lay.sources.width, height: need };
    place(node, lay.sources);
    lay.frame = { left: lay.frame.left, top: lay.frame.top, width: lay.frame.width, height: lay.frame.height + delta };
    frame.style.setProperty('height', lay.frame.height + 'px', 'important');
    b.frameGrown = (b.frameGrown || 0) + delta;
  }

  // One line that must be read whole (the credits): smaller type, down to ``least`` of its own,
  // before any of it is cut off. (``over``: the text is still too large, another test than its
  // line's width: a wrapped title's.)
  function fitLine(node, least, over) {
    var size = parseFloat(getComputedStyle(node).fontSize) || 12, floor = size * least;
    over = over || function () { return node.scrollWidth > node.clientWidth + 0.5; };
    while (over() && size > floor) {
      size = Math.max(floor, size - 0.5);
      node.style.fontSize = size + 'px';
    }
  }

  // A printed title or subtitle too long for its line: smaller type first (down to ``least``),
  // then cut after a whole word, with "...", never inside one.
  function fitWords(node, least) {
    fitLine(node, least);
    var over = function () { return node.scrollWidth > node.clientWidth + 0.5; };
    if (over()) { cutAfterWord(node, over); }
  }

  // The node's text cut after the most whole words with which it is not ``over`` its box, with "...".
  function cutAfterWord(node, over) {
    var words = node.textContent.split(' ');
    mostThatFit(1, words.length - 1, function (k) {
      node.textContent = words.slice(0, k).join(' ').replace(/[\s,;:\u2013\u2014-]+$/, '') + '\u2026';
    }, over);
  }

  // The most of something (k from lo to hi: words, names) that ``show(k)`` can show without the
  // text being ``over`` its room (lo where none does), found by halves and shown.
  function mostThatFit(lo, hi, show, over) {
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      show(mid);
      if (over()) { hi = mid - 1; } else { lo = mid; }
    }
    show(lo);
  }

  /* --- tiles carried in the page --------------------------------------- */
  // The basemap draws a tile it carries at once ({"z/x/y": tile data}), with the label placement
  // of labels.js. Another tile: asked for as always where the page can ask (a briefing the app
  // draws carries the tiles of its frame, viewer/export/frame_view.py), else plain sea (the HTML
  // export carries all the file will ever show).
  function carriedBasemapFactory(tiles, askForOthers) {
    var Carried = S.BasemapLayer.extend({
      createTile: function (coords, done) {
        var n = Math.pow(2, coords.z);
        var data = tiles[this._tileKey(coords)];
        if (!data && askForOthers) { return S.BasemapLayer.prototype.createTile.call(this, coords, done); }
        var made = this._newCanvas(this._canvasSpec());
        if (data && !S.app._readySent) {
          // (in the page's start: drawn once its labels are placed, before it says it is ready)
          this._keepToDraw(made.tile, data, coords, made.size.x, made.ratio, done);
          return made.tile;
        }
        if (data) {
          this._paint(made.tile, data, coords, made.size.x, made.ratio);
        } else if (coords.y >= 0 && coords.y < n) {
          S.drawBasemapTile(made.tile, { size: 256, z: coords.z, edge: 256 }, made.size.x, made.ratio, null);  // plain sea (to its bleed's end)
        }
        // Leaflet needs done() after return; done in this task (not a timer's), so the tile shows
        // in the first frame and the basemap has loaded by the end of the page's start.
        Promise.resolve().then(function () { done(null, made.tile); });
        return made.tile;
      }
    });
    return function (url, options) { return new Carried(url, options); };
  }

  // Fill the frame in quarter zoom steps, but never past x.25: the basemap tiles are then
  // drawn at their own size or enlarged a little, never shrunk (shrunk labels are unreadable).
  function refit(map, view) {
    if (!view.bounds) { return; }
    // (at the zoom the layout's frame gives: the frame fitted to the footer shows a little more
    // map, at the zoom whose tiles the page carries, viewer/export/frame_view.py)
    var pad = L.point(20, 20 + Math.max(0, b.frameGrown || 0)), size = map.getSize();
    var z = size.x > pad.x && size.y > pad.y ? map.getBoundsZoom(view.bounds, false, pad) : NaN;
    var whole = Math.floor(z + 1e-9);
    z = whole + (z - whole >= 0.25 - 1e-9 ? 0.25 : 0);
    // (a map of the whole world: at the first quarter step where nothing shows twice, lon_span.js;
    // a frame narrower than its padding, the legend beside it, which no zoom fits (Leaflet's answer
    // was its greatest zoom, 18): at that step too)
    if (!S.showOneWorldIfWide(map, view, z, false, false)) {
      map.fitBounds(view.bounds, { padding: [10, 10], maxZoom: z, animate: false });
    }
  }
  b.refit = refit;  // (resources/js/briefing_legend.js refits the map it narrows)

  /* --- a page to print ------------------------------------------------- */
  // Printing embeds each basemap tile's canvas whole, as an image, deflated: the edge tiles reach
  // past the map's frame, and at 300 dpi an A4 page carried twice the frame's pixels (most of the
  // time printing took). Before a page to print is ready, each painted tile is cut to the part of
  // it the frame shows (a page pixel more on each side: printing snaps the frame's clip to whole
  // pixels), on an opaque canvas in the same place; a tile the frame does not show is hidden.
  function cropForPrint(map) {
    var frame = map.getContainer().getBoundingClientRect();
    // (the offline basemap's tiles, and a vector tile package's, drawn the same way)
    [S.app.basemap, S.app.package].forEach(function (layer) {
      if (layer && layer._tiles && layer._map) { cropTiles(layer._tiles, frame); }
    });
  }

  function cropTiles(tiles, frame) {
    Object.keys(tiles).forEach(function (key) {
      var el = tiles[key].el;
      if (!el || el.tagName !== 'CANVAS' || !el._sitmap || !el.parentNode) { return; }  // (painted tiles only)
      var r = el.getBoundingClientRect(), css = parseFloat(el.style.width);
      if (!r.width || !r.height || !css) { return; }
      var k = el.width / css;  // canvas pixels a CSS pixel of the tile
      var sx = el.width / r.width, sy = el.height / r.height;  // canvas pixels a page pixel (a fractional zoom's scale)
      var x0 = Math.max(0, Math.floor((frame.left - 1 - r.left) * sx));
      var y0 = Math.max(0, Math.floor((frame.top - 1 - r.top) * sy));
      var x1 = Math.min(el.width, Math.ceil((frame.right + 1 - r.left) * sx));
      var y1 = Math.min(el.height, Math.ceil((frame.bottom + 1 - r.top) * sy));
      var cut = L.DomUtil.create('canvas', el.className), shown = x1 > x0 && y1 > y0;
      cut.width = shown ? x1 - x0 : 1;
      cut.height = shown ? y1 - y0 : 1;
      if (shown) { cut.getContext('2d', { alpha: false }).drawImage(el, x0, y0, cut.width, cut.height, 0, 0, cut.width, cut.height); }
      cut.style.cssText = el.style.cssText;  // (the tile's place and opacity)
      cut.style.width = (cut.width / k) + 'px';
      cut.style.height = (cut.height / k) + 'px';
      cut.style.marginLeft = (x0 / k) + 'px';
      cut.style.marginTop = (y0 / k) + 'px';
      if (!shown) { cut.style.visibility = 'hidden'; }
      el.parentNode.replaceChild(cut, el);
      tiles[key].el = cut;
    });
  }
  b.cropForPrint = cropForPrint;

  /* --- start ------------------------------------------------------------ */
  b.config = readConfig();
  if (!b.config || !S.app || !S.app.init) { return; }
  var cfg = b.config;
  var originalInit = S.app.init;

  // A briefing the app captures (viewer/ui/capture.py) shows a small mark in its top-left corner
  // from its first frame (the mark is in its HTML) until it is ready. The mark goes in the task
  // that says so, once the page has drawn all it shows and its image tiles are decoded: a frame is
  // drawn whole, so the first captured frame without the mark shows all the page drew before, and
  // the capture need not wait to see the frame stay the same, nor the page wait for frames.
  function markFrame() {
    document.documentElement.classList.add('sitmap-briefing-captured');  // (see briefing.css)
    var mark = document.querySelector('.sitmap-briefing-frame-mark');
    if (!mark) {
      mark = document.body.appendChild(el('div', 'sitmap-briefing-frame-mark'));
      if (typeof cfg.frameMark === 'string') { mark.style.background = cfg.frameMark; }  // (its colour: the app's choice)
    }
    S.app.whenShown = function (f) {
      S.app.whenDrawn(function () {
        flattenTileScale(S.app.map);
        if (mark.parentNode) { mark.parentNode.removeChild(mark); }
        f();
      });
    };
  }

  // A view at a fractional zoom shows the basemap's tiles of the nearest whole zoom scaled, by a
  // scale on the element that holds them (Leaflet's). The compositor then draws those tiles into a
  // picture of their own, larger than the frame, and that picture into the frame: 45 ms of each
  // frame of a 1920x1080 briefing at zoom x.25 (traced), 17 ms without. Once the basemap is drawn
  // for a capture, each tile takes the scale itself, at the same place: the same picture, drawn
  // straight into the frame. (Only this page's own basemap, drawn whole before it is ready: the
  // tiles of a package or an online layer can still come after.)
  function flattenTileScale(map) {
    if (!map || !S.BasemapLayer) { return; }
    map.eachLayer(function (layer) {
      if (!(layer instanceof S.BasemapLayer) || !layer._levels) { return; }
      Object.keys(layer._levels).forEach(function (z) {
        var level = layer._levels[z].el, m = new DOMMatrixReadOnly(getComputedStyle(level).transform);
        var k = m.a;
        if (!m.is2D || m.b !== 0 || m.c !== 0 || m.d !== k || !(k > 0) || k === 1) { return; }
        for (var t = level.firstElementChild; t; t = t.nextElementSibling) {
          var p = new DOMMatrixReadOnly(getComputedStyle(t).transform), st = t.style;
          var x = p.e + (parseFloat(st.marginLeft) || 0), y = p.f + (parseFloat(st.marginTop) || 0);
          st.marginLeft = st.marginTop = '0px';
          st.transformOrigin = '0 0';
          st.transform = 'translate(' + (x * k) + 'px,' + (y * k) + 'px) scale(' + k + ')';
        }
        level.style.transform = 'translate(' + m.e + 'px,' + m.f + 'px)';
      });
    });
  }

  S.app.init = function (map, payload) {
    if (cfg.frameMark) { markFrame(); }  // (never a page to print: viewer/ui/capture.py open_briefing)
    document.documentElement.classList.add('sitmap-briefing-page');
    if (cfg.interactive) { document.documentElement.classList.add('sitmap-briefing-interactive'); }
    // A page to print (a PDF): ready once drawn and its image tiles decoded, without waiting
    // for frames to show it (printing lays it out and paints it anew).
    if (cfg.readyUnshown) {
      S.app.readyUnshown = true;
      var drawn = S.app.whenDrawn;
      S.app.whenDrawn = function (f) { drawn(function () { cropForPrint(map); f(); }); };
    }
    if (S.BasemapLayer) {
      // Draw the basemap canvas at the export's resolution, not the screen's.
      S.BasemapLayer.prototype.options.pixelRatio = cfg.pixelRatio;
    }
    if (cfg.inlineTiles && S.BasemapLayer && payload.basemap) {
      S.basemapLayer = carriedBasemapFactory(cfg.inlineTiles.tiles, false);
      payload.basemap.maxZoom = cfg.inlineTiles.maxZoom;
    } else if (cfg.frameTiles && S.BasemapLayer && payload.basemap) {
      S.basemapLayer = carriedBasemapFactory(cfg.frameTiles, true);
    }
    frameParts(cfg);
    map.invalidateSize({ pan: false });  // (the frame fits the footer's real lines)
    // Fit the scenario's view to the frame in quarter steps; the basemap is drawn finer to match.
    map.options.zoomSnap = cfg.zoomSnap || 1;
    // lines and rings keep every vertex down to the export's device pixels (Leaflet would
    // simplify them at CSS pixels, which shows as facets once the picture is scaled up)
    L.Polyline.mergeOptions({ smoothFactor: 0.5 / Math.max(1, cfg.pixelRatio || 1) });
    // The frame's view from the start: the basemap then asks for the tiles it shows, not first
    // for those of the screen's fit, left at once (the app serves every tile asked for).
    var fit = S.app.fitScenario;
    S.app.fitScenario = function (animate) { if ((payload.view || {}).bounds) { refit(map, payload.view); } else { fit(animate); } };
    // What goes over the features (the legend's corner and the labels are chosen around them) once
    // they are drawn: at once when the page holds them, else once they have come (a large map's,
    // fetched from the app: viewer/export/briefing.py compose, features_at).
    S.app.afterDrawn = function () {
      S.app.fitScenario = fit;
      overFeatures(map, payload);
      // The frame may have moved or narrowed since the basemap had its tiles (its legend beside
      // it, refitted): the page is ready once the tiles it shows now have come (base_layers.js
      // basemapsSettled, on their load). (Features fetched come after the first tiles.)
      if (S.app.basemapBusy && S.app.basemapBusy()) { S.app.basemapLoaded = false; }
    };
    try {
      originalInit(map, payload);
    } catch (e) {
      S.app.fitScenario = fit;
      throw e;
    }
  };

  function overFeatures(map, payload) {
    refit(map, payload.view || {});
    map.attributionControl.setPrefix(false);
    (cfg.hiddenGroups || []).forEach(function (g) { S.app.setGroupVisible(g, false); });
    if (S.app.legend) {
      S.app.legend.update();
      if (!cfg.legend) { map.removeControl(S.app.legend); }
    }
    if ((cfg.facts && cfg.facts.length) || (cfg.factsBox && cfg.timeWindow)) { b.factsControl = new FactsControl().addTo(map); }
    if (cfg.inlineTiles) {
      map.setMinZoom(cfg.inlineTiles.minZoom);
      map.setMaxZoom(cfg.inlineTiles.maxZoom + 3);
      if (cfg.inlineTiles.bounds) { map.setMaxBounds(cfg.inlineTiles.bounds); }
    }
    var scale = new ScaleControl().addTo(map);
    b.scaleControl = scale;
    if (cfg.scale || cfg.north) {
      scale.update(map, cfg);
      map.on('zoomend moveend resize', function () { scale.update(map, cfg); });
    } else {
      map.removeControl(scale);
    }
    if (b.factsControl) { fitFacts(b.factsControl.getContainer(), scale.getContainer && scale.getContainer()); }
    ringLabelsInFrame(map);
    if (S.labels) { b.labelsHidden = S.labels.place(); }  /* the same label rules as on screen */
    if (cfg.legend && S.app.legend) { b.legendCorner = b.placeLegend(map); }
    b.ready = true;
  }

  // A ring's name stands above its northernmost point; where the frame does not show that point (a
  // ring of thousands of kilometres on a map of the world), above the highest point of the ring the
  // frame shows, with room for the name (on the nearest world copy that shows it).
  var RING_LABEL_ROOM = 28;
  function ringLabelsInFrame(map) {
    var size = map.getSize(), whole = S.app.wholeFeatures;
    function inFrame(p, room) { return p.x >= room && p.x <= size.x - room && p.y >= RING_LABEL_ROOM && p.y <= size.y - 8; }
    Object.keys(whole).forEach(function (id) {
      var f = whole[id], d = f.data, tip = null;
      if (d.symbol !== 'ring' || !d.labelAt || !f.layer || !f.layer.eachLayer) { return; }
      f.layer.eachLayer(function (l) { if (l instanceof L.Tooltip) { tip = l; } });
      if (!tip || !S.app.shown(f)) { return; }
      var room = Math.min(size.x / 2, 4 + (tip.getElement() ? tip.getElement().offsetWidth / 2 : 40));
      if (inFrame(map.latLngToContainerPoint(tip.getLatLng()), room)) { return; }
      var best = null;
      (function walk(a) {
        if (!a || !a.length) { return; }
        if (typeof a[0] === 'number') {
          [-360, 0, 360].forEach(function (dx) {
            var ll = L.latLng(a[0], a[1] + dx), p = map.latLngToContainerPoint(ll);
            if (inFrame(p, room) && (!best || p.y < best.p.y - 0.5 ||
                (Math.abs(p.y - best.p.y) <= 0.5 && Math.abs(p.x - size.x / 2) < Math.abs(best.p.x - size.x / 2)))) {
              best = { ll: ll, p: p };
            }
          });
          return;
        }
        for (var i = 0; i < a.length; i++) { walk(a[i]); }
      })(d.latlngs);
      if (best) { tip.setLatLng(best.ll); }
    });
  }

  // How many of the map's facts the box leaves out (a printed briefing has no facts panel to look in).
  function moreFacts(n) { return n + (n === 1 ? ' more fact' : ' more facts') + ' not shown'; }

  // The facts box never runs into the scale bar below it: drop facts from the end (one stays) and
  // say how many are left out, those the page was not given (factsMore) with them.
  function fitFacts(box, below) {
    var frame = S.app.map.getContainer().getBoundingClientRect();
    var limit = below && below.offsetParent ? below.getBoundingClientRect().top - 8 : frame.bottom - 8;
    var rows = box.querySelectorAll('.sitmap-briefing-fact');
    var more = box.querySelector('.sitmap-briefing-fact-more');
    var left = +b.config.factsMore || 0;
    for (var i = rows.length - 1; i > 0 && box.getBoundingClientRect().bottom > limit; i--) {
      box.removeChild(rows[i]);
      left += 1;
      if (!more) { more = box.appendChild(el('div', 'sitmap-briefing-fact-more', '')); }
      more.textContent = moreFacts(left);
    }
  }
}(window.SitMap, window.L));
