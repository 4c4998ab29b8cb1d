/* Labels (Leaflet tooltips) that join the map together are placed together: S.tooltipsPlacedAfter
 * (add) runs add() with the tooltips it opens placed once they are all in. Each one placed as it
 * opens measures itself (its offsetWidth), which lays the page out again after the one before.
 * Loaded after Leaflet, before sitmap.js (a map's start, its world copies first shown). */
window.SitMap = window.SitMap || {};
(function (S, L) {
  'use strict';

  // (Leaflet's own method stays in place, wrapped once: a tooltip's zoom and viewreset handlers
  // are the method it had when it joined the map.)
  var placeDue = null;  // while add() runs: the tooltips to place after it
  var placeTooltip = L.Tooltip.prototype._updatePosition;
  L.Tooltip.prototype._updatePosition = function () {
    if (!placeDue) { return placeTooltip.apply(this, arguments); }
    if (!this._sitmapPlaceDue) { this._sitmapPlaceDue = true; placeDue.push(this); }
  };

  S.tooltipsPlacedAfter = function (add) {
    var due = placeDue = [];
    try {
      add();
    } finally {
      placeDue = null;
    }
    var placed = due.filter(function (t) { t._sitmapPlaceDue = false; return !!t._map; });
    // Every size read first (one layout), then each placed with the size it had: read one by one
    // between placements, each read laid the page out again after the placement before it.
    var sizes = placed.map(function (t) { return [t._container.offsetWidth, t._container.offsetHeight]; });
    placed.forEach(function (t, i) {
      var c = t._container;
      Object.defineProperty(c, 'offsetWidth', { value: sizes[i][0], configurable: true });
      Object.defineProperty(c, 'offsetHeight', { value: sizes[i][1], configurable: true });
      try {
        placeTooltip.call(t);
      } finally {
        delete c.offsetWidth;
        delete c.offsetHeight;
      }
    });
  };
}(window.SitMap, window.L));
