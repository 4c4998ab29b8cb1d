/* SitMap page code: draws what Python computed, reports clicks and the pointer.
 * Every text from a scenario is set with textContent or as an SVG text node,
 * never as HTML. Loaded after Leaflet; the only global it adds is SitMap. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var app = S.app = {
    // (objects keyed by a feature's or layer's id or label have no prototype: an id or label such as
    // "valueOf" or "__proto__" is a key like any other)
    map: null, payload: null, features: null, featureTotal: 0, labelled: Object.create(null),
    copyable: Object.create(null), copySides: {}, groups: Object.create(null), bridge: null,
    get worldCopies() { return !!(this.copySides[-360] || this.copySides[360]); },  // (a copy shown yet)
    ready: false, basemapLoaded: false, selected: null, _readySent: false, zoomLabels: [],
    // Where the page's time goes (ms since navigation): the benchmarks print these.
    timing: { script: performance.now() }
  };

  /* app.features: every feature drawn, by id, as one object to the rest of the page. The point
   * layer's handles are kept apart (app.pointHandles, points.js: a million keys of one object took
   * about a second to add; a batch's points get theirs when first asked for), the other features
   * in app.wholeFeatures, which a walk over what is not a point reads alone. */
  var whole = app.wholeFeatures = Object.create(null), pointHandles = app.pointHandles = S.points.handles;
  app.features = new Proxy(whole, {
    get: function (t, k) {
      var v = t[k];
      return v !== undefined || typeof k !== 'string' ? v : pointHandles.get(k);
    },
    set: function (t, k, v) {
      if (v && v.point && typeof k === 'string') { delete t[k]; pointHandles.set(k, v); } else { pointHandles.delete(k); t[k] = v; }
      return true;
    },
    has: function (t, k) { return k in t || pointHandles.has(k); },
    deleteProperty: function (t, k) { delete t[k]; pointHandles.delete(k); return true; },
    ownKeys: function (t) { return Array.from(pointHandles.keys()).concat(Reflect.ownKeys(t)); },
    getOwnPropertyDescriptor: function (t, k) {
      var d = Reflect.getOwnPropertyDescriptor(t, k);
      if (d || typeof k !== 'string' || !pointHandles.has(k)) { return d; }
      // (read when asked for: listing the features, as Object.keys does, makes no point's handle)
      return { get: function () { return pointHandles.get(k); }, enumerable: true, configurable: true };
    }
  });

  var escapeHtml = S.dom.escapeHtml;
  app.MAX_GLIDE_SPEED = 1000;  // px/s: see startMap

  // How a feature is drawn: S.feature (features.js, loaded after this file; called once the page runs).
  function F() { return S.feature; }

  // The bridge to Python and the page's ready state: channel.js (app.send, app.connectChannel,
  // app.maybeReady, app.whenShown).

  /* --- public API (called by Python with runJavaScript) --------------- */
  // maxListed: above this many features only their count is given (a 100,000-point project
  // would otherwise send megabytes over the channel).
  // The view as the file keeps it (south-west and north-east corners), for Map Properties.
  app.viewBounds = function () {
    var b = app.map.getBounds();
    return JSON.stringify([[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]);
  };

  // Is the feature on the map now? (A point of the point layer answers for itself.)
  app.shown = function (f) { return f.point ? f.shown() : app.map.hasLayer(f.layer); };

  // add() with the tooltips it opens placed once they are all in: tooltips_together.js.
  var tooltipsPlacedAfter = S.tooltipsPlacedAfter;

  app.state = function (maxListed) {
    var feats = {}, total = app.featureTotal;
    var ids = maxListed && total > maxListed ? [] : Object.keys(app.features);
    ids.forEach(function (id) {
      var f = app.features[id];
      var ll = f.main.getLatLngs ? f.main.getLatLngs() : null;
      var vertices = 0;
      (function count(a) {
        if (!a) { return; }
        if (a instanceof L.LatLng) { vertices += 1; return; }
        if (Array.isArray(a)) { a.forEach(count); }
      })(ll);
      feats[id] = { shape: f.data.shape, group: f.data.group, visible: app.shown(f), vertices: vertices };
    });
    var groups = {};
    Object.keys(app.groups).forEach(function (g) { groups[g] = app.map.hasLayer(app.groups[g]); });
    var c = app.map.getCenter();
    return {
      features: feats, featureCount: total, groups: groups, center: [c.lat, c.lng], zoom: app.map.getZoom(),
      selected: app.selected, basemapLoaded: app.basemapLoaded
    };
  };

  app.select = function (id, fly) {
    if (app.selected && app.features[app.selected]) {
      var prev = app.features[app.selected];
      if (prev.main.setStyle) { prev.main.setStyle({ weight: (prev.data.style.weight || 2) }); }
      if (prev.main._sitmapOutline) { prev.main._sitmapOutline.setStyle({ weight: (prev.data.style.weight || 2) }); }
      markerElements(prev).forEach(function (pe) { pe.classList.remove('sitmap-selected'); });
    }
    app.selected = null;
    var f = app.features[id];
    if (!f) { return false; }
    app.selected = id;
    if (!app.map.hasLayer(app.groups[f.data.group])) { app.map.addLayer(app.groups[f.data.group]); }
    if (f.main._sitmapOutline) { f.main._sitmapOutline.setStyle({ weight: (f.data.style.weight || 2) + 2.5 }); }
    if (f.main.setStyle) {
      f.main.setStyle({ weight: (f.data.style.weight || 2) + 2.5 });
      if (f.main.bringToFront) { f.main.bringToFront(); app.orderMoved = true; }
    }
    markerElements(f).forEach(function (e) { e.classList.add('sitmap-selected'); });
    if (fly) {  // (to its world copy nearest the view: a map across 180 is not flown round the world)
      if (f.data.shape === 'marker') {
        var ll = f.main.getLatLng();
        app.map.flyTo([ll.lat, ll.lng + nearestCopy(ll.lng)],
          Math.max(app.map.getZoom(), f.data.symbol === 'station' || f.data.symbol === 'bridge' ? 12 : 8), { duration: 0.6 });
      } else {
        var b = f.main.getBounds(), dx = nearestCopy(b.getCenter().lng);
        app.map.flyToBounds([[b.getSouth(), b.getWest() + dx], [b.getNorth(), b.getEast() + dx]],
          { padding: [40, 40], maxZoom: 13, duration: 0.6 });
      }
    }
    return true;
  };

  // The degrees (a whole number of worlds) that take longitude lng to the world copy nearest the
  // middle of the view.
  function nearestCopy(lng) { return S.worldsToward(lng, app.map.getCenter().lng); }

  // The DOM elements of a feature's marker (a DOM marker's icon, and its world copies'), if any.
  function markerElements(f) {
    var out = [], e = f.main.getElement && f.main.getElement();
    if (e && e.classList) { out.push(e); }
    if (f.copiedSides && f.data.shape === 'marker' && f.layer.eachLayer) {
      f.layer.eachLayer(function (l) {
        if (l !== f.main && l instanceof L.Marker && l._icon) { out.push(l._icon); }
      });
    }
    return out;
  }

  app.focusFeature = function (id) { return app.select(id, true); };

  // Several features selected at once (Shift+click): highlighted, for deleting together.
  // Only the features selected before or now are touched (a map may hold a million).
  app.setMultiSelection = function (ids) {
    S.points.setMulti(ids);
    var want = {}, before = app._multi || [];
    ids.forEach(function (id) { want[id] = true; });
    app._multi = ids.slice();
    before.concat(ids).forEach(function (id) {
      var f = app.features[id];
      if (!f || f.point) { return; }
      var on = !!want[id];
      markerElements(f).forEach(function (e) { e.classList.toggle('sitmap-multi-selected', on); });
      if (f.main.setStyle && id !== app.selected) {
        f.main.setStyle({ weight: (f.data.style.weight || 2) + (on ? 2.5 : 0) });
      }
    });
    return true;
  };

  // A found place: a temporary marker with its name, replaced by the next one.
  app.showPlace = function (lat, lng, name, zoom) {
    if (app.foundPlace) { app.map.removeLayer(app.foundPlace); }
    lng += nearestCopy(lng);  // (on the world copy nearest the view: across 180, not round the world)
    app.foundPlace = L.marker([lat, lng], {
      icon: L.divIcon({ html: S.legend.symbol('marker', '#FFD400', 18), className: 'sitmap-marker sitmap-found', iconSize: [18, 18], iconAnchor: [9, 9] }),
      keyboard: false
    }).bindTooltip(F().label(name, null, 'sitmap-found-label'), { permanent: true, direction: 'right', offset: [9, 0], className: 'sitmap-label' })
      .addTo(app.map);
    app.map.flyTo([lat, lng], Math.max(app.map.getZoom(), zoom || 9), { duration: 0.6 });
    return true;
  };

  /* a found place goes away with Esc or when its box is cleared */
  app.clearPlace = function () {
    if (!app.foundPlace) { return false; }
    app.map.removeLayer(app.foundPlace);
    app.foundPlace = null;
    return true;
  };

  function ensureGroup(id, label) {
    if (!app.groups[id]) {
      app.groups[id] = L.featureGroup().addTo(app.map);
      if (app.layerControl) { app.layerControl.addOverlay(app.groups[id], overlayName(label || id)); }
    }
    return app.groups[id];
  }

  // Features added or changed after start-up (analyst's rings, annotations).
  app.addFeature = function (f, groupLabel) {
    putFeature(f, groupLabel);
    F().updateZoomLabels();
    return true;
  };

  // Many at once (an import, an undone delete): each as addFeature adds it, the labels once.
  // labels: each group's label, by group id.
  // more: another call of the same change follows (the shared canvas redraws after the last).
  app.addFeatures = function (fs, labels, more) {
    var put = function () { fs.forEach(function (f) { putFeature(f, labels[f.group]); }); };
    // Lines and areas imported past the page's thousand: on the shared canvas from then on
    F().shapeRenderer();  // (the start-up's count first)
    app.payload._shapeCount += fs.filter(function (f) { return f.shape !== 'marker' && !(f.id in app.features); }).length;
    var canvas = F().shapeRenderer();
    if (canvas) { canvas.hold(true); }
    try {
      if (app.pointLayer) { app.pointLayer.quietly(put); } else { put(); }  // (one redraw for its points)
    } finally {
      if (canvas && !more) { canvas.hold(false); }
    }
    F().updateZoomLabels();
    return true;
  };

  function putFeature(f, groupLabel) {
    app.removeFeature(f.id);
    var group = ensureGroup(f.group, groupLabel);
    var d = F().draw(f);
    app.features[f.id] = d;
    if (d.labelled) { app.labelled[f.id] = true; }
    app.featureTotal += 1;
    if (!d.point) { group.addLayer(d.layer); }  // a point joins its group through the point layer
    withCopies(f.id, d);
  }

  // A marker (an arrow head) on the neighbouring world copies too, as lines and areas always are:
  // made on a copy once the map first shows it (a view across 180 degrees, east or west, or
  // wider than the world), for none of a map that never does. (app.copyable: the ids of features
  // that have copies; app.copySides: the copies shown so far, by their shift in degrees.)
  function withCopies(id, d) {
    if (!d.copies) { return; }
    app.copyable[id] = true;
    [-360, 360].forEach(function (dx) {
      if (!app.copySides[dx] || (d.copiedSides && d.copiedSides[dx])) { return; }
      (d.copiedSides = d.copiedSides || {})[dx] = true;  // (its copies made on that side)
      d.copies(dx).forEach(function (l) { d.layer.addLayer(l); });
      if (app.selected === id) { markerElements(d).forEach(function (e) { e.classList.add('sitmap-selected'); }); }
    });
  }

  app.showWorldCopies = function () {
    var sides = app.copySides;
    if (!app.map || (sides[-360] && sides[360])) { return; }
    var b = app.map.getPixelBounds(), w = app.map.getPixelWorldBounds();
    var west = b.min.x < w.min.x && !sides[-360], east = b.max.x > w.max.x && !sides[360];
    if (!west && !east) { return; }
    if (west) { sides[-360] = true; }
    if (east) { sides[360] = true; }
    tooltipsPlacedAfter(function () {  // (their labels placed once all are in: a layout, not one each)
      Object.keys(app.copyable).forEach(function (id) { withCopies(id, app.features[id]); });
    });
  };

  app.removeFeatures = function (ids) {
    ids.forEach(app.removeFeature);
    return true;
  };

  app.removeFeature = function (id) {
    var f = app.features[id];
    if (!f) { return false; }
    if (app.selected === id) { app.selected = null; }
    if (f.point) { f.remove(); } else { (app.groups[f.data.group] || app.map).removeLayer(f.layer); }
    delete app.features[id];
    delete app.labelled[id];
    delete app.copyable[id];
    app.featureTotal -= 1;
    return true;
  };

  app.setLegend = function (entries) {
    if (!Array.isArray(entries)) { return false; }
    app.payload.legend = entries;
    app.legend.update();
    if (app.payload.legendLater) {  // (a large map's, counted once its features were given: now ready)
      delete app.payload.legendLater;
      app.timing.legend = performance.now();
      app.maybeReady();
    }
    return true;
  };

  app.setGroupVisible = function (group, visible) {
    var g = app.groups[group];
    if (!g) { return false; }
    if (visible) { app.map.addLayer(g); } else { app.map.removeLayer(g); }
    app.legend.update();
    return true;
  };

  // Layers as the analyst arranged them: ids top first; the last is drawn lowest. The order the
  // map already shows is left as it is (bringing a layer of 100,000 shapes to the front moves
  // each of them and paints them all again): the one last set, unless a shape or layer has come
  // to the front since (app.orderMoved).
  app.setGroupOrder = function (ids) {
    if (app.partsDue) { app.groupOrderDue = ids.slice(); return true; }  // (set once the last part is in)
    if (!app.orderMoved && app.groupOrder && ids.join('\n') === app.groupOrder.join('\n')) { return true; }
    ids.slice().reverse().forEach(function (id) {
      var g = app.groups[id];
      if (g && app.map.hasLayer(g)) { g.bringToFront(); }
    });
    app.groupOrder = ids.slice();
    app.orderMoved = false;
    return true;
  };

  app.setGroupLabel = function (id, text) {
    var g = app.groups[id];
    if (!g || !app.layerControl) { return false; }
    app.layerControl.removeLayer(g);
    app.layerControl.addOverlay(g, overlayName(text));
    return true;
  };

  // A layer's entry in the layer control: its label, escaped, with " (2)", " (3)" ... after it where
  // another entry has that text (each layer keeps an entry of its own). ``taken``: the names so far
  // (default: the control's overlays).
  function overlayName(label, taken) {
    var text = escapeHtml(label), n = 1;
    var used = taken || function (name) {
      return app.layerControl._layers.some(function (l) { return l.overlay && l.name === name; });
    };
    while (used(text + (n > 1 ? ' (' + n + ')' : ''))) { n += 1; }
    return text + (n > 1 ? ' (' + n + ')' : '');
  }

  app.fitScenario = function (animate) {
    var v = app.payload.view || {};
    if (v.bounds) {
      // (a map of the whole world: at the nearest whole zoom where nothing shows twice, lon_span.js)
      if (S.showOneWorldIfWide(app.map, v, app.map.getBoundsZoom(v.bounds, false, L.point(20, 20)), true, animate)) {
        return;
      }
      app.map.fitBounds(v.bounds, { animate: !!animate, padding: [10, 10] });
    } else if (v.center) {
      app.map.setView(v.center, v.zoom || 6, { animate: !!animate });
    }
  };

  /* Zoom to Scenario frames the event (rings, flight path and impact area, crossings, the
   * analyst's annotations; all features when there are none of those) with a margin around it. */
  app.fitEvent = function (animate) {
    // (south, north and the longitudes of what frames the event, and of everything; the
    // longitudes spanned across the antimeridian where that is narrower)
    var frame = { s: 90, n: -90, lons: S.lonSpan() }, whole = { s: 90, n: -90, lons: S.lonSpan() };
    var take = function (box, b) {
      box.s = Math.min(box.s, b.getSouth());
      box.n = Math.max(box.n, b.getNorth());
      box.lons.add(b.getWest(), b.getEast());
    };
    Object.keys(app.wholeFeatures).forEach(function (id) {  // (the point layer's: below, all at once)
      var f = app.wholeFeatures[id];
      if (f.point || !app.map.hasLayer(f.layer)) { return; }
      var b = f.main.getBounds ? f.main.getBounds() : L.latLngBounds([f.main.getLatLng()]);
      take(whole, b);
      if (f.data.group !== 'places') { take(frame, b); }
    });
    var pb = S.points.bounds();  // plain points are annotations: part of the event's frame
    if (pb) { take(whole, pb); take(frame, pb); }
    var span = frame.lons.span(), box = span ? frame : whole;
    span = span || whole.lons.span();
    if (!span) { app.fitScenario(animate); return false; }
    var bounds = L.latLngBounds([box.s, span[0]], [box.n, span[1]]);
    var size = app.map.getSize();
    var pad = [Math.round(size.x * 0.08) + 10, Math.round(size.y * 0.08) + 10];
    var event = { bounds: [[box.s, span[0]], [box.n, span[1]]], focus: (app.payload.view || {}).focus };
    if (S.showOneWorldIfWide(app.map, event, app.map.getBoundsZoom(bounds, false, L.point(2 * pad[0], 2 * pad[1])), true,
                             animate)) {
      return true;
    }
    app.map.fitBounds(bounds, { animate: !!animate, paddingTopLeft: pad, paddingBottomRight: pad, maxZoom: 12 });
    return true;
  };

  app.setView = function (lat, lng, zoom) { app.map.setView([lat, lng], zoom, { animate: false }); return true; };

  /* --- start --------------------------------------------------------- */
  // (a large map's batch and the tiles the page carries: resources/js/feature_batch.js)
  var unpackBatch = S.batch.unpack, featuresOf = S.batch.featuresOf, fetchJson = S.batch.fetchJson;
  var carriedInPage = S.batch.carriedInPage;

  app.init = function (map, payload) {
    if (payload.payloadUrl && !app.payload) { waitForMap(map, payload); return; }
    app.timing.init = performance.now();
    var batch = featuresOf(payload);
    drawOnceCome(map, payload, startMap(map, payload), batch);
  };

  // A start-up's page, begun while Python reads a large map: its scripts are up by the time the
  // map is read; its start (view, basemap and the view's tiles) comes once the map is read, the
  // rest of its payload (its features inside it) once the map is drawn. Both from sitmap://
  // (parsed, never run), asked for at once; the app answers each when it has it.
  function waitForMap(map, urls) {
    app.timing.shell = performance.now();
    app.connectChannel(function () {});  // (meanwhile: the channel to Python, answered as Python reads)
    map.getContainer().classList.add('sitmap-map');  // (the sea's colour while it waits)
    var rest = fetchJson(urls.payloadUrl);
    // A large map's legend, asked for at once too: the app gives it right after the payload (null
    // when the payload has it), so it is here by the time the features are drawn.
    var legend = fetchJson(urls.legendUrl);
    legend.catch(function () {});  // (a page replaced before it had its map: not needed)
    fetchJson(urls.startUrl).then(function (start) {
      app.timing.start = performance.now();
      var baseLayers = startMap(map, start);
      return rest.then(function (more) {
        app.timing.payload = app.timing.init = performance.now();
        Object.keys(more).forEach(function (k) { start[k] = more[k]; });
        var draw = function () {
          var batch = featuresOf(start);
          if (app.basemap) { app.basemap.setHiddenLabels(app.cityNames()); }  // (the map's own cities: known now)
          drawOnceCome(map, start, baseLayers, batch);
          if (start.legendLater) { return legend.then(app.setLegend); }  // (counted by the app after the payload)
        };
        if (!start.legendSoon) { return draw(); }
        // Counted by the app while the page read its payload: the features are drawn with it.
        // (Taken after them, it waited behind the drawing's own work: 90-120 ms at 100,000 points.)
        return legend.catch(function () { return null; }).then(function (entries) {
          if (Array.isArray(entries)) {
            app.timing.legend = performance.now();
            start.legend = entries;
            delete start.legendLater;
          }
          delete start.legendSoon;
          return draw();  // (and without it, if it failed to come: the features are not held back)
        });
      });
    }).catch(function (e) {
      if (window.console) { console.error('SitMap: ' + e); }  // (the app replaced the page before it had its map)
    });
  }



  function drawOnceCome(map, payload, baseLayers, batch) {
    if (!batch) {
      drawFeatures(map, payload, baseLayers);
      return;
    }
    batch.then(function (features) {
      app.timing.fetched = performance.now();
      payload.features = unpackBatch(features, payload);
    }).catch(function (e) {
      if (window.console) { console.error('SitMap: ' + e); }
      payload.features = [];
    }).then(function () { drawFeatures(map, payload, baseLayers); }).catch(function (e) {
      if (window.console) { console.error('SitMap: ' + (e && e.stack || e)); }  // (Python reads the console)
    });
  }


  // What does not wait on the features: the map's view, its basemap (and the online layers it can
  // be swapped for), the channel to Python. The basemap layers, by name, for the layer control.
  function startMap(map, payload) {
    app.map = map;
    app.payload = payload;
    // A flick glides at most this fast (px/s), so at most 735 px (Leaflet's deceleration): it sets no
    // limit, and two moves a millisecond apart (a fast mouse, a touchpad) flung the map to the pole.
    map.options.inertiaMaxSpeed = app.MAX_GLIDE_SPEED;
    var interactive = payload.interactive !== false;
    S.points.hooks = { label: function (text) { return F().label(text, null, 'sitmap-place-label-marker'); },
      popup: interactive ? F().popupContent : null, click: F().clicked, contextmenu: F().contextMenu };
    map.attributionControl.setPrefix('Leaflet');
    map.getContainer().classList.add('sitmap-map');

    // The view first, so the basemap loads the tiles of the view that is shown.
    app.fitScenario(false);
    var baseLayers = {};
    if (S.setBasemapFont) { S.setBasemapFont(payload.labelFont); }  // (the basemap's, a tile package's place names)
    if (S.basemapLayer && payload.basemap) {
      var basemap = S.basemapLayer(payload.basemap.url, {
        attribution: escapeHtml(payload.basemap.attribution || ''), maxNativeZoom: payload.basemap.maxZoom, maxZoom: 18,
        hideLabels: app.cityNames(), carried: payload.carriedTiles || carriedInPage(),
        batchUrl: payload.basemap.batchUrl || null, batchMax: payload.basemap.batchMax || null
      });
      delete payload.carriedTiles;
      app.basemap = basemap;
      basemap.on('load', app.basemapsSettled);
      baseLayers['Offline basemap'] = basemap;
      // A tile package chosen as the basemap (tile_package.js) is drawn from the start.
      app.setPackage(payload.package || null, true);
      if (!app.package || !app.package.sitmapVector) { basemap.addTo(map); }
      app.timing.basemapAdded = performance.now();
    } else {
      app.basemapLoaded = true;
    }
    // Online layers start empty: choosing one asks Python to let its host through first,
    // and Python answers with enableOnline(name), which adds the real tile layer.
    app.online = {};
    (payload.online || []).forEach(function (o) {
      var holder = L.layerGroup();
      holder.on('add', function () { app.send('baseLayerChanged', o.name); });
      holder.on('remove', function () { holder.clearLayers(); });
      app.online[o.name] = { spec: o, holder: holder };
      baseLayers[escapeHtml(o.name)] = holder;
    });
    // A briefing of a screen that shows an online layer starts with that layer, and is ready
    // once its tiles have come (or have been given up).
    app.waitOnline = !!(payload.startOnline && app.online[payload.startOnline]);
    app.connectChannel(function () {
      app.timing.channel = performance.now();
      app.channelReady = true;
      if (app.waitOnline) { app.chooseBaseLayer(payload.startOnline); }
      app.maybeReady();
    });
    return baseLayers;
  }

  // The features (a batch's once it has come), the layer control, the legend and what the map
  // answers; then the page is ready as soon as its basemap and the channel are.
  function drawFeatures(map, payload, baseLayers) {
    var total = 0;  // features in app.features (a million keys are not counted again after)
    // A large map drawn in parts (viewer/render/parts.py): this is the first; the rest are asked
    // for now and put as each comes, while Python draws the next (parts.js). The shared canvas is
    // told how many shapes are coming.
    var more = Array.isArray(payload.moreParts) && payload.moreParts.length ? payload.moreParts : null;
    var parts = more ? S.parts.ask(more, fetchJson) : [];
    if (more && typeof payload.shapeCount === 'number') { payload._shapeCount = payload.shapeCount; }
    var canvas = more ? F().shapeRenderer() : null;
    app.partsDue = !!more;
    if (payload.points) {  // the batch's plain markers: into the point layer, the rest drawn whole below
      var whole = (payload.features || []).filter(function (f) { return f.shape === 'marker'; }).length;
      var rest = S.points.load(payload.points, whole);
      total = payload.points.columns.id.length - rest.length;  // (a batch's ids are the map's: each once)
      payload.features = (payload.features || []).concat(rest);
    }
    var overlays = Object.create(null);
    (payload.groups || []).forEach(function (g) {
      app.groups[g.id] = L.featureGroup();
      overlays[overlayName(g.label, function (name) { return name in overlays; })] = app.groups[g.id];
    });
    // Filled before they go on the map: each group joins the map once, with all its layers,
    // instead of one map event per feature (and the point layer redraws once for all its points:
    // a page with its features inside it, as a briefing's, adds them one by one).
    var each = function () {
      (payload.features || []).forEach(function (f) {
        var d = F().draw(f);
        if (!(f.id in app.wholeFeatures) && !pointHandles.made(f.id)) { total += 1; }  // (a batch's ids are each once)
        app.features[f.id] = d;
        if (d.labelled) { app.labelled[f.id] = true; }
        if (!d.point) { (app.groups[f.group] || map).addLayer(d.layer); }
        withCopies(f.id, d);
      });
    };
    if (S.points.many()) { S.points.layer().quietly(each); } else { each(); }
    S.points.join();  // the point layer on the map, its groups' shares in their groups
    app.featureTotal = total;  // (kept up by addFeature and removeFeature)
    app.timing.built = performance.now();
    // Each group joins the map lowest first, in the arrangement (the ids it does not name lowest of all).
    var order = payload.groupOrder || [], placed = {};
    order.forEach(function (id) { placed[id] = true; });
    tooltipsPlacedAfter(function () {
      (payload.groups || []).filter(function (g) { return !placed[g.id]; }).map(function (g) { return g.id; })
        .concat(order.slice().reverse()).forEach(function (id) { if (app.groups[id]) { app.groups[id].addTo(map); } });
    });
    app.groupOrder = order.slice();
    app.orderMoved = false;
    // A line or area that joins the map from now on (a new or changed feature, a layer shown
    // again) comes to the front of its renderer, whatever its layer.
    map.on('layeradd', function (e) { if (e.layer instanceof L.Path) { app.orderMoved = true; } });
    app.timing.added = performance.now();

    L.control.scale({ position: 'bottomleft', metric: true, imperial: true, maxWidth: 160 }).addTo(map);
    if (payload.interactive !== false) {
      app.layerControl = L.control.layers(baseLayers, overlays, { collapsed: true, position: 'topright' }).addTo(map);
    }
    app.legend = new S.legend.Control().addTo(map);
    map.on('resize', function () { app.legend.update(); });  /* compact when small */
    // Only showing or hiding a whole layer changes the legend (not every marker or popup added).
    map.on('overlayadd overlayremove', function () { app.legend.update(); });
    map.on('overlayadd overlayremove', function (e) {
      Object.keys(app.groups).forEach(function (g) {
        if (app.groups[g] === e.layer) { app.send('groupToggled', g, e.type === 'overlayadd'); }
      });
    });
    map.on('baselayerchange', function (e) {
      if (e.layer === app.basemap) { app.send('baseLayerChanged', 'Offline basemap'); }
    });

    var lastMove = 0;
    map.on('mousemove', function (e) {
      var now = Date.now();
      if (now - lastMove < 30) { return; }
      lastMove = now;
      app.send('pointerMoved', e.latlng.lat, e.latlng.lng);
    });
    map.on('mouseout', function () { app.send('pointerLeft'); });
    // Right-click: the app's own menu (Python shows it); the browser's is never offered.
    map.on('contextmenu', function (e) {
      if (e.originalEvent) { e.originalEvent.preventDefault(); }
      app.send('mapContextMenu', e.latlng.lat, e.latlng.lng);
    });
    app.showWorldCopies();  // (before the labels are placed: theirs are placed with the rest)
    map.on('moveend', app.showWorldCopies);
    map.on('moveend', function () {
      var c = map.getCenter();
      app.send('viewChanged', c.lat, c.lng, map.getZoom());
    });

    map.on('zoomend', F().updateZoomLabels);
    var zoomLabelsDue = false;  // one update for many layers added in a row
    map.on('layeradd', function () {
      if (zoomLabelsDue) { return; }
      zoomLabelsDue = true;
      setTimeout(function () { zoomLabelsDue = false; F().updateZoomLabels(); }, 0);
    });
    F().updateZoomLabels();
    if (S.draw) { S.draw.install(); }
    if (S.selection) { S.selection.install(); }  /* edge picking, Esc */
    if (S.labels) { S.labels.install(); }  /* labels never collide */
    if (S.history && payload.history) {  // a briefing or export that shows the launch history
      S.history.load(payload.history.data, payload.history.filter, payload.history.timed);
      S.history.setFilter(payload.history.filter, payload.history.caption);
    }
    app.drawn = true;
    app.timing.drawn = performance.now();
    if (more) {
      var labels = {};
      (payload.groups || []).forEach(function (g) { labels[g.id] = g.label; });
      S.parts.take(parts, canvas, function (batch) {  // (each part as addFeatures puts features)
        var fs = unpackBatch(batch, {}), put = function () { fs.forEach(function (f) { putFeature(f, labels[f.group]); }); };
        if (app.pointLayer) { app.pointLayer.quietly(put); } else { put(); }
      }, function () {
        app.orderMoved = false;  // (stacked as they came: parts.js)
        app.timing.parts = performance.now();
        app.partsDue = false;
        if (app.groupOrderDue) { app.setGroupOrder(app.groupOrderDue); app.groupOrderDue = null; }
        F().updateZoomLabels();
        app.maybeReady();
      });
    }
    // (what a page built around the map does once its features are there, before it can be ready:
    // a briefing's legend and labels placed over them, briefing.js)
    if (app.afterDrawn) { var after = app.afterDrawn; app.afterDrawn = null; after(); }
    app.maybeReady();
  }
})(window.SitMap);
