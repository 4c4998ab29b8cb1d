window.SitMap = window.SitMap || {};

/*
 * Offline basemap layer for Leaflet 1.9.
 *
 * SitMap.basemapLayer(urlTemplate, options) returns an L.GridLayer that fetches JSON vector tiles
 * (made by viewer/render/basemap.py, e.g. from "sitmap://app/basemap/{z}/{x}/{y}.json"), a view's
 * tiles in one request, and draws them on <canvas> with the tile painter (basemap_paint.js,
 * loaded before it); it shows a cached page's first tiles from their pictures, leaves out the
 * labels placement gives away (labels.js) and those the map labels itself, and keeps the tiles it
 * lets go (basemap_kept.js, loaded after it).
 *
 * Options (besides L.GridLayer's):
 *   attribution  text for Leaflet's attribution control (pass it through)
 *   pixelRatio   canvas pixels per CSS pixel (default: window.devicePixelRatio)
 */
(function (SitMap, L) {
    'use strict';

    // The tile painter (basemap_paint.js).
    var paint = SitMap.basemapPaint, drawTile = paint.drawTile, labelBox = paint.labelBox, BLEED = paint.BLEED;

    // Tile column x at zoom z as the one world numbers it (0 .. 2^z - 1), from any world copy's.
    function wrapX(x, z) {
        var n = Math.pow(2, z);
        return ((x % n) + n) % n;
    }

    // Which label a tile's entry is: the same in every tile its box touches (labels.js hides
    // one everywhere at once), on either side of 180 (a tile east of it is given its column on the
    // one world, 0, and the label's place from there, west of it; the tile west of 180 has it
    // east of its own: one label, its place taken round the world). Built-in tiles give its
    // priority; a package's only its place. (A label's entries keyed by their copy of the world
    // were two labels at 180: one of them, half the name, left out.)
    function labelKey(lab, coords, extent) {
        var world = extent * Math.pow(2, coords.z);
        var wx = coords.x * extent + (+lab.x || 0), wy = coords.y * extent + (+lab.y || 0);
        if (lab.p !== undefined) { return 'p' + lab.p + '@0'; }
        return 't' + lab.text + '@' + Math.round(((wx % world) + world) % world) + ',' + Math.round(wy);
    }

    // Which of a tile's labels are not drawn: those placement gave away, and the other spots of a
    // country's name (the built-in tiles' "alt" labels) but the one placement chose.
    function skipOf(labels, keys, skipped, shown) {
        skipped = skipped || {};
        shown = shown || {};
        return keys.map(function (k, i) { return labels[i].alt ? !shown[k] : !!skipped[k]; });
    }

    // Pictures of carried tiles as the window showed them the time before (viewer/render/
    // tile_pictures.py): {"z/x/y": {png: base64, skip: "0110", hid: "0000", w, h, ratio}}, one flag
    // a label for those placement left out and those hidden by name. Each is decoded as the page's
    // scripts run, off the page's thread, and shown instead of drawing its tile where the drawing
    // would be the same (the same canvas and pixel ratio, the same labels left out): drawing the
    // first view's tiles took a third of a start's page time, half of it rasterising their text in
    // the first frame. Read once: {"z/x/y": {meta..., bitmap: a promise of the decoded image}}.
    var PICTURES_ID = 'sitmap-carried-pictures';
    var FLAGS = /^[01]*$/;
    var pictures = (function () {
        var node = document.getElementById(PICTURES_ID);
        if (!node) { return null; }
        node.parentNode.removeChild(node);
        var given;
        try { given = JSON.parse(node.textContent); } catch (e) { return null; }
        if (!given || typeof given !== 'object' || Array.isArray(given)) { return null; }
        var out = Object.create(null);
        Object.keys(given).forEach(function (key) {
            var p = given[key];
            if (!p || typeof p.png !== 'string' || typeof p.skip !== 'string' || typeof p.hid !== 'string' ||
                !FLAGS.test(p.skip) || !FLAGS.test(p.hid)) { return; }
            // (an image of a data URL is decoded in the page's process; a blob's bytes would go
            // through the app's process first)
            var img = new Image();
            img.src = 'data:image/png;base64,' + p.png;
            var bitmap = img.decode().then(function () { return img; });
            bitmap.catch(function () {});  // (a picture that cannot be decoded: its tile is drawn)
            out[key] = { w: +p.w, h: +p.h, ratio: +p.ratio, skip: p.skip, hid: p.hid, bitmap: bitmap, img: img };
        });
        return out;
    })();

    function flagsOf(list) { return list.map(function (on) { return on ? '1' : '0'; }).join(''); }

    // Which of a tile's labels are hidden by name (the overlay labels those places itself).
    function hiddenFlags(labels, hidden) {
        return flagsOf(labels.map(function (lab) { return !!(hidden && hidden[String(lab.text).toLowerCase()]); }));
    }

    // A reply's JSON (custom URL schemes may report status 0 for a good reply).
    function jsonOf(response, what) {
        if (!response.ok && response.status !== 0) { throw new Error(what + ': HTTP ' + response.status); }
        return response.json();
    }

    function hiddenOf(names) {  // {lower-case name: true}, or null for none
        if (!names || !names.length) { return null; }
        var hidden = {};
        names.forEach(function (t) { hidden[String(t).toLowerCase()] = true; });
        return hidden;
    }

    var BasemapLayer = L.GridLayer.extend({
        options: {
            attribution: '',
            pixelRatio: null,
            hideLabels: null,
            carried: null,  // {"z/x/y": tile}: tiles given with the page, drawn instead of asked for
            // the URL of the tiles a view asks for at once ({z}, {xy}: "x.y,x.y,..."), answered as
            // {"x/y": tile} for those the app has ready (the rest are asked for one by one); null:
            // each tile asked for alone
            batchUrl: null,
            batchMax: null,  // tiles in one such request, at most (default 256)
            maxNativeZoom: 14,
            updateWhenZooming: false,
            keepBuffer: 3
        },

        initialize: function (urlTemplate, options) {
            this._url = urlTemplate;
            L.GridLayer.prototype.initialize.call(this, options);
            this._hidden = hiddenOf(this.options.hideLabels);
            this.on('tileunload', this._abortTile, this);
            if (this._keepTile) { this.on('tileunload', this._keepTile, this); }  // (basemap_kept.js)
        },

        // Leave out the labels of these places (the map marks them itself) from now on; redraw only
        // the tiles that show one of them or one left out before.
        setHiddenLabels: function (names) {
            var was = this._hidden || {}, now = hiddenOf(names), self = this, tiles = this._tiles || {};
            this._hidden = now;
            if (this._forgetKept) { this._forgetKept(); }
            now = now || {};
            Object.keys(tiles).forEach(function (tk) {
                var el = tiles[tk].el, m = el && el._sitmap;
                if (!m) { return; }
                var changes = (m.data.labels || []).some(function (lab) {
                    var t = String(lab.text).toLowerCase();
                    return !was[t] !== !now[t];
                });
                if (changes && !el._sitmapStale) { drawTile(el, m.data, m.cssSize, m.ratio, self._hidden, m.skip); }
            });
        },

        // A canvas of the tile's CSS size times the pixel ratio, so it is crisp when exported, and
        // times the scale a fractional zoom shows it at where that enlarges it (a briefing fitted
        // at x.25 shows tiles of the whole zoom 1.19 times their size).
        _canvasSpec: function () {
            var size = this.getTileSize(), map = this._map;
            var screen = window.devicePixelRatio || 1;  // (a page zoom included)
            var ratio = +this.options.pixelRatio || screen, scale = 1;
            if (map && this._tileZoom !== undefined) {
                scale = map.getZoomScale(map.getZoom(), this._tileZoom);
                ratio *= Math.max(1, scale);
            }
            // Shown at whole device pixels (a whole zoom, a whole pixel ratio, as in the window at
            // 100%), tiles meet exactly: no bleed, which costs a copy of each tile.
            var whole = scale === 1 && ratio === Math.round(ratio) && screen === Math.round(screen);
            var edge = whole ? 0 : Math.ceil(BLEED * ratio);
            return { size: size, ratio: ratio, width: Math.round(size.x * ratio) + edge,  // (see bleed)
                     height: Math.round(size.y * ratio) + edge };
        },

        _newCanvas: function (spec) {
            var tile = L.DomUtil.create('canvas', 'sitmap-basemap-tile');
            tile.width = spec.width;
            tile.height = spec.height;
            tile._sitmapCss = [tile.width / spec.ratio, tile.height / spec.ratio];
            return { tile: tile, size: spec.size, ratio: spec.ratio };
        },

        // (Leaflet gives each tile the tile size: this one's canvas bleeds past it)
        _initTile: function (tile) {
            L.GridLayer.prototype._initTile.call(this, tile);
            if (tile._sitmapCss) {
                tile.style.width = tile._sitmapCss[0] + 'px';
                tile.style.height = tile._sitmapCss[1] + 'px';
            }
        },

        createTile: function (coords, done) {
            var spec = this._canvasSpec();
            var again = this._takeKept && this._takeKept(coords, spec);  // (drawn before: basemap_kept.js)
            if (again) {
                Promise.resolve().then(function () { done(null, again); });
                return again;
            }
            var made = this._newCanvas(spec);
            var size = made.size, ratio = made.ratio, tile = made.tile;

            var z = coords.z;
            var n = Math.pow(2, z);
            if (coords.y < 0 || coords.y >= n) {
                // beyond the Mercator limits: nothing to draw
                window.setTimeout(function () { done(null, tile); }, 0);
                return tile;
            }
            var carried = this.options.carried, key = this._tileKey(coords);
            if (carried && carried[key]) {
                // painted now, in the page's start, and done in this task (Leaflet needs done() after
                // return): the tile shows in the first frame
                // (kept until the page is ready: a view wider than the world shows a tile twice,
                // on two world copies; channel.js maybeReady lets them go)
                var given = carried[key], failed = null, picture = pictures && pictures[key];
                if (picture) { delete pictures[key]; }
                try {
                    if (picture && this._showPicture(tile, given, coords, size.x, ratio, picture, done)) { return tile; }
                    this._paint(tile, given, coords, size.x, ratio);
                } catch (err) {
                    failed = err;
                }
                Promise.resolve().then(function () { done(failed, tile); });
                return tile;
            }
            if (this.options.batchUrl) {
                this._queue(tile, coords, done, size.x, ratio);
            } else {
                this._fetchOne(tile, coords, done, size.x, ratio);
            }
            return tile;
        },

        // One tile asked for alone.
        _fetchOne: function (tile, coords, done, cssSize, ratio) {
            var self = this, z = coords.z;
            var url = L.Util.template(this._url, { z: z, x: wrapX(coords.x, z), y: coords.y });
            var ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
            tile._sitmapAbort = ctrl;
            fetch(url, ctrl ? { signal: ctrl.signal } : undefined)
                .then(function (response) { return jsonOf(response, 'basemap tile ' + url); })
                .then(function (data) {
                    tile._sitmapAbort = null;
                    self._paint(tile, data, coords, cssSize, ratio);
                    done(null, tile);
                })
                .catch(function (err) {
                    tile._sitmapAbort = null;
                    if (err && err.name === 'AbortError') { return; }
                    done(err, tile);
                });
        },

        // The tiles a view makes (Leaflet makes them in one go) are asked for in one request and
        // drawn in one task: asked for one by one, a view's twenty tiles came in over 130 ms of
        // the page's frames, each its own reply to read.
        _queue: function (tile, coords, done, cssSize, ratio) {
            var q = this._queued || (this._queued = []), self = this;
            var entry = { tile: tile, coords: coords, done: done, cssSize: cssSize, ratio: ratio, gone: false };
            tile._sitmapAbort = { abort: function () { entry.gone = true; } };
            q.push(entry);
            if (q.length === 1) { Promise.resolve().then(function () { self._askQueued(); }); }
        },

        _askQueued: function () {
            var q = this._queued || [], self = this;
            this._queued = null;
            var byZoom = {};
            q.forEach(function (e) {
                if (!e.gone) { (byZoom[e.coords.z] = byZoom[e.coords.z] || []).push(e); }
            });
            var most = this.options.batchMax || 256;  // (the app answers no more in one request)
            Object.keys(byZoom).forEach(function (z) {
                var es = byZoom[z], one = function (e) { self._fetchOne(e.tile, e.coords, e.done, e.cssSize, e.ratio); };
                if (es.length === 1) { one(es[0]); return; }
                // one request for each ``most`` tiles (a tile wrapped round the world twice is asked for once)
                var groups = {}, order = [];
                es.forEach(function (e) {
                    var key = wrapX(e.coords.x, e.coords.z) + '/' + e.coords.y;
                    if (!groups[key]) { groups[key] = []; order.push(key); }
                    groups[key].push(e);
                });
                for (var at = 0; at < order.length; at += most) {
                    self._askBatch(z, order.slice(at, at + most), groups, one);
                }
            });
        },

        // The tiles of ``keys`` ("x/y" of zoom z) in one request: each drawn as it is given, or asked
        // for alone where it is not (``one``); all asked for alone if the request fails.
        _askBatch: function (z, keys, groups, one) {
            var self = this, xy = keys.map(function (k) { return k.replace('/', '.'); }).join(',');
            fetch(L.Util.template(this.options.batchUrl, { z: z, xy: xy }))
                .then(function (response) { return jsonOf(response, 'basemap tiles'); })
                .then(function (got) {
                    var given = got && typeof got === 'object' ? got : {};
                    keys.forEach(function (k) {
                        var data = Object.prototype.hasOwnProperty.call(given, k) ? given[k] : null;
                        groups[k].forEach(function (e) {
                            if (e.gone) { return; }
                            e.gone = true;  // (answered here)
                            if (!data || typeof data !== 'object') { one(e); return; }  // (not ready, or no answer: alone)
                            e.tile._sitmapAbort = null;
                            try {
                                self._paint(e.tile, data, e.coords, e.cssSize, e.ratio);
                            } catch (err) {
                                e.done(err, e.tile);  // (a tile that cannot be drawn: an error, as alone)
                                return;
                            }
                            e.done(null, e.tile);
                        });
                    });
                }, function () {  // (no answer, or not JSON)
                    keys.forEach(function (k) { groups[k].forEach(function (e) { if (!e.gone) { e.gone = true; one(e); } }); });
                });
        },

        // Draw a tile, without the labels placement has given away (and keep what is needed to
        // draw it again when that changes).
        _paint: function (tile, data, coords, cssSize, ratio) {
            var m = this._kept(tile, data, coords, cssSize, ratio);
            drawTile(tile, data, cssSize, ratio, this._hidden, m.skip);
        },

        // What a tile keeps to be drawn again (its data, place, size, labels' keys, those left out).
        _kept: function (tile, data, coords, cssSize, ratio) {
            if (data.spots) {  // other spots of country names: labels like the others, drawn only where chosen
                data.labels = (data.labels || []).concat(data.spots);
                delete data.spots;
            }
            var extent = +data.size || 256, labels = data.labels || [];
            var keys = labels.map(function (lab) { return labelKey(lab, coords, extent); });
            var skip = skipOf(labels, keys, this._skipKeys, this._shownSpots);
            tile._sitmap = { data: data, coords: coords, cssSize: cssSize, ratio: ratio, keys: keys, skip: skip };
            return tile._sitmap;
        },

        // A carried tile shown from its picture (see pictures) where that is what drawing it would
        // give: its labels left out as the picture's were (placement, which comes next, draws the
        // tile anew if it leaves out others). done() once the picture is on the canvas. False: the
        // picture does not fit, draw the tile.
        _showPicture: function (tile, data, coords, cssSize, ratio, picture, done) {
            if (picture.w !== tile.width || picture.h !== tile.height || picture.ratio !== ratio) { return false; }
            var m = this._kept(tile, data, coords, cssSize, ratio), labels = data.labels || [];
            if (picture.skip.length !== labels.length || picture.hid !== hiddenFlags(labels, this._hidden)) { return false; }
            m.skip = picture.skip.split('').map(function (c) { return c === '1'; });
            var self = this, img = picture.img;
            // the picture on the canvas if it is the canvas's size, else the tile drawn
            var show = function (pic) {
                if (pic && pic.naturalWidth === tile.width && pic.naturalHeight === tile.height) {
                    var ctx = tile.getContext('2d');
                    ctx.setTransform(1, 0, 0, 1, 0, 0);
                    ctx.drawImage(pic, 0, 0);
                    tile._sitmapFromPicture = true;
                } else {
                    drawTile(tile, m.data, cssSize, ratio, self._hidden, m.skip);
                }
            };
            if (img.complete && img.naturalWidth === tile.width && img.naturalHeight === tile.height) {
                // loaded: drawn now (decoded here if it is not yet), done in this task like a drawn tile
                show(img);
                Promise.resolve().then(function () { done(null, tile); });
                return true;
            }
            tile._sitmapPicture = picture;
            var settle = function (pic) {
                if (tile._sitmapPicture === picture) {  // (not drawn anew meanwhile)
                    tile._sitmapPicture = null;
                    show(pic);
                }
                done(null, tile);
            };
            picture.bitmap.then(settle, function () { settle(null); });
            return true;
        },

        // The pictures of the tiles ``keys`` ("z/x/y") as shown now, for the app to carry next time
        // (see pictures) that are shown now at the zoom shown: sent to the app as JSON text
        // (tilePictures), once all are encoded. None is sent, and 0 returned, when none is shown or
        // every one shown is its carried picture, not drawn anew since; else how many are sent.
        givePictures: function (keys) {
            var tiles = this._tiles || {}, byKey = {}, self = this;
            Object.keys(tiles).forEach(function (tk) {
                var t = tiles[tk], el = t.el, m = el && el._sitmap;
                if (!m || !t.current || !el.parentNode || el._sitmapPicture) { return; }
                var key = self._tileKey(t.coords);
                if (!byKey[key]) { byKey[key] = el; }
            });
            var wanted = (keys || []).filter(function (k) { return byKey[k]; });
            if (!wanted.length || wanted.every(function (k) { return byKey[k]._sitmapFromPicture; })) { return 0; }
            var hidden = this._hidden, out = {}, left = wanted.length;
            wanted.forEach(function (key) {
                var el = byKey[key], m = el._sitmap, meta = {
                    skip: flagsOf(m.skip), hid: hiddenFlags(m.data.labels || [], hidden), w: el.width, h: el.height, ratio: m.ratio };
                el.toBlob(function (blob) {
                    var reader = new FileReader();
                    reader.onloadend = function () {
                        var url = typeof reader.result === 'string' ? reader.result : '';
                        if (url.indexOf('base64,') > 0) { meta.png = url.slice(url.indexOf('base64,') + 7); out[key] = meta; }
                        if (--left === 0) { SitMap.app.send('tilePictures', JSON.stringify(out)); }
                    };
                    if (blob) { reader.readAsDataURL(blob); } else { reader.onloadend(); }
                }, 'image/png');
            });
            return wanted.length;
        },

        // The labels drawn on the tiles of the zoom shown: {key, p, text, box (page px), order}, one
        // per label however many tiles it spans; the ones hidden by name are not drawn, not listed.
        // The other spots of country names ({alt, of: the name's own key} besides) are listed where
        // one is drawn, all of them with ``spots`` (for labels.js to choose from).
        labelBoxes: function (spots) {
            var out = [], seen = {}, hidden = this._hidden, z = this._tileZoom, order = 0;
            var tiles = this._tiles || {};
            Object.keys(tiles).forEach(function (tk) {
                var t = tiles[tk], m = t.el && t.el._sitmap;
                if (!m || t.coords.z !== z || !t.el.parentNode) { return; }
                var r = t.el.getBoundingClientRect();
                if (!r.width) { return; }
                var k = r.width * (m.cssSize * m.ratio / t.el.width) / (+m.data.size || 256);  // (the canvas bleeds past the tile)
                (m.data.labels || []).forEach(function (lab, i) {
                    var key = m.keys[i];
                    if (hidden && hidden[String(lab.text).toLowerCase()]) { return; }
                    if (lab.alt && !spots && m.skip[i]) { return; }
                    var b = labelBox(lab);
                    var box = { left: r.left + b[0] * k, top: r.top + b[1] * k, right: r.left + b[2] * k, bottom: r.top + b[3] * k };
                    var e = seen[key];
                    if (e) {  // the same label in a neighbouring tile: one box
                        e.drawn = e.drawn || !m.skip[i];
                        return;
                    }
                    seen[key] = { key: key, p: lab.p, text: String(lab.text), kind: lab.kind, box: box, order: order++, drawn: !m.skip[i] };
                    if (lab.alt) {  // another spot of a country's name: which name, its rank
                        seen[key].alt = +lab.alt;
                        seen[key].of = 'p' + lab.of + key.slice(key.indexOf('@'));
                    }
                    out.push(seen[key]);
                });
            });
            return out;
        },

        // Leave out the labels with these keys ({key: true}) on every tile, and draw the other spots
        // of country names with the keys ``spots`` gives ({key: true}); redraw only the tiles that change.
        setSkipped: function (keys, spots) {
            this._skipKeys = keys || {};
            this._shownSpots = spots || {};
            var tiles = this._tiles || {}, self = this;
            Object.keys(tiles).forEach(function (tk) { self._reskip(tiles[tk].el); });
        },

        // A tile's labels as placement leaves them out now: drawn anew if that changed.
        _reskip: function (el) {
            var m = el && el._sitmap;
            if (!m) { return; }
            var skip = skipOf(m.data.labels || [], m.keys, this._skipKeys, this._shownSpots);
            var same = skip.every(function (v, i) { return v === m.skip[i]; });
            if (same) { return; }
            m.skip = skip;
            if (!el._sitmapStale) { drawTile(el, m.data, m.cssSize, m.ratio, this._hidden, skip); }
        },

        // A tile kept to be drawn once the page's labels are placed (drawStale), not now: a briefing's
        // start places its labels twice (before and after its legend), and a tile drawn as it was
        // made was drawn again by each placement that left out others of its labels (the built-in
        // map's 1200x800 briefing: 37 drawings of its 18 tiles). done() in this task, as for a
        // tile drawn at once.
        _keepToDraw: function (tile, data, coords, cssSize, ratio, done) {
            this._kept(tile, data, coords, cssSize, ratio);
            tile._sitmapStale = true;
            Promise.resolve().then(function () { done(null, tile); });
        },

        // Draw the tiles kept to be drawn (_keepToDraw), with the labels placement leaves out now.
        drawStale: function () {
            var tiles = this._tiles || {}, hidden = this._hidden;
            Object.keys(tiles).forEach(function (tk) {
                var el = tiles[tk].el, m = el && el._sitmap;
                if (!m || !el._sitmapStale) { return; }
                el._sitmapStale = false;
                drawTile(el, m.data, m.cssSize, m.ratio, hidden, m.skip);
            });
        },

        // A tile's key ("z/x/y", x within the world: the same for its copies on the worlds either side).
        _tileKey: function (c) {
            return c.z + '/' + wrapX(c.x, c.z) + '/' + c.y;
        },

        _abortTile: function (e) {
            var tile = e && e.tile;
            if (tile && tile._sitmapAbort) {
                tile._sitmapAbort.abort();
                tile._sitmapAbort = null;
            }
        }
    });

    SitMap.BasemapLayer = BasemapLayer;
    SitMap.wrapTileX = wrapX;  // (a tile column on the one world: tile_package.js too)
    SitMap.basemapLayer = function (urlTemplate, options) {
        return new BasemapLayer(urlTemplate, options);
    };
}(window.SitMap, window.L));
