window.SitMap = window.SitMap || {};

/*
 * A tile package (MBTiles / PMTiles the user opened) shown as the basemap.
 *
 * SitMap.packageLayer(spec, options) returns a Leaflet layer for a package spec made by
 * viewer/render/tile_packages.py ({name, attribution, vector, format, url, minZoom,
 * maxZoom, bounds, inline?}):
 *   - vector packages: a SitMap.basemapLayer over the package's URL; the app answers in the
 *     built-in basemap's tile JSON (and with the built-in tiles outside the package's zooms
 *     and bounds), so the package is drawn by the same painter in the same style;
 *   - raster packages: image tiles drawn over the built-in basemap, shown only within the
 *     package's zooms and bounds, so the built-in basemap shows everywhere else.
 *   spec.inline ({"z/x/y": data URL}) carries a raster package's tiles inside an exported
 *   file instead of a URL.
 *
 * Attribution text is escaped: metadata is text, never markup.
 */
(function (S, L) {
    'use strict';

    function escapeText(s) {
        return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
            return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
        });
    }

    // Image tiles from a dictionary of data URLs (the HTML export): nothing is fetched.
    var InlineRaster = L.GridLayer.extend({
        initialize: function (tiles, options) {
            this._inline = tiles || {};
            L.GridLayer.prototype.initialize.call(this, options);
        },
        createTile: function (coords, done) {
            var img = document.createElement('img');
            img.alt = '';
            img.className = 'sitmap-package-tile';
            var src = this._inline[coords.z + '/' + S.wrapTileX(coords.x, coords.z) + '/' + coords.y];
            if (src && /^data:image\/(png|jpeg|webp);base64,/.test(src)) {
                img.onload = function () { done(null, img); };
                img.onerror = function () { done(new Error('tile'), img); };
                img.src = src;
            } else {
                window.setTimeout(function () { done(null, img); }, 0);
            }
            return img;
        }
    });

    // A raster package's tiles asked for on every world copy by their place in the one world (the
    // app serves x in 0..2^z-1 only).
    var WrappedRaster = L.TileLayer.extend({
        getTileUrl: function (coords) {
            var c = L.point(S.wrapTileX(coords.x, this._getZoomForUrl()), coords.y);
            c.z = coords.z;
            return L.TileLayer.prototype.getTileUrl.call(this, c);
        }
    });

    S.packageLayer = function (spec, options) {
        options = options || {};
        var attribution = escapeText(spec.attribution || spec.name || '');
        if (spec.vector) {
            // the app fills the package's gaps with built-in tiles: credit both
            if (options.builtinAttribution) { attribution += ' \u00b7 ' + options.builtinAttribution; }
            var v = S.basemapLayer(spec.url, {
                attribution: attribution, maxNativeZoom: 14, maxZoom: 18,
                hideLabels: options.hideLabels || null
            });
            v.sitmapVector = true;
            return v;
        }
        // (bounds round the whole world are none: Leaflet would not ask for the tiles of the world
        // copies either side, and past 180 degrees the package would stop)
        var bounds = spec.bounds ? L.latLngBounds(spec.bounds) : null;
        if (bounds && bounds.getEast() - bounds.getWest() >= 359.9) { bounds = null; }
        var opts = {
            attribution: attribution,
            minZoom: spec.minZoom, maxZoom: spec.maxZoom,
            bounds: bounds || undefined,
            className: 'sitmap-package-layer', zIndex: 2
        };
        var layer = spec.inline ? new InlineRaster(spec.inline, opts) : new WrappedRaster(spec.url, opts);
        layer.sitmapVector = false;
        return layer;
    };
}(window.SitMap, window.L));
