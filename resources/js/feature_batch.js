/* What a map's payload carries besides its plain fields, put in the form the page draws from
 * (loaded before sitmap.js): a large map's features as a batch (inside the payload, held in the
 * page as JSON data, or fetched from sitmap://), and the basemap tiles the page carries. Every
 * text is parsed as JSON, never run. Adds SitMap.batch only. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  // The batch of a large map (viewer/render/page.py features_batch): whole features (the positions
  // of the lines and areas that share in one list, coords), and plain markers as columns (id,
  // name, label where it differs, lat, lng, "$": the index of the shared entry holding what each
  // has in common with others) that S.points.load takes as they are.
  // (A row with "$" among the whole features is put back together here.)
  function unpackBatch(batch, payload) {
    if (Array.isArray(batch)) { return batch; }
    var shared = (batch && Array.isArray(batch.shared)) ? batch.shared : [];
    var c = batch && batch.points;
    if (c && Array.isArray(c.id) && Array.isArray(c.name) && Array.isArray(c.lat) && Array.isArray(c.lng) && Array.isArray(c.$)) {
      payload.points = { columns: c, shared: shared };
    }
    var rows = (batch && Array.isArray(batch.features)) ? batch.features : [];
    // a line's or area's positions: its "n" pairs (a list of counts: its rings or parts) next in coords
    var coords = (batch && Array.isArray(batch.coords)) ? batch.coords : [], at = 0;
    function positions(n) {
      if (typeof n !== 'number') { return Array.isArray(n) ? n.map(positions) : []; }
      var out = new Array(n);
      for (var k = 0; k < n; k++, at += 2) { out[k] = [coords[at], coords[at + 1]]; }
      return out;
    }
    // Each row that shares is made anew, its own values first, then the shared ones, in the same
    // order for all that share an entry (one compact shape for them all: deleting its "$" and "n"
    // from the parsed row made each a dictionary, 100,000 of them half the page's first build).
    var sharedKeys = shared.map(function (c) { return c && typeof c === 'object' ? Object.keys(c) : []; });
    return rows.map(function (f) {
      var common = typeof f.$ === 'number' ? shared[f.$] : null;
      if (!common) {
        if (f.n !== undefined) { f.latlngs = positions(f.n); delete f.n; }
        return f;
      }
      var g = { id: f.id, name: f.name, label: f.label === undefined ? f.name : f.label,
                latlngs: f.n !== undefined ? positions(f.n) : f.latlngs };
      Object.keys(f).forEach(function (k) { if (!(k in g) && k !== '$' && k !== 'n') { g[k] = f[k]; } });
      var keys = sharedKeys[f.$];
      for (var i = 0; i < keys.length; i++) { if (!(keys[i] in g)) { g[keys[i]] = common[keys[i]]; } }
      return g;
    });
  }

  function fetchJson(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ': ' + r.status); }
      return r.json();
    });
  }

  // The payload's features: there (inside the page, or a batch inside the payload: unpacked here),
  // else a promise of the batch it names.
  function featuresOf(payload) {
    var held = payload.featuresBatchIn && !payload.features && document.getElementById(payload.featuresBatchIn);
    if (held) {  // a batch the page holds as JSON data (a briefing's, an HTML file's): parsed, never run
      payload.featuresBatch = JSON.parse(held.textContent);
      held.textContent = '';  // (megabytes of text no longer needed)
      delete payload.featuresBatchIn;
    }
    if (payload.featuresBatch && !payload.features) {  // many features inside the page (a briefing) or its payload
      payload.features = unpackBatch(payload.featuresBatch, payload);
      delete payload.featuresBatch;
    }
    if (payload.featuresUrl && !payload.features) {
      // Many features come as one JSON batch from sitmap:// (parsed, never run as script); the
      // map, its basemap and the channel to Python start meanwhile.
      return fetchJson(payload.featuresUrl);
    }
    return null;
  }

  // The basemap tiles the page carries (viewer/render/page_cache.py, carrying_tiles), read once:
  // {"z/x/y": tile}, or null (none, or not readable: the page asks for its tiles as always).
  function carriedInPage() {
    var node = document.getElementById('sitmap-carried-tiles');
    if (!node) { return null; }
    node.parentNode.removeChild(node);
    try {
      var tiles = JSON.parse(node.textContent);
      return tiles && typeof tiles === 'object' && !Array.isArray(tiles) ? tiles : null;
    } catch (e) {
      return null;
    }
  }

  S.batch = { unpack: unpackBatch, featuresOf: featuresOf, fetchJson: fetchJson, carriedInPage: carriedInPage };
}(window.SitMap));
