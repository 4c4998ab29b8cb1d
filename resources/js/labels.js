/* Label placement without collisions, the same in the window and in every export: labels are
 * taken in priority order (what the user is doing now: a measurement, a found place; then the
 * event's features; then the analyst's annotations; then places, the most populous city first),
 * and one that would overlap a label already placed is hidden. A hidden label shows while the
 * pointer is on its feature. The basemap's own place names (drawn on its canvas tiles) come last:
 * one that would touch an overlay label, or a basemap label placed before it, is not drawn. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var labels = S.labels = { pad: 2, hidden: 0 };
  var GROUP_RANK = { flight: 30, rings: 28, crossing: 26, annotations: 20, places: 10 };

  function app() { return S.app; }

  // Every permanent label now on the map: [tooltip, rank, feature id or null].
  function candidates() {
    var out = [], order = 0, a = app();
    var draw = S.draw;
    if (draw && draw.sketchLabel) { out.push([draw.sketchLabel, 100, null, order++]); }
    if (draw && draw.legLabels) { draw.legLabels.eachLayer(function (t) { out.push([t, 95, null, order++]); }); }
    if (a.foundPlace && a.foundPlace.getTooltip()) { out.push([a.foundPlace.getTooltip(), 90, null, order++]); }
    // the features with labels of their own (app.labelled: a few, however many features the map has)
    Object.keys(a.labelled).forEach(function (id) {
      var f = a.features[id];
      if (!a.map.hasLayer(f.layer)) { return; }
      var rank = GROUP_RANK[f.data.group] || 5;
      if (f.data.symbol === 'launch') { rank += 3; }
      if (f.data.symbol === 'city') { rank -= 2; }  // below the other places; among cities the largest first
      var people = f.data.symbol === 'city' ? (+f.data.population || 0) : 0;
      var seen = [];
      var t = f.main.getTooltip && f.main.getTooltip();
      if (t && t.options.permanent) { seen.push(t); }
      if (f.layer.eachLayer) {
        f.layer.eachLayer(function (l) { if (l instanceof L.Tooltip && l.options.permanent) { seen.push(l); } });
      }
      seen.forEach(function (tt) { out.push([tt, rank, id, order++, people]); });
    });
    return out.sort(function (x, y) { return (y[1] - x[1]) || ((y[4] || 0) - (x[4] || 0)) || (x[3] - y[3]); });
  }

  function overlaps(r, q, pad) {
    return r.left < q.right + pad && r.right > q.left - pad && r.top < q.bottom + pad && r.bottom > q.top - pad;
  }

  var SIDES = { right: [1, 0], left: [-1, 0], bottom: [0, 1], top: [0, -1] };
  // The corners, tried after the sides: beside the point, raised or lowered by half the label's
  // height and the gap (a city next to the launch point, whose own label is below it).
  var CORNERS = { topright: ['right', -1], bottomright: ['right', 1], topleft: ['left', -1], bottomleft: ['left', 1] };

  // A point label that meets one placed before it tries the other sides of its point (right,
  // left, below, above), then its corners, before it is hidden: where it would stand on each,
  // from its box now.
  function otherSides(t, r) {
    var side = t.options.direction, map = t._map;
    if (!SIDES[side] || !map || !t.getLatLng || !t.getLatLng()) { return []; }
    var c = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint(t.getLatLng());
    var ax = c.left + p.x, ay = c.top + p.y, w = r.width, h = r.height;
    var gap = Math.max(2, side === 'right' ? r.left - ax : side === 'left' ? ax - r.right
      : side === 'bottom' ? r.top - ay : ay - r.bottom);
    var out = [];
    var put = function (s, x, y, lift) {
      out.push({ side: s, lift: lift, r: { left: x, top: y, right: x + w, bottom: y + h } });
    };
    put('right', ax + gap, ay - h / 2);
    put('left', ax - gap - w, ay - h / 2);
    put('bottom', ax - w / 2, ay + gap);
    put('top', ax - w / 2, ay - gap - h);
    // the corners close to the point first (the label's edge just past it), then a gap away
    [h / 2 + 2, h / 2 + gap].forEach(function (lift) {
      put('topright', ax + gap, ay - h / 2 - lift, lift);
      put('bottomright', ax + gap, ay - h / 2 + lift, lift);
      put('topleft', ax - gap - w, ay - h / 2 - lift, lift);
      put('bottomleft', ax - gap - w, ay - h / 2 + lift, lift);
    });
    return out.filter(function (o) { return o.side !== side; });
  }

  function moveTo(t, side, lift) {
    if (!t._sitmapSide) { t._sitmapSide = { side: t.options.direction, offset: t.options.offset }; }
    var o = L.point(t._sitmapSide.offset || [0, 0]), k = Math.max(Math.abs(o.x), Math.abs(o.y));
    var corner = CORNERS[side];
    t.options.direction = corner ? corner[0] : side;
    t.options.offset = corner ? [SIDES[corner[0]][0] * k, corner[1] * (lift || 0)]
      : [SIDES[side][0] * k, SIDES[side][1] * k];
    t.update();
  }

  // Back on the side its feature gave it.
  function backHome(t) {
    t.options.direction = t._sitmapSide.side;
    t.options.offset = t._sitmapSide.offset;
    t._sitmapSide = null;
    t.update();
  }

  // Place now: returns how many labels were hidden.
  labels.place = function () {
    var a = app();
    if (!a.map) { return 0; }
    if (a.timing) { a.timing.labelsPlaced = performance.now(); }
    var kept = [], hidden = 0, owner = {};
    // reads first, then writes: one layout for all labels (visibility does not move anything)
    var items = [];
    candidates().forEach(function (c) {
      var e = c[0].getElement && c[0].getElement();
      if (!e || e.style.display === 'none') { return; }
      var t = c[0];
      if (t._sitmapSide && t._map) { backHome(t); }  // moved aside last time: each placement starts from its own side
      items.push({ c: c, e: e });
    });
    items.forEach(function (it) {
      it.r = it.e.offsetParent ? it.e.getBoundingClientRect() : null;  // zoom-limited labels are out already
    });
    // The map's controls (zoom, layers, legend, scale) and a briefing's key facts box: a label
    // under one of them cannot be read, so it moves to a free side or waits like a hidden one.
    var edge = a.map.getContainer().getBoundingClientRect(), root = document.documentElement.classList;
    var printed = root.contains('sitmap-briefing-page') && !root.contains('sitmap-briefing-interactive');
    var inside = function (q) {
      return q.left >= edge.left && q.right <= edge.right && q.top >= edge.top && q.bottom <= edge.bottom;
    };
    var blocked = Array.prototype.map.call(document.querySelectorAll(
      '.leaflet-control, .sitmap-briefing-facts, .sitmap-briefing-scale'), function (e) {
      return e.getBoundingClientRect();
    }).filter(function (r) { return r.width && r.height; });
    // The overlay's symbols (launch point, stations, bridges, cities): a label is not printed
    // over another feature's symbol (its own stands beside it).
    var symbols = Array.prototype.map.call(document.querySelectorAll('.leaflet-marker-icon.sitmap-marker'), function (e) {
      return { el: e, r: e.getBoundingClientRect() };
    }).filter(function (m) { return m.r.width && m.r.height; });
    items.forEach(function (it) {
      var r = it.r;
      if (!r || !r.width || !r.height) { it.hide = false; return; }
      var own = it.c[1] >= 90;  // what the user is doing now (a measurement, a found place) is never held back
      var mine = it.c[2] && a.features[it.c[2]], ownIcon = mine && mine.main && mine.main._icon;
      var free = function (q) {
        return !kept.some(function (k) { return overlaps(q, k, labels.pad); })
          && (own || !blocked.some(function (k) { return overlaps(q, k, 0); }))
          && (own || !symbols.some(function (m) { return m.el !== ownIcon && overlaps(q, m.r, 0); }));
      };
      it.hide = !free(r);
      // one that meets another, or runs off the map's edge, tries the other sides of its point
      if ((it.hide || !inside(r)) && it.c[0] instanceof L.Tooltip) {
        var alt = otherSides(it.c[0], r).filter(function (o) { return free(o.r) && inside(o.r); })[0];
        if (alt) { it.own = it.hide ? null : r; it.hide = false; it.move = alt; r = alt.r; }
      }
      // A printed briefing has no edge to pan past: a label cut by the frame, with no side to go
      // to, is left out rather than shown in part (its name is in the legend). On screen it stays.
      if (!it.hide && !it.move && !own && printed && !inside(r)) { it.hide = true; }
      if (it.hide) {
        hidden += 1;
        if (it.c[2]) { owner[it.c[2]] = true; }
      } else {
        it.k = r;
        kept.push(r);
      }
    });
    var moved = items.filter(function (it) { return it.move; });
    moved.forEach(function (it) { moveTo(it.c[0], it.move.side, it.move.lift); });
    var back = [];
    moved.forEach(function (it) {  // where it really went: if that meets another, it goes back or hides
      var r = it.e.getBoundingClientRect();
      var others = kept.filter(function (k) { return k !== it.k; });
      if (!others.some(function (k) { return overlaps(r, k, labels.pad); })) {
        kept[kept.indexOf(it.k)] = r;
      } else if (it.own) {
        back.push(it);  // its own side was free (only past the map's edge): back there
        kept[kept.indexOf(it.k)] = it.own;
      } else {
        it.hide = true;
        hidden += 1;
        if (it.c[2]) { owner[it.c[2]] = true; }
        kept.splice(kept.indexOf(it.k), 1);
      }
    });
    back.forEach(function (it) { backHome(it.c[0]); });
    items.forEach(function (it) {
      it.e.classList.toggle('sitmap-label-hidden', !!it.hide);
      if (it.hide && it.c[2]) { hoverable(it.c[2]); }
    });
    labels.hidden = hidden;
    labels.hiddenOwners = owner;
    labels.basemapHidden = placeBasemap(kept.concat(blocked, symbols.map(function (m) { return m.r; })));
    return hidden;
  };

  // The layers that draw place names on canvas: the built-in basemap, a vector tile package.
  function canvasLabelLayers() {
    var a = app();
    return [a.basemap, a.package].filter(function (l) {
      return l && l.labelBoxes && a.map.hasLayer(l);
    });
  }

  // Whether the page is a printed briefing (a PNG or PDF: a frame no one pans).
  function printed() {
    var c = document.documentElement.classList;
    return c.contains('sitmap-briefing-page') && !c.contains('sitmap-briefing-interactive');
  }

  // The basemap's labels after the overlay's, in the basemap's own priority order: one that would
  // touch an overlay label, an overlay symbol (``kept`` holds both) or a basemap label already kept
  // is left out of every tile it is on; in a printed briefing, so is one the frame would cut.
  // Country names come first, and a country's name whose own spot is taken (or out of view)
  // stands at the first other spot inside the country (the tiles' "alt" labels) that is free and
  // in view: the city and river names there give way to it.
  function placeBasemap(kept) {
    var n = 0, layers = canvasLabelLayers();
    if (!layers.length) { return 0; }
    var view = app().map.getContainer().getBoundingClientRect();
    var frame = printed() ? view : null;
    var within = function (r, f) { return r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom; };
    layers.forEach(function (layer) {
      var all = layer.labelBoxes(true), spots = {}, shown = {}, keys = {};
      all.forEach(function (it) {
        keys[it.key] = true;
        if (it.alt) { (spots[it.of] = spots[it.of] || []).push(it); }
      });
      // a country's name is placed where its own label comes in the order, or (its own spot on no
      // tile shown) first of all, with its other spots
      var items = all.filter(function (it) { return !it.alt || !keys[it.of]; }).map(function (it) {
        return it.alt ? { key: it.of, p: -1, order: it.order, kind: 'country', missing: true } : it;
      });
      items.sort(function (x, y) {
        var cx = x.kind === 'country' ? 0 : 1, cy = y.kind === 'country' ? 0 : 1;
        var px = x.p === undefined ? Infinity : x.p, py = y.p === undefined ? Infinity : y.p;
        return (cx - cy) || (px - py) || (x.order - y.order);
      });
      var mine = [], skip = {}, done = {}, crossed = lineCrossing(view);
      var free = function (r) {
        return !(frame && !within(r, frame))
          && !kept.some(function (q) { return overlaps(r, q, labels.pad); })
          && !mine.some(function (q) { return overlaps(r, q, 0); });
      };
      items.forEach(function (it) {
        if (done[it.key]) { return; }
        done[it.key] = true;
        var others = (spots[it.key] || []).slice().sort(function (x, y) { return x.alt - y.alt; });
        if (others.length) {
          // its own spot if that is free and in view, else the first other spot that is: one no
          // line crosses (a range ring, a flight path, a track) first
          var open = [it].concat(others).filter(function (c) { return !c.missing && within(c.box, view) && free(c.box); });
          var pick = open.filter(function (c) { return !crossed(c.box); })[0] || open[0];
          if (!pick && !it.missing && free(it.box)) { pick = it; }  // (the window: its own spot at the view's edge, as before)
          if (pick !== it && !it.missing) { skip[it.key] = true; }
          if (pick && pick !== it) { shown[pick.key] = true; }
          if (pick) { mine.push(pick.box); } else if (!it.missing) { n += 1; }
          return;
        }
        if (it.missing) { return; }
        if (!free(it.box)) {
          skip[it.key] = true;
          n += 1;
        } else {
          mine.push(it.box);
        }
      });
      layer.setSkipped(skip, shown);
    });
    return n;
  }

  // f(box): whether a line of the overlay crosses the box (page px): a stroked line or outline
  // (rings, flight paths, areas' edges) or a launch-history track. Only where the map has a few
  // hundred lines at most (a country's name is not moved for a large map's thousands).
  var CROSSING_MAX = 500;
  function lineCrossing(view) {
    var map = app().map, lines = null;
    var o = map.layerPointToContainerPoint(L.point(0, 0));
    // The lines, listed when a box is first asked about (a placement that asks none walks no
    // layers), and the walk ended as soon as there are too many: a large map's shapes are not
    // each looked at on every move.
    function listed() {
      if (lines) { return lines; }
      lines = [];
      for (var id in map._layers) {
        var l = map._layers[id];
        if (!(l instanceof L.Polyline) || !l._parts || !l._parts.length || l.options.stroke === false) { continue; }
        if (lines.length >= CROSSING_MAX) { lines = []; break; }
        lines.push(l);
      }
      return lines;
    }
    var tracks = S.history && S.history.crosses;
    return function (box) {
      var r = { left: box.left - view.left, right: box.right - view.left, top: box.top - view.top, bottom: box.bottom - view.top };
      if (tracks && S.history.crosses(r)) { return true; }
      var q = { left: r.left - o.x, right: r.right - o.x, top: r.top - o.y, bottom: r.bottom - o.y };  // (layer px)
      return listed().some(function (l) {
        var b = l._pxBounds;
        if (b && (b.max.x < q.left || b.min.x > q.right || b.max.y < q.top || b.min.y > q.bottom)) { return false; }
        return l._parts.some(function (part) {
          for (var i = 1; i < part.length; i++) {
            if (labels.segmentMeets(part[i - 1].x, part[i - 1].y, part[i].x, part[i].y, q)) { return true; }
          }
          return !!(l._sitmapClosed || l instanceof L.Polygon) && part.length > 2 &&
            labels.segmentMeets(part[part.length - 1].x, part[part.length - 1].y, part[0].x, part[0].y, q);
        });
      });
    };
  }

  // Whether a line of the overlay crosses the box (page px), as the placement judges it.
  labels.crossedByLine = function (box) {
    return lineCrossing(app().map.getContainer().getBoundingClientRect())(box);
  };

  // Whether the segment (ax, ay)-(bx, by) meets the rectangle r {left, right, top, bottom}: their
  // boxes meet and the rectangle's corners are not all on one side of the segment's line.
  labels.segmentMeets = function (ax, ay, bx, by, r) {
    if (Math.max(ax, bx) < r.left || Math.min(ax, bx) > r.right || Math.max(ay, by) < r.top || Math.min(ay, by) > r.bottom) {
      return false;
    }
    var dx = bx - ax, dy = by - ay, neg = 0, pos = 0;
    [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom]].forEach(function (c) {
      var side = dx * (c[1] - ay) - dy * (c[0] - ax);
      if (side < 0) { neg += 1; } else if (side > 0) { pos += 1; } else { neg += 1; pos += 1; }
    });
    return neg > 0 && pos > 0;
  };

  // Every label shown, in page px: the overlay's (source 'overlay') and those the basemap's
  // canvas tiles draw (source 'basemap'), for tests and the export's legend placement.
  labels.boxes = function () {
    var out = Array.prototype.filter.call(document.querySelectorAll('.leaflet-tooltip.sitmap-label'), function (e) {
      return e.offsetParent && e.style.display !== 'none' && !e.classList.contains('sitmap-label-hidden');
    }).map(function (e) {
      var r = e.getBoundingClientRect();
      return { text: e.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom, source: 'overlay' };
    });
    var c = app().map.getContainer().getBoundingClientRect();
    canvasLabelLayers().forEach(function (layer) {
      layer.labelBoxes().forEach(function (it) {
        var b = it.box;
        if (!it.drawn || b.right < c.left || b.left > c.right || b.bottom < c.top || b.top > c.bottom) { return; }
        out.push({ text: it.text, left: b.left, top: b.top, right: b.right, bottom: b.bottom, source: 'basemap' });
      });
    });
    return out;
  };

  var pending = false;
  labels.schedule = function () {
    if (pending) { return; }
    pending = true;
    requestAnimationFrame(function () { labels.flush(); });  // (nothing, if made already)
  };
  // A placement asked for and still waiting for the next frame, made now: the page says it is
  // ready with its labels placed (a page to print is printed without another frame).
  labels.flush = function () {
    if (!pending) { return; }
    pending = false;
    labels.place();
  };

  function labelsOf(id) {
    var f = app().features[id], out = [];
    if (!f) { return out; }
    var t = f.main.getTooltip && f.main.getTooltip();
    if (t && t.options.permanent) { out.push(t); }
    if (f.layer.eachLayer) { f.layer.eachLayer(function (l) { if (l instanceof L.Tooltip && l.options.permanent) { out.push(l); } }); }
    return out;
  }

  // Hovering a feature whose label gave way shows that label above the others.
  function hoverable(id) {
    var f = app().features[id];
    if (!f || f.main._sitmapLabelHover) { return; }
    f.main._sitmapLabelHover = true;
    f.main.on('mouseover', function () {
      if (!labels.hiddenOwners || !labels.hiddenOwners[id]) { return; }
      labelsOf(id).forEach(function (t) {
        var el = t.getElement();
        if (el) { el.classList.add('sitmap-label-hover'); }
      });
    });
    f.main.on('mouseout', function () {
      labelsOf(id).forEach(function (t) {
        var el = t.getElement();
        if (el) { el.classList.remove('sitmap-label-hover'); }
      });
    });
  }

  labels.install = function () {
    var map = app().map;
    map.on('zoomend moveend resize layeradd layerremove', labels.schedule);
    // a basemap tile that comes in after the overlay was placed: its names are checked too
    map.on('layeradd', function (e) {
      if (e.layer && e.layer.labelBoxes && !e.layer._sitmapLabelsHooked) {
        e.layer._sitmapLabelsHooked = true;
        e.layer.on('tileload', labels.schedule);
      }
    });
    [app().basemap, app().package].forEach(function (l) {
      if (l && l.labelBoxes && !l._sitmapLabelsHooked) { l._sitmapLabelsHooked = true; l.on('tileload', labels.schedule); }
    });
    map.on('mouseout', function () {
      Array.prototype.forEach.call(document.querySelectorAll('.sitmap-label-hover'), function (el) {
        el.classList.remove('sitmap-label-hover');
      });
    });
    labels.schedule();
  };
})(window.SitMap);
