/* Thousands of lines and areas (an imported or generated layer) on one shared canvas, which
 * draws each shape on the neighbouring world copies itself instead of holding two more Leaflet
 * layers for them, and which is not redrawn by a pan that stays inside what it already shows.
 * A shape's vertices are projected only when it reaches the canvas.
 * S.shapeCanvas.Polyline and .Polygon are the shapes that go on it: never clipped to the
 * canvas (its copies lie outside it), picked on any copy, an area by its edge only (inside it,
 * Alt+click picks it: selection.js). Loaded after Leaflet and point_layer.js, before sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  // Width of the world in layer pixels at the map's zoom (EPSG:3857: the scale itself).
  function worldPx(map) { return map.options.crs.scale(map.getZoom()); }

  // Whether bounds b, moved dx pixels along x, meets bounds a.
  function meets(b, dx, a) {
    return b.min.x + dx <= a.max.x && b.max.x + dx >= a.min.x && b.min.y <= a.max.y && b.max.y >= a.min.y;
  }

  var SHIFTS = [0, -1, 1];  // the world itself, the one to the west, the one to the east

  var ShapeCanvas = L.Canvas.extend({
    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._shapes = new Set();
    },

    // The canvas is drawn a margin beyond the view and moves with the map: a pan that stays
    // inside what it already shows needs no redraw (Leaflet's would re-clip every shape).
    getEvents: S.keptCanvasEvents,
    _moveEnd: function () {
      if (this._projectedFor !== this._viewKey()) {
        // a new zoom or pixel origin (a jump: Leaflet resets the view after this): places first
        this._projectAll();
      } else if (S.canvasShowsView(this)) {
        return;
      }
      this._update();
    },
    _update: function () {
      L.Canvas.prototype._update.call(this);
      if (this._map) {
        this._updatedFor = this._map._animatingZoom ? null : this._viewKey();
        // shapes added since are placed by Leaflet for the view they join; a view changes
        // through a zoom or a reset, which place them all again (_projectAll)
        if (this._projectedFor === undefined) { this._projectedFor = this._updatedFor; }
      }
    },

    // A new view: only the shapes that reach the canvas (or have a copy that does) are clipped
    // and simplified; the others just hold nothing to draw (a zoomed-in view of 100,000 shapes
    // shows a few thousand). The shapes are walked in a set of their own: a walk over Leaflet's
    // object of 100,000 keys takes the page far longer.
    _updatePaths: function () {
      if (this._postponeUpdatePaths) { return; }
      var b = this._bounds, w = worldPx(this._map);
      this._redrawBounds = null;
      this._shapes.forEach(function (layer) {
        var pb = layer._pxBounds;
        if (layer._sitmapOnCopies && (!pb || !(meets(pb, 0, b) || meets(pb, -w, b) || meets(pb, w, b)))) {
          if (!layer._parts || layer._parts.length) { layer._parts = []; }
        } else {
          layer._update();
        }
      });
      this._redraw();
    },
    _initPath: function (layer) {
      L.Canvas.prototype._initPath.call(this, layer);
      this._shapes.add(layer);
    },
    _removePath: function (layer) {
      L.Canvas.prototype._removePath.call(this, layer);
      this._shapes.delete(layer);
    },
    _onZoomEnd: function () {
      if (this._projectedFor === this._viewKey()) { return; }  // (the view reset has just done it)
      this._projectAll();
    },
    _viewKey: function () {
      var map = this._map, o = map.getPixelOrigin();
      return map.getZoom() + '/' + o.x + '/' + o.y;
    },
    _projectAll: function () {
      this._shapes.forEach(function (layer) { layer._project(); });
      this._projectedFor = this._viewKey();
    },
    // A view reset (a jump farther than the window, a zoom without animation): every shape's
    // place anew, then one update of the shapes that reach the canvas (Leaflet's would project,
    // clip and simplify every shape).
    _reset: function () {
      // (Leaflet resets the view after its zoomend and moveend: what they did for this view is
      // not done again.)
      var key = this._viewKey();
      if (this._projectedFor !== key) { this._projectAll(); }
      if (this._updatedFor !== key) { this._update(); }
      this._updateTransform(this._center, this._zoom);
      if (this._postponeUpdatePaths) {
        this._postponeUpdatePaths = false;
        this._updatePaths();
      }
    },

    // A shape's copies on the canvas are redrawn with it.
    _extendRedrawBounds: function (layer) {
      var pb = layer._pxBounds, area = this._bounds;
      if (!pb || !this._map) { return; }
      var w = worldPx(this._map), pad = (layer.options.weight || 0) + 1;
      for (var k = 0; k < SHIFTS.length; k++) {
        var dx = SHIFTS[k] * w;
        if (k && !(area && meets(pb, dx, area))) { continue; }
        this._redrawBounds = this._redrawBounds || new L.Bounds();
        this._redrawBounds.extend(L.point(pb.min.x + dx - pad, pb.min.y - pad));
        this._redrawBounds.extend(L.point(pb.max.x + dx + pad, pb.max.y + pad));
      }
    },

    // Every shape that reaches what is drawn, on each world copy that reaches it.
    _draw: function () {
      var ctx = this._ctx, clip = this._redrawBounds, area = clip || this._bounds;
      if (!this._map || !area) { return; }
      var w = worldPx(this._map);
      ctx.save();
      if (clip) {
        var size = clip.getSize();
        ctx.beginPath();
        ctx.rect(clip.min.x, clip.min.y, size.x, size.y);
        ctx.clip();
      }
      this._drawing = true;
      for (var order = this._drawFirst; order; order = order.next) {
        var layer = order.layer, pb = layer._pxBounds;
        if (!pb) { continue; }
        for (var k = 0; k < SHIFTS.length; k++) {
          var dx = SHIFTS[k] * w;
          if (!meets(pb, dx, area)) { continue; }
          if (dx) { ctx.translate(dx, 0); }
          layer._updatePath();
          if (dx) { ctx.translate(-dx, 0); }
        }
      }
      this._drawing = false;
      ctx.restore();
    }
  });

  // What a shape on that canvas does differently from Leaflet's.
  function onCopies(hit) {
    return {
      // Where it is on a new zoom comes from its corners alone (Mercator keeps their order); its
      // vertices are projected when it or a copy of it first reaches the canvas at that zoom: zoomed
      // in on a map of 100,000 shapes, a few hundred are.
      _sitmapOnCopies: true,
      _project: function () {
        var b = this._bounds, map = this._map;
        this._rings = null;
        if (b.isValid()) {
          this._rawPxBounds = L.bounds(map.latLngToLayerPoint(b.getNorthWest()), map.latLngToLayerPoint(b.getSouthEast()));
          this._updateBounds();
        }
      },
      // Whole, not clipped: a copy may be in view where the shape itself is not.
      _clipPoints: function () {
        var r = this._renderer, pb = this._pxBounds, b = r._bounds, w = worldPx(this._map);
        this._parts = [];
        if (pb && b && (meets(pb, 0, b) || meets(pb, -w, b) || meets(pb, w, b))) {
          if (!this._rings) {
            this._rings = [];
            this._projectLatlngs(this._latlngs, this._rings, new L.Bounds());
          }
          this._parts = this._rings;
        }
      },
      // Picked on whichever copy is under the pointer.
      _containsPoint: function (p) {
        var w = worldPx(this._map);
        return hit.call(this, p) || hit.call(this, L.point(p.x + w, p.y)) || hit.call(this, L.point(p.x - w, p.y));
      }
    };
  }

  var Polyline = L.Polyline.extend(onCopies(function (p) {
    return L.Polyline.prototype._containsPoint.call(this, p, false);
  }));

  // An area: picked by its edge, with the selection's wide reach (selection.js), not its inside.
  var Polygon = L.Polygon.extend(L.extend(onCopies(function (p) {
    return L.Polyline.prototype._containsPoint.call(this, p, true);
  }), {
    _clickTolerance: function () {
      var edge = ((S.selection || {}).hitWeight || 12) / 2;
      return Math.max(edge, L.Polygon.prototype._clickTolerance.call(this));
    }
  }));

  S.shapeCanvas = {
    create: function (options) { return new ShapeCanvas(options); },
    Polyline: Polyline,
    Polygon: Polygon,
    worldPx: worldPx
  };
})(window.SitMap);
