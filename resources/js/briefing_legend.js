/* Where a briefing's legend goes (loaded before briefing.js, which calls it once the map is
 * drawn): the corner where it hides least of the map's features, a smaller form when it would
 * cover the event in every corner, or beside the map. Adds SitMap.legendPlacement only; reads
 * the briefing's settings and refits the map through SitMap.briefing when it is called. */
window.SitMap = window.SitMap || {};
(function (S, L) {
  'use strict';

  var el = S.dom.el;
  function briefing() { return S.briefing; }

  /* the legend goes to the corner where it hides least of the map's features (the
   * event's most: rings, flight path, impact area, crossings, annotations), never over the event:
   * when it would cover the event in every corner it takes a smaller form (smaller type, then one
   * row per layer), and when even that covers the event it moves out of the map, beside it (the
   * map frame gives up that width). Features are sampled every few pixels along their lines and
   * edges, and inside filled areas; so are the launch history's tracks and sites when it is shown. */
  var EVENT_WEIGHT = { rings: 6, flight: 10, crossing: 6, annotations: 4, places: 1 };
  var NOT_EVENT = { places: true };
  var SAMPLE_NEAR_FROM = 1000;  // features: from this many on, only those where the legend may go are sampled
  var HISTORY_WEIGHT = 2, HISTORY_SAMPLES = 40000;  // (a launch history's track point counts as a place's twice)

  // ``near`` (optional): the rectangles ([x0, y0, x1, y1], container pixels) where samples can
  // count (wherever the legend may go): only the samples inside them are kept, and a feature whose
  // bounds meet none of them is not walked (100,000 lines and areas: 0.5 s of samples).
  function featureSamples(map, near) {
    var out = [];
    function inside(x, y) {
      for (var k = 0; k < near.length; k++) {
        var r = near[k];
        if (x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]) { return true; }
      }
      return false;
    }
    function push(p, w, ev) { if (!near || inside(p.x, p.y)) { out.push([p.x, p.y, w, ev]); } }
    // ``near`` as boxes of latitude and longitude [south, west, north, east], a pixel wider than
    // the rectangles: Mercator keeps the order of latitudes and of longitudes, and a feature's
    // samples lie between its vertices (each placed on a whole pixel, within half a pixel; a
    // vertex nearer a pole than the projection reaches, on the world's edge), so they can fall in
    // a rectangle only where its vertices' bounds (so held) meet the box.
    var boxes = near && near.map(function (r) {
      var a = map.containerPointToLatLng([r[0] - 1, r[1] - 1]), b = map.containerPointToLatLng([r[2] + 1, r[3] + 1]);
      return [b.lat, a.lng, a.lat, b.lng];
    });
    var pole = map.options.crs.projection.MAX_LATITUDE || 90;  // (drawn at the world's edge beyond it)
    function reaches(ll) {
      var s = Infinity, n = -Infinity, w = Infinity, e = -Infinity;
      (function span(a) {
        if (!a || !a.length) { return; }
        if (typeof a[0] === 'number') {
          if (a[0] < s) { s = a[0]; } if (a[0] > n) { n = a[0]; } if (a[1] < w) { w = a[1]; } if (a[1] > e) { e = a[1]; }
          return;
        }
        for (var i = 0; i < a.length; i++) { span(a[i]); }
      })(ll);
      s = Math.max(-pole, Math.min(pole, s));
      n = Math.max(-pole, Math.min(pole, n));
      for (var k = 0; k < boxes.length; k++) {
        var x = boxes[k];
        if (s <= x[2] && n >= x[0] && w <= x[3] && e >= x[1]) { return true; }
      }
      return false;
    }
    function walk(ll, w, ev) {
      if (!ll || !ll.length) { return; }
      if (typeof ll[0] === 'number') { push(map.latLngToContainerPoint(ll), w, ev); return; }
      if (typeof ll[0][0] === 'number') {
        var prev = null;
        ll.forEach(function (q) {
          var p = map.latLngToContainerPoint(q);
          if (prev) {
            var n = Math.min(200, Math.ceil(prev.distanceTo(p) / 6));
            for (var i = 1; i < n; i++) { push(prev.add(p.subtract(prev).multiplyBy(i / n)), w, ev); }
          }
          push(p, w, ev);
          prev = p;
        });
        return;
      }
      ll.forEach(function (part) { walk(part, w, ev); });
    }
    // a filled area (not a ring: its inside is not drawn over) is covered inside too
    function fill(f, w, ev) {
      var st = f.data.style || {};
      if (f.data.shape !== 'polygon' || f.data.symbol === 'ring' || !(st.fillOpacity > 0.05) || !f.main.getBounds) { return; }
      var bb = f.main.getBounds(), size = map.getSize();
      var p0 = map.latLngToContainerPoint(bb.getNorthWest()), p1 = map.latLngToContainerPoint(bb.getSouthEast());
      var x0 = Math.max(0, p0.x), x1 = Math.min(size.x, p1.x), y0 = Math.max(0, p0.y), y1 = Math.min(size.y, p1.y);
      if (x1 <= x0 || y1 <= y0) { return; }
      var step = Math.max(8, Math.sqrt((x1 - x0) * (y1 - y0) / 4000));
      var path = f.main._parts;  // Leaflet's projected rings (layer points), for the inside test
      if (!path || !path.length) { return; }
      var origin = map.containerPointToLayerPoint([0, 0]);
      for (var y = y0 + step / 2; y < y1; y += step) {
        for (var x = x0 + step / 2; x < x1; x += step) {
          var q = L.point(x + origin.x, y + origin.y), inside = false;
          path.forEach(function (ring) {
            for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
              if ((ring[i].y > q.y) !== (ring[j].y > q.y)
                  && q.x < (ring[j].x - ring[i].x) * (q.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x) { inside = !inside; }
            }
          });
          if (inside) { push(L.point(x, y), w, ev); }
        }
      }
    }
    function sample(f) {
      if (!S.app.shown(f) || (near && !reaches(f.data.latlngs))) { return; }
      var ev = !NOT_EVENT[f.data.group];
      walk(f.data.latlngs, EVENT_WEIGHT[f.data.group] || 2, ev);
      fill(f, EVENT_WEIGHT[f.data.group] || 2, ev);
    }
    // (every feature: those drawn whole, then the point layer's; not through app.features, whose
    // listing asks about each of its keys)
    var whole = S.app.wholeFeatures, points = S.app.pointHandles;
    Object.keys(whole).forEach(function (id) { sample(whole[id]); });
    points.keys().forEach(function (id) { var h = points.get(id); if (h) { sample(h); } });
    // the launch history's tracks and sites, when shown: not the event, but the legend keeps off them
    if (S.history && S.history.samplePoints) {
      S.history.samplePoints(function (x, y) {
        if (!near || inside(x, y)) { out.push([x, y, HISTORY_WEIGHT, false]); }
      }, HISTORY_SAMPLES);
    }
    return out;
  }

  // The legend's forms, largest first: 'full'; 'small' (smaller type, tighter rows); 'groups'
  // (small, and one row per layer: its symbols side by side, the layer's name).
  var FORMS = ['full', 'small', 'groups'];

  function groupRows(legend) {
    var div = legend._div, rows = div && div.querySelector('.sitmap-legend-rows');
    if (!rows) { return; }
    var entries = (S.app.payload.legend || []).filter(function (e) {
      var g = S.app.groups[e.group];
      return g && S.app.map.hasLayer(g);
    });
    var nodes = Array.prototype.slice.call(rows.querySelectorAll('.sitmap-legend-row'));
    if (nodes.length !== entries.length) { return; }
    var labels = {};
    (S.app.payload.groups || []).forEach(function (g) { labels[g.id] = g.label; });
    var byGroup = {}, order = [];
    entries.forEach(function (e, i) {
      if (!byGroup[e.group]) { byGroup[e.group] = []; order.push(e.group); }
      byGroup[e.group].push(nodes[i]);
    });
    while (rows.firstChild) { rows.removeChild(rows.firstChild); }
    order.forEach(function (g) {
      var members = byGroup[g];
      if (members.length === 1) { rows.appendChild(members[0]); return; }
      var row = el('div', 'sitmap-legend-row sitmap-legend-group-row');
      members.slice(0, 3).forEach(function (m) { var sw = m.querySelector('svg'); if (sw) { row.appendChild(sw); } });
      row.appendChild(el('span', null, (labels[g] || g) + ' (' + members.length + ')'));
      rows.appendChild(row);
    });
  }

  function setForm(legend, form) {
    legend.sitmapForm = form;
    legend.update();
  }

  // Each corner's cost for the legend as it is now: {corner, score, event (event samples covered)}.
  // Leaflet stacks the boxes of one corner, so the legend never overlaps the scale, the key facts
  // or the launch history's legend there: a corner holding them is crowded, as is one from which
  // the legend would reach a box of another corner, and a stack that does not fit in the frame
  // (the legend cut off at its edge) keeps no corner clear.
  // Corners are tried in this order, and no further once one costs nothing at all (no later one
  // could be chosen over it: a tie goes to the earlier, and no cost is below nothing).
  function corners(map, legend, samples) {
    var c = map.getContainer().getBoundingClientRect();
    var labels = Array.prototype.map.call(document.querySelectorAll('.sitmap-label:not(.sitmap-label-hidden)'), function (e) {
      return e.getBoundingClientRect();
    });
    var out = [];
    ['bottomright', 'bottomleft', 'topright', 'topleft'].some(function (corner) {
      legend.setPosition(corner);  // the control is added again: a new container each time
      var div = legend.getContainer(), r = div.getBoundingClientRect(), score = 0, event = 0;
      var x0 = r.left - c.left - 6, x1 = r.right - c.left + 6, y0 = r.top - c.top - 6, y1 = r.bottom - c.top + 6;
      samples.forEach(function (s) {
        if (s[0] >= x0 && s[0] <= x1 && s[1] >= y0 && s[1] <= y1) { score += s[2]; if (s[3]) { event += 1; } }
      });
      labels.forEach(function (l) {
        if (l.right > r.left && l.left < r.right && l.bottom > r.top && l.top < r.bottom) { score += 8; }
      });
      Array.prototype.forEach.call(div.parentNode ? div.parentNode.children : [], function (o) {
        if (o !== div && o.getBoundingClientRect().height > 0) { score += 1000; }
      });
      // a box of another corner it would reach (a tall legend down onto the scale below it)
      Array.prototype.forEach.call(map.getContainer().querySelectorAll('.leaflet-control'), function (o) {
        if (o === div || o.parentNode === div.parentNode) { return; }
        var q = o.getBoundingClientRect();
        if (q.height > 0 && q.right > r.left && q.left < r.right && q.bottom > r.top && q.top < r.bottom) { score += 1000; }
      });
      if (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5 || r.left < c.left - 0.5 || r.right > c.right + 0.5) {
        event += 1000;
      }
      out.push({ corner: corner, score: score, event: event });
      return event === 0 && score === 0;
    });
    return out;
  }

  // Where the legend may go: its box (with corners()' reach around it, and a pixel more) in each
  // form and corner corners() tries, in the map's container pixels.
  function legendReach(map, legend) {
    var c = map.getContainer().getBoundingClientRect(), out = [];
    FORMS.forEach(function (form) {
      setForm(legend, form);
      ['bottomright', 'bottomleft', 'topright', 'topleft'].forEach(function (corner) {
        legend.setPosition(corner);
        var r = legend.getContainer().getBoundingClientRect();
        out.push([r.left - c.left - 7, r.top - c.top - 7, r.right - c.left + 7, r.bottom - c.top + 7]);
      });
    });
    return out;
  }


  // No corner keeps the event clear: the legend goes beside the map, which gives up that width.
  function moveOutside(map, legend) {
    var cfg = briefing().config, frame = cfg.layout.frame;
    var gap = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--b-margin')) * 0.5 || 8;
    var box = el('div', 'sitmap-briefing-legend-outside');
    document.body.appendChild(box);
    var div = legend.getContainer();
    box.appendChild(div);
    if (div.getBoundingClientRect().height > frame.height) { setForm(legend, 'groups'); }  // one row per layer
    var w = Math.ceil(div.getBoundingClientRect().width) + 1;
    var mapW = Math.max(frame.width * 0.5, frame.width - w - gap);
    var cont = map.getContainer();
    cont.style.setProperty('width', mapW + 'px', 'important');
    box.style.left = (frame.left + mapW + gap) + 'px';
    box.style.top = frame.top + 'px';
    box.style.width = w + 'px';
    map.invalidateSize({ animate: false, pan: false });
    briefing().refit(map, S.app.payload.view || {});
    briefing().frameWidth = mapW;
  }

  function placeLegend(map) {
    var legend = S.app.legend, div = legend.getContainer();
    if (!div || div.style.display === 'none') { return null; }
    if (!legend.sitmapFormed) {  // the form survives the legend's own updates (a resize, a layer shown)
      legend.sitmapFormed = true;
      var plain = legend.update;
      legend.update = function () {
        plain.call(legend);
        var d = legend._div, f = legend.sitmapForm || 'full';  // (onAdd updates before getContainer() has it)
        if (!d) { return; }
        d.classList.toggle('sitmap-legend-small', f !== 'full');
        if (f === 'groups') { groupRows(legend); }
      };
    }
    // (a map of many features is sampled only where the legend may go: finding where takes a
    // layout of each form in each corner, more than a small map's samples take)
    var many = Object.keys(S.app.wholeFeatures).length + S.app.pointHandles.size >= SAMPLE_NEAR_FROM;
    var samples = featureSamples(map, many ? legendReach(map, legend) : null);
    for (var i = 0; i < FORMS.length; i++) {
      setForm(legend, FORMS[i]);
      var all = corners(map, legend, samples);
      var clear = all.filter(function (k) { return k.event === 0; });
      if (clear.length) {
        var best = clear.reduce(function (x, y) { return y.score < x.score - 1e-9 ? y : x; });
        if (legend.getPosition() !== best.corner) { legend.setPosition(best.corner); }  // (else there: the last tried)
        briefing().legendScore = best.score;
        briefing().legendForm = FORMS[i];
        return best.corner;
      }
    }
    setForm(legend, 'small');
    moveOutside(map, legend);
    briefing().legendScore = 0;
    briefing().legendForm = 'outside';
    briefing().legendOutsideForm = legend.sitmapForm;
    return 'outside';
  }

  S.legendPlacement = {
    featureSamples: featureSamples,
    legendReach: legendReach,
    corners: corners,
    place: placeLegend,
  };
}(window.SitMap, window.L));
