/* The basemap's tiles kept for a way back (basemap.js): a tile drawn and then let go by Leaflet (a
 * pan away, a zoom to another level) keeps its canvas, a few dozen of them, the ones let go
 * longest ago going first; the same tile asked for again at the same size is that canvas again,
 * shown at once, instead of asked of the app and drawn anew (16-20 tiles, 11-18 ms of drawing a
 * step back). Methods of the layer (S.basemapKept, included into S.BasemapLayer). Loaded after
 * basemap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var KEPT_PIXELS = 64 * 256 * 256;  // canvas pixels kept at most (64 tiles at a pixel ratio of 1)

  S.basemapKept = {
    // A tile let go (tileunload): kept if it is drawn whole as it stands.
    _keepTile: function (e) {
      var el = e && e.tile, m = el && el._sitmap;
      if (!m || el._sitmapStale || el._sitmapPicture || el._sitmapAbort || this._drawingAnew) { return; }
      var kept = this._keptTiles || (this._keptTiles = new Map()), key = this._tileKey(m.coords);
      this._dropKept(key);  // (another canvas of the same tile, one of a world copy's)
      kept.set(key, el);  // (a Map keeps the order things went in: the first, let go longest ago)
      this._keptPixels = (this._keptPixels || 0) + el.width * el.height;
      var self = this;
      kept.forEach(function (old, k) {
        if (self._keptPixels > KEPT_PIXELS && old !== el) { self._dropKept(k); }
      });
    },

    // The kept canvas of the tile at ``coords`` for a canvas like ``spec`` (_canvasSpec), taken
    // out of those kept; null if there is none. (Its labels as the last placement left them out:
    // the placement that follows its coming, as any tile's, draws it anew if it leaves out others.)
    _takeKept: function (coords, spec) {
      var kept = this._keptTiles, key = this._tileKey(coords), el = kept && kept.get(key);
      if (!el) { return null; }
      this._dropKept(key);
      if (el.width !== spec.width || el.height !== spec.height || el._sitmap.ratio !== spec.ratio) { return null; }
      return el;
    },

    // Every tile drawn anew (Leaflet's redraw): none of those let go is kept, none kept shown.
    redraw: function () {
      this._forgetKept();
      this._drawingAnew = true;
      try { return L.GridLayer.prototype.redraw.call(this); } finally { this._drawingAnew = false; }
    },

    // None kept (what they show is out of date: the names the map labels itself changed).
    _forgetKept: function () {
      this._keptTiles = null;
      this._keptPixels = 0;
    },

    _dropKept: function (key) {
      var el = this._keptTiles.get(key);
      if (!el) { return; }
      this._keptTiles.delete(key);
      this._keptPixels -= el.width * el.height;
    }
  };

  if (S.BasemapLayer) { S.BasemapLayer.include(S.basemapKept); }
})(window.SitMap);
