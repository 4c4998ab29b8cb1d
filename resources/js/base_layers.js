/* The map's base layers (loaded after sitmap.js): the built-in basemap, a tile package over or
 * instead of it, and the online layers the user may choose (their tiles given up when they do not
 * come); when the basemap has settled, for the page's ready state. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var app = S.app, escapeHtml = S.dom.escapeHtml;

  // The names of the cities the map marks itself: the basemap leaves its own labels of them out.
  app.cityNames = function () {
    var p = app.payload;
    return p.cityNames || (p.features || []).filter(function (f) { return f.symbol === 'city'; })
      .map(function (f) { return f.name; });
  };

  // An online tile that has not come within this time is given up, so a network that
  // silently drops packets shows an error quickly instead of a map that never finishes.
  app.onlineTileTimeoutMs = 6000;
  var PatientTileLayer = L.TileLayer.extend({
    createTile: function (coords, done) {
      var settled = false;
      var finish = function (err, tile) { if (!settled) { settled = true; done(err, tile); } };
      var tile = L.TileLayer.prototype.createTile.call(this, coords, finish);
      var timer = setTimeout(function () {
        if (!settled) {
          finish(new Error('tile timed out'), tile);
          tile.src = L.Util.emptyImageUrl;  // after: Leaflet ignores tiles already emptied
        }
      }, app.onlineTileTimeoutMs);
      L.DomEvent.on(tile, 'load error', function () { clearTimeout(timer); });
      return tile;
    }
  });

  app.enableOnline = function (name) {
    var o = app.online[name];
    if (!o || !app.map.hasLayer(o.holder)) { return false; }
    var t = new PatientTileLayer(o.spec.url, { attribution: escapeHtml(o.spec.attribution), maxZoom: o.spec.maxZoom });
    var failed = false;
    t.on('tileerror', function () {
      if (!failed) { failed = true; app.send('onlineTileFailed', name); }
    });
    t.on('load', function () { if (app.waitOnline) { app.waitOnline = false; app.basemapsSettled(); } });
    o.holder.addLayer(t);
    return true;
  };

  /* --- the basemap: built-in, or a tile package over / instead of it --- */
  // Are the basemap layers still fetching tiles? (A layer outside its zooms shows nothing and
  // may keep a stale "loading" flag: it does not count.)
  app.basemapBusy = function () {
    var z = app.map.getZoom();
    var busy = function (l) {
      if (!l || !app.map.hasLayer(l) || !l.isLoading || !l.isLoading()) { return false; }
      var o = l.options;
      return !((o.maxZoom !== undefined && z > o.maxZoom) || (o.minZoom !== undefined && z < o.minZoom));
    };
    return busy(app.basemap) || busy(app.package);
  };

  app.basemapsSettled = function () {
    var p = app.package, z = app.map.getZoom();
    // A raster package added before the map had its size holds no tiles yet, and would not ask for
    // them until the view moves: asked once now (the page is ready once they have come).
    if (p && !p.sitmapVector && !p.sitmapAsked && app.map.hasLayer(p) && !p.getContainer().querySelector('img') &&
        !(z > p.options.maxZoom || z < p.options.minZoom)) {
      p.sitmapAsked = true;
      p.redraw();
    }
    if (!app.basemapBusy()) { app.timing.basemap = performance.now(); app.basemapLoaded = true; app.maybeReady(); }
  };

  // spec: a package spec (viewer/render/tile_packages.py) or null for the built-in basemap alone.
  // A vector package replaces the built-in layer (the app serves built-in tiles where the
  // package has none); a raster one lies over it.
  app.setPackage = function (spec, initial) {
    var map = app.map;
    if (app.package) { map.removeLayer(app.package); app.package = null; }
    app.packageSpec = spec || null;
    if (spec && S.packageLayer) {
      app.package = S.packageLayer(spec, {
        hideLabels: app.cityNames(), builtinAttribution: app.basemap ? app.basemap.getAttribution() : ''
      });
      app.package.on('load', app.basemapsSettled);
      if (app.package.sitmapVector && app.basemap && map.hasLayer(app.basemap)) { map.removeLayer(app.basemap); }
      app.package.addTo(map);
    } else if (app.basemap && !map.hasLayer(app.basemap) && !initial) {
      app.basemap.addTo(map);
    }
    return true;
  };

  // The basemap picker (View > Basemap): an online layer by name, or '' for the offline basemap.
  // Choosing an online layer asks Python to let its host through (baseLayerChanged), as the
  // layer control does.
  app.chooseBaseLayer = function (name) {
    var map = app.map;
    Object.keys(app.online).forEach(function (n) {
      if (n !== name && map.hasLayer(app.online[n].holder)) { map.removeLayer(app.online[n].holder); }
    });
    var o = name ? app.online[name] : null;
    if (o) {
      if (app.basemap && map.hasLayer(app.basemap)) { map.removeLayer(app.basemap); }
      if (!map.hasLayer(o.holder)) { map.addLayer(o.holder); }
      return true;
    }
    if (app.basemap && !map.hasLayer(app.basemap) && !(app.package && app.package.sitmapVector)) {
      map.addLayer(app.basemap);
    }
    app.send('baseLayerChanged', 'Offline basemap');
    return !name;
  };
})(window.SitMap);
