/* Many point annotations (an imported or generated layer of thousands): circles on one shared
 * canvas that draws each style as one path, skips redraws a pan does not need and re-projects
 * on zoom in one loop. Loaded after Leaflet, before sitmap.js, which draws through S.points. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var points = S.points = {};

  // Thousands of point annotations (an imported or generated layer): drawn as circles on one
  // shared canvas instead of a DOM marker with an SVG and a permanent label each, which stalls the
  // page from a few thousand on (every permanent label forces a layout). Their names show on hover;
  // click, popup, selection and removal work as for every other feature. The scenario's own markers
  // and the analyst's text labels keep their symbols.
  var MANY_MARKERS = 500;

  points.many = function () {
    var app = S.app, p = app.payload;
    if (p._markerCount === undefined) {
      p._markerCount = (p.features || []).filter(function (f) { return f.shape === 'marker'; }).length;
    }
    return p._markerCount > MANY_MARKERS || app.markersDrawn > MANY_MARKERS;
  };

  points.plain = function (f) {
    return f.shape === 'marker' && f.group === 'annotations' && f.symbol === 'marker' && !f.uncertainty;
  };

  // A canvas that draws its circles of one style as one path: one fill and one stroke for all of
  // them instead of one each (the per-point state changes are what cost at 100,000 points).
  var BatchedPoints = L.Canvas.extend({
    // Only circles live here, and a circle's pixel position does not change when the map pans:
    // a pan redraws them without asking each of them to update first (100,000 calls saved).
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      this._redrawBounds = null;
      this._redraw();
    },
    // The canvas is drawn a margin beyond the view and moves with the map: a pan that stays
    // inside what it already shows needs no redraw at all.
    getEvents: function () {
      var events = L.Canvas.prototype.getEvents.call(this);
      events.moveend = this._moveEnd;
      return events;
    },
    _moveEnd: function () {
      var map = this._map, b = this._bounds;
      if (b && this._zoom === map.getZoom()) {
        var view = L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize()));
        if (b.contains(view)) { return; }
      }
      this._update();
    },
    // A zoom re-projects every circle: here in one loop of plain arithmetic (Web Mercator, the
    // map's projection, as Leaflet computes it) instead of a chain of Leaflet calls per circle.
    _onZoomEnd: function () {
      if (this._map.options.crs !== L.CRS.EPSG3857) { L.Canvas.prototype._onZoomEnd.call(this); return; }
      this._projectAll();
    },
    // A view reset (a zoom without animation, a jump) also re-projects: Leaflet's own reset asks
    // each circle to project itself, one chain of calls per circle; here it is the same loop.
    _reset: function () {
      if (this._map.options.crs !== L.CRS.EPSG3857) { L.Canvas.prototype._reset.call(this); return; }
      this._update();
      this._updateTransform(this._center, this._zoom);
      this._projectAll();
      if (this._postponeUpdatePaths) {
        this._postponeUpdatePaths = false;
        this._updatePaths();
      }
    },
    _projectAll: function () {
      var map = this._map, crs = map.options.crs, zoom = map.getZoom(), o = map.getPixelOrigin();
      var at = zoom + ':' + o.x + ':' + o.y;
      // a zoom without animation resets the view, then ends: one projection does for both (points
      // added or moved meanwhile were projected by Leaflet as they came)
      if (this._projectedAt === at) { return; }
      var scale = crs.scale(zoom), d = Math.PI / 180;
      var lim = L.Projection.SphericalMercator.MAX_LATITUDE, tol = this.options.tolerance || 0;
      for (var id in this._layers) {
        var l = this._layers[id];
        if (l._mRadius !== undefined || !l._latlng) { l._project(); continue; }
        if (l._mercOf !== l._latlng) {  // once per position: where it is on the unit Mercator square
          var lat = Math.max(Math.min(lim, l._latlng.lat), -lim), sin = Math.sin(lat * d);
          l._mercX = l._latlng.lng / 360 + 0.5;
          l._mercY = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
          l._mercOf = l._latlng;  // Leaflet gives a moved point a new LatLng object
        }
        var x = Math.round(scale * l._mercX) - o.x;
        var y = Math.round(scale * l._mercY) - o.y;
        var r = (l._radius || 0) + (l.options.stroke ? l.options.weight / 2 : 0) + tol;
        l._point = new L.Point(x, y);
        l._pxBounds = new L.Bounds(new L.Point(x - r, y - r), new L.Point(x + r, y + r));
      }
      this._projectedAt = at;
    },
    _updateStyle: function (layer) {
      layer._batchKey = null;  // its style changed (selected, hidden): batched anew
      L.Canvas.prototype._updateStyle.call(this, layer);
    },
    _draw: function () {
      var bounds = this._redrawBounds, ctx = this._ctx, stamps = this._stamps || (this._stamps = {});
      var m = L.Browser.retina ? 2 : 1;
      ctx.save();
      if (bounds) {
        var size = bounds.getSize();
        ctx.beginPath();
        ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y);
        ctx.clip();
      }
      var area = bounds || this._bounds, x0 = area.min.x, y0 = area.min.y, x1 = area.max.x, y1 = area.max.y;
      for (var order = this._drawFirst; order; order = order.next) {
        var layer = order.layer, pt = layer._point, r = Math.max(Math.round(layer._radius), 1), w = r + 4;
        // outside what is drawn (the canvas, or the part being redrawn): skipped at once
        if (!pt || pt.x + w < x0 || pt.x - w > x1 || pt.y + w < y0 || pt.y - w > y1 || layer._empty()) { continue; }
        var o = layer.options;
        var key = layer._batchKey;
        if (!key) {
          key = layer._batchKey = [r, o.stroke, o.color, o.weight, o.opacity, o.fill, o.fillColor, o.fillOpacity].join('|');
        }
        var st = stamps[key] || (stamps[key] = stamp(o, r, m));
        ctx.drawImage(st.canvas, pt.x - st.half, pt.y - st.half, st.size, st.size);
      }
      ctx.restore();
    }
  });

  // One circle of one style, drawn once at the canvas's pixel density: each point is a copy of it
  // (a copied bitmap costs the rasteriser far less than 100,000 antialiased arcs).
  function stamp(o, r, m) {
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
    return { canvas: c, half: half, size: size };
  }

  function sharedCanvas() {
    var app = S.app;
    if (!app.pointCanvas) { app.pointCanvas = new BatchedPoints({ padding: 0.5, tolerance: 4 }); }
    return app.pointCanvas;
  }

  // The name of the point under the pointer: one element for all canvas points. Not a Leaflet
  // tooltip, whose opening adds a layer to the map, and every added layer rebuilds the legend.
  function hoverLabel(f, on, content) {
    var app = S.app, box = app.pointLabel;
    if (!box) {
      box = app.pointLabel = document.createElement('div');
      box.className = 'leaflet-tooltip sitmap-label sitmap-point-label';
      box.style.pointerEvents = 'none';
      app.map.getPanes().tooltipPane.appendChild(box);
      app.map.on('zoomstart movestart', function () { box.style.display = 'none'; });
    }
    if (!on) { box.style.display = 'none'; return; }
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(content());
    box.style.display = '';
    // Half a label's height up, without reading it back (that would force a layout of the page).
    L.DomUtil.setPosition(box, app.map.latLngToLayerPoint(f.latlngs).add([8, -11]));
  }

  // One canvas circle; its label (``label()``) shows on hover, its popup (``popup()``) is built
  // when first opened (null: no popup).
  points.circle = function (f, label, popup) {
    var st = f.style || {};
    var main = L.circleMarker(f.latlngs, {
      renderer: sharedCanvas(), radius: 5, color: '#1a1a1a', weight: st.weight || 2,
      fillColor: st.color || '#333333', fillOpacity: 0.9, bubblingMouseEvents: false
    });
    if (f.label) {
      main.on('mouseover', function () { hoverLabel(f, true, label); });
      main.on('mouseout', function () { hoverLabel(f, false); });
    }
    if (popup) {
      main.bindPopup(popup, { maxWidth: 320 });
    }
    return main;
  };
})(window.SitMap);
