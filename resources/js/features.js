/* How a feature is drawn on the page (sitmap.js's S.app): its layers (a marker with its symbol and
 * label, a line or area with its world copies, or its place on the shared canvas or the point
 * layer when there are thousands), its popup, hover name and what a click does; labels that show
 * only at some zooms. Every text from a scenario is set with textContent or as an SVG text node,
 * never as HTML. Loaded after sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var app = S.app;
  var dom = S.dom, el = dom.el, svg = dom.svg, dashArray = dom.dashArray;
  var symbolSvg = S.legend.symbol;

  // A label's text: a name of more than LABEL_CHARS characters (two or three lines) is cut after a
  // whole word where it has one, with "..."; its popup and the panels give it whole. An analyst's
  // text label is its own text, shown whole.
  var LABEL_CHARS = 90;
  function shortText(text) {
    text = String(text);
    if (text.length <= LABEL_CHARS) { return text; }
    var cut = text.slice(0, LABEL_CHARS), space = cut.lastIndexOf(' ');
    // (a name without spaces breaks anywhere, in wider letters: two thirds of it)
    cut = space > LABEL_CHARS / 2 ? cut.slice(0, space) : cut.slice(0, Math.round(LABEL_CHARS * 2 / 3));
    return cut.replace(/[\s,;:\u2013\u2014-]+$/, '') + '\u2026';
  }

  function label(text, colour, extraClass) {
    var whole = (extraClass || '').indexOf('sitmap-place-label-text') >= 0;
    var span = el('span', 'sitmap-label-text', whole ? text : shortText(text));
    if (colour) { span.style.color = colour; }
    var box = el('div', 'sitmap-label-inner ' + (extraClass || ''));
    box.appendChild(span);
    return box;
  }

  function arrowHead(latlngs, colour) {
    var n = latlngs.length;
    var a = L.CRS.EPSG3857.project(L.latLng(latlngs[n - 2]));
    var b = L.CRS.EPSG3857.project(L.latLng(latlngs[n - 1]));
    // Mercator is conformal, so this angle holds at every zoom.
    var angle = Math.atan2(-(b.y - a.y), b.x - a.x) * 180 / Math.PI;
    var s = svg('svg', { width: 22, height: 22, viewBox: '0 0 22 22' });
    s.appendChild(svg('polygon', { points: '4,3 20,11 4,19 8,11', fill: colour, stroke: '#fff', 'stroke-width': 1 }));
    s.style.transform = 'rotate(' + (-angle) + 'deg)';
    return L.marker(latlngs[n - 1], {
      icon: L.divIcon({ html: s, className: 'sitmap-arrow', iconSize: [22, 22], iconAnchor: [11, 11] }),
      interactive: false, keyboard: false
    });
  }

  function zoomLimited(tooltip, f) {
    if (f.labelMinZoom === undefined && f.labelMaxZoom === undefined) { return tooltip; }
    app.zoomLabels.push({ tooltip: tooltip, min: f.labelMinZoom, max: f.labelMaxZoom });
    return tooltip;
  }

  function updateZoomLabels() {
    var z = app.map.getZoom();
    app.zoomLabels.forEach(function (zl) {
      var e = zl.tooltip.getElement && zl.tooltip.getElement();
      if (!e) { return; }
      var hidden = (zl.min !== undefined && z < zl.min) || (zl.max !== undefined && z > zl.max);
      e.style.display = hidden ? 'none' : '';
    });
  }

  function shifted(latlngs, dx) {
    if (typeof latlngs[0] === 'number') { return [latlngs[0], latlngs[1] + dx]; }
    return latlngs.map(function (a) { return shifted(a, dx); });
  }

  // Leaflet repeats tiles, not vectors: draw shapes on the neighbouring world copies too,
  // so a ring that reaches round the globe or across 180 degrees is whole wherever one looks.
  function worldCopies(make, latlngs) {
    return [-360, 360].map(function (dx) { return make(shifted(latlngs, dx)); });
  }

  app.markersDrawn = 0;  // points.js: past a few hundred, plain markers are canvas circles

  // Thousands of lines and areas (an imported layer): drawn on one shared canvas instead of an
  // SVG path each, whose every pan re-clips and rewrites tens of thousands of DOM paths. (A
  // map's own few keep SVG: crisp at any zoom, one element each for styling.)
  var MANY_SHAPES = 1000;
  function shapeRenderer() {
    var p = app.payload;
    if (p._shapeCount === undefined) {
      p._shapeCount = (p.features || []).filter(function (f) { return f.shape !== 'marker'; }).length;
    }
    if (p._shapeCount <= MANY_SHAPES) { return undefined; }
    // (paced: once the page has reported ready, on a map a user moves; a briefing paints whole)
    return app.shapeCanvas || (app.shapeCanvas = S.shapeCanvas.create({ padding: 0.5, tolerance: 3, paced: function () {
      return !!app.ready && !!app.payload && app.payload.interactive !== false;
    } }));
  }

  function popupContent(f) {
    var popup = el('div', 'sitmap-popup');
    popup.appendChild(el('div', 'sitmap-popup-title', f.name));
    popup.appendChild(el('div', 'sitmap-popup-status sitmap-status-' + f.status, f.status));
    if (f.notes) { popup.appendChild(el('div', 'sitmap-popup-notes', f.notes)); }
    if (f.source) { popup.appendChild(el('div', 'sitmap-popup-source', 'Source: ' + f.source)); }
    return popup;
  }

  // What a feature does when clicked or right-clicked (its layers', or its point's in S.points).
  function featureClicked(id, e) {
    if (S.draw && S.draw.tool) { app.send('mapClicked', e.latlng.lat, e.latlng.lng); L.DomEvent.stop(e); return; }
    if (e.originalEvent && e.originalEvent.shiftKey) { app.send('featureShiftClicked', id); return; }
    app.select(id, false);
    app.send('featureClicked', id);
  }

  function featureContextMenu(id, e) {
    L.DomEvent.stop(e);
    if (e.originalEvent) { e.originalEvent.preventDefault(); }
    app.send('featureContextMenu', id, e.latlng.lat, e.latlng.lng);
  }

  function drawFeature(f) {
    var st = f.style || {};
    var parts = [];
    var main;
    var copies = null;  // a marker's (an arrow head's) layers on the world copy dx degrees east
    var interactive = app.payload.interactive !== false;
    if (f.shape === 'marker') { app.markersDrawn += 1; }
    // A line or area of a map with thousands: on the shared canvas, which draws it on every world
    // copy and picks it by its edge itself (shape_canvas.js); otherwise two more layers are the
    // world copies.
    var many = f.shape !== 'marker' && !!shapeRenderer();
    if (S.points.plain(f) && S.points.many()) {
      return S.points.add(f);  // a point of the point layer: its handle is its data, main and layer
    } else if (f.shape === 'polygon') {
      var opacity = st.opacity === undefined ? 1 : st.opacity;
      var polyStyle = {
        color: st.color, weight: st.weight || 2, fillColor: st.fillColor || st.color, fillOpacity: st.fillOpacity || 0,
        opacity: opacity, dashArray: dashArray(st.dash), renderer: shapeRenderer()
      };
      if (f.outline) { polyStyle.stroke = false; }
      /* selection.js: picked by the edge, the inside takes no clicks */
      var byEdge = interactive && !!S.selection && (!many || !!f.centre);
      if (byEdge || (many && f.outline)) { polyStyle.interactive = false; }
      main = many ? new S.shapeCanvas.Polygon(f.latlngs, polyStyle) : L.polygon(f.latlngs, polyStyle);
      parts.push(main);
      if (byEdge) { parts = parts.concat(S.selection.edgeTargets(main, f)); }
      if (!many) {
        parts = parts.concat(worldCopies(function (ll) {
          return L.polygon(ll, L.extend({}, polyStyle, { interactive: false }));
        }, f.latlngs));
      }
      if (f.outline) {
        var edge = { color: st.color, weight: st.weight || 2, opacity: opacity, dashArray: dashArray(st.dash),
          interactive: false, renderer: shapeRenderer() };
        var outline = many ? new S.shapeCanvas.Polyline(f.outline, edge) : L.polyline(f.outline, edge);
        parts.push(outline);
        main._sitmapOutline = outline;
        if (!many) { parts = parts.concat(worldCopies(function (ll) { return L.polyline(ll, edge); }, f.outline)); }
      }
    } else if (f.shape === 'line') {
      var lineStyle = { color: st.color, weight: st.weight || 3, opacity: st.opacity === undefined ? 1 : st.opacity,
        dashArray: dashArray(st.dash), lineCap: 'round', renderer: shapeRenderer() };
      if (many) {
        main = new S.shapeCanvas.Polyline(f.latlngs, lineStyle);
        parts.push(main);
      } else {
        main = L.polyline(f.latlngs, lineStyle);
        parts.push(main);
        parts = parts.concat(worldCopies(function (ll) {
          return L.polyline(ll, L.extend({}, lineStyle, { interactive: false }));
        }, f.latlngs));
      }
      if (st.arrow && f.latlngs.length > 1) {
        parts.push(arrowHead(f.latlngs, st.color));
        copies = function (dx) { return [arrowHead(shifted(f.latlngs, dx), st.color)]; };
      }
    } else {
      if (f.uncertainty) {
        parts.push(L.polygon(f.uncertainty, {
          color: st.color, weight: 1.2, dashArray: '4 3', fillColor: st.color, fillOpacity: 0.1, interactive: false
        }));
      }
      var size = f.symbol === 'launch' ? 22 : f.symbol === 'city' ? 12 : 16;
      var icon = function () {
        return L.divIcon({ html: symbolSvg(f.symbol, st.color, size), className: 'sitmap-marker sitmap-marker-' + f.symbol,
          iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
      };
      main = L.marker(f.latlngs, { icon: icon(), title: '', alt: '', keyboard: false, riseOnHover: true });
      parts.push(main);
      var placeLabel = function () {
        var dir = f.labelDir || 'right';
        var offset = { left: [-size / 2, 0], right: [size / 2, 0], bottom: [0, size / 2], top: [0, -size / 2], center: [0, 0] }[dir] || [0, 0];
        var t = L.tooltip({ permanent: true, direction: dir, offset: offset,
          className: 'sitmap-label', interactive: false });
        // (a text label in the analyst's own colour, else the page's dark text)
        var colour = f.symbol === 'text' && st.textColor ? st.textColor : null;
        return zoomLimited(t.setContent(label(f.label, colour, 'sitmap-place-label-' + f.symbol)), f);
      };
      if (f.label) { main.bindTooltip(placeLabel()); }
      // its world copies (made once the map shows a copy: see app.showWorldCopies)
      copies = function (dx) {
        var ll = shifted(f.latlngs, dx), out = [];
        if (f.uncertainty) {
          out.push(L.polygon(shifted(f.uncertainty, dx), {
            color: st.color, weight: 1.2, dashArray: '4 3', fillColor: st.color, fillOpacity: 0.1, interactive: false
          }));
        }
        var copy = L.marker(ll, { icon: icon(), title: '', alt: '', keyboard: false, riseOnHover: true,
                                  interactive: app.payload.interactive !== false });
        // a click on it is one on the marker (its popup opened where the copy is)
        copy.on('click', function (e) {
          if (main.getPopup()) { main.openPopup(copy.getLatLng()); }
          featureClicked(f.id, e);
        });
        copy.on('contextmenu', function (e) { featureContextMenu(f.id, e); });
        // the pointer on it is on the marker (a label that gave way shows: labels.js)
        copy.on('mouseover mouseout', function (e) { main.fire(e.type, { latlng: e.latlng, originalEvent: e.originalEvent }); });
        out.push(copy);
        if (f.label) { out.push(placeLabel().setLatLng(ll)); }
        return out;
      };
    }
    if (f.shape !== 'marker' && f.label && f.labelAt) {
      var ring = f.symbol === 'ring';
      // (a ring's name stands just outside it, above its northernmost point: the line never runs through it)
      parts.push(zoomLimited(L.tooltip({ permanent: true, direction: ring ? 'top' : 'right', offset: ring ? [0, 5] : [8, 0],
        className: 'sitmap-label' + (ring ? ' sitmap-ring-label' : ''), interactive: false })
        .setLatLng(f.labelAt).setContent(label(f.label, ring ? st.color : null)), f));
    }
    var bind = function (m) {
      if (interactive) {
        // Thousands of shapes: each one's popup and hover name are made when first shown, not
        // five DOM elements a shape up front.
        var hover = function () { return el('span', null, f.name + (f.status ? ' \u2014 ' + f.status : '')); };
        m.bindPopup(many ? function () { return popupContent(f); } : popupContent(f), { maxWidth: 320 });
        if (f.shape !== 'marker') {
          m.bindTooltip(many ? hover : hover(), { sticky: true, className: 'sitmap-hover' });
        }
      }
      m.on('contextmenu', function (e) { featureContextMenu(f.id, e); });
      m.on('click', function (e) { featureClicked(f.id, e); });
    };
    // (a shape of many binds these when first asked: shape_canvas.js)
    if (many) { main.sitmapBind = bind; } else { bind(main); }
    // A shape on the canvas of many that is one layer is its own layer (no group a shape to add).
    // labelled: it has a label of its own on the map (labels.js places only those).
    // copies(dx): its markers on the world copy dx degrees east (lines and areas have theirs already).
    return { data: f, layer: many && parts.length === 1 ? main : L.featureGroup(parts), main: main,
             labelled: !!(f.label && (f.shape === 'marker' || f.labelAt)), copies: copies };
  }

  S.feature = { draw: drawFeature, label: label, popupContent: popupContent, clicked: featureClicked,
                contextMenu: featureContextMenu, shapeRenderer: shapeRenderer, updateZoomLabels: updateZoomLabels };
})(window.SitMap);
