/* The page's bridge to Python (loaded after sitmap.js): the channel, asked for as soon as the
 * scripts run, and the page's ready state, sent once its map is drawn and on screen. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var app = S.app;

  app.send = function (method) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (app.bridge && typeof app.bridge[method] === 'function') { app.bridge[method].apply(app.bridge, args); }
  };

  var channelWaiting = null;  // while the channel connects: what waits for it
  var connectChannel = app.connectChannel = function (done) {
    if (app.bridge) { done(); return; }
    if (channelWaiting) { channelWaiting.push(done); return; }
    if (typeof QWebChannel === 'undefined' || typeof qt === 'undefined' || !qt.webChannelTransport) { done(); return; }
    channelWaiting = [done];
    app.timing.channelAsked = performance.now();
    new QWebChannel(qt.webChannelTransport, function (channel) {
      app.bridge = channel.objects.bridge || null;
      var waiting = channelWaiting;
      channelWaiting = null;
      waiting.forEach(function (f) { f(); });
    });
  };

  // Asked for as soon as the page's scripts run: Python's answer is then in before the page draws
  // its map. (Asked for while the map was drawn, the answer waited for the page's first frame:
  // 40-60 ms more before a briefing was ready.)
  connectChannel(function () {});

  // Ready once the features are drawn, the basemap settled (base_layers.js) and the channel up.
  app.maybeReady = function () {
    if (app._readySent || !app.basemapLoaded || !app.channelReady || !app.drawn || app.waitOnline || app.partsDue ||
        (app.payload && app.payload.legendLater)) { return; }
    app._readySent = true;
    if (S.labels && S.labels.flush) { S.labels.flush(); }  // (placed before ready, not at the next frame)
    if (app.basemap && app.basemap.drawStale) { app.basemap.drawStale(); }  // (tiles kept to be drawn once placed)
    if (app.basemap && app.basemap.options.carried) { app.basemap.options.carried = null; }  // (basemap.js: drawn)
    (app.readyUnshown ? app.whenDrawn : app.whenShown)(function () {
      app.timing.ready = performance.now();
      app.ready = true;
      document.documentElement.setAttribute('data-sitmap-ready', '1');
      var state = app.state(20000);
      state.page = location.pathname;  // Python drops a ready from a page it has since replaced
      state.reloaded = reloaded();  // (and from a page reloaded under it: the window draws its map again)
      app.send('mapReady', JSON.stringify(state));
      setTimeout(app.pointHandles.indexWhenIdle, 0);
    });
  };

  function reloaded() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    return !!nav && nav.type === 'reload';
  }

  // f() once what the page holds is drawn, its image tiles decoded (see tilesDecoded): a page that
  // is ready unshown (one to print) is ready then.
  app.whenDrawn = function (f) { app.tilesDecoded().then(f); };

  // f() once what the page holds is on screen, not just in the DOM: its image tiles decoded (see
  // tilesDecoded), then two animation frames (the tiles and overlays painted and shown).
  app.whenShown = function (f) {
    app.tilesDecoded().then(function () { requestAnimationFrame(function () { requestAnimationFrame(f); }); });
  };

  // The image tiles shown (a raster tile package's, an online layer's), decoded: the browser may
  // show frames without an image it has loaded but not yet decoded. (None: at once.)
  app.tilesDecoded = function () {
    var images = document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded');
    return Promise.all(Array.prototype.map.call(images, function (img) {
      return img.decode ? img.decode().catch(function () {}) : null;  // (a broken one: as it is)
    }));
  };
})(window.SitMap);
