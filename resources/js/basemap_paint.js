window.SitMap = window.SitMap || {};

/*
 * The offline basemap's tile painter (basemap.js's layer draws each tile with it; so do the
 * exports that draw a tile without Leaflet): a tile's JSON vector data on a <canvas>: sea, land,
 * urban areas, lakes, rivers, roads, railways, coastline, lake shores and country borders, then
 * the country, city and river labels (river names in blue italics, turned along the river).
 * Rivers widen with the zoom as on a printed map. Tile geometry is in a 256-unit tile space; the
 * canvas is the tile's CSS size times its pixel ratio, so exports stay crisp.
 *
 * All label text is drawn with canvas strokeText/fillText; nothing from a tile is ever put into
 * the DOM as markup. Loaded before basemap.js.
 */
(function (SitMap) {
    'use strict';

    var STYLE = {
        sea: '#cfe3ef',
        land: '#f4f1ea',
        coast: '#7b9cb3',
        shore: '#8fb1c6',
        river: '#7fb0d3',
        urban: '#e6dccb',
        road: '#d9a05b',
        roadCasing: '#ffffff',
        rail: '#55514c',
        border: '#8d8496',
        countryText: '#7d7488',
        cityText: '#3a3a3a',
        capitalText: '#262626',
        riverText: '#2f6d9e',
        dot: '#4a4a4a',
        halo: 'rgba(255, 255, 255, 0.92)',
        font: 'sans-serif',  // the page's own list replaces it (setBasemapFont: viewer/render/page.py, LABEL_FONTS)
        countrySpacing: 0.12  // em; the server sized the label boxes for this
    };

    // Line widths in CSS pixels by zoom.
    var RIVER_WIDTH = [0.4, 0.4, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 1.0, 1.6, 2.0, 2.6, 3.4, 4.5];

    function widths(z) {
        var river = RIVER_WIDTH[Math.max(0, Math.min(RIVER_WIDTH.length - 1, z | 0))];
        if (z <= 3) { return { coast: 0.6, shore: 0.5, border: 0.7, river: river }; }
        if (z <= 6) { return { coast: 0.8, shore: 0.6, border: 0.9, river: river }; }
        return { coast: 1.0, shore: 0.8, border: 1.2, river: river };
    }

    function addRings(ctx, polygons) {
        for (var p = 0; p < polygons.length; p++) {
            var rings = polygons[p];
            for (var r = 0; r < rings.length; r++) {
                var c = rings[r];
                if (c.length < 6) { continue; }
                ctx.moveTo(c[0], c[1]);
                for (var i = 2; i < c.length; i += 2) { ctx.lineTo(c[i], c[i + 1]); }
                ctx.closePath();
            }
        }
    }

    function addLines(ctx, lines) {
        for (var l = 0; l < lines.length; l++) {
            var c = lines[l];
            if (c.length < 4) { continue; }
            ctx.moveTo(c[0], c[1]);
            for (var i = 2; i < c.length; i += 2) { ctx.lineTo(c[i], c[i + 1]); }
        }
    }

    function fillPolygons(ctx, polygons, colour) {
        if (!polygons || !polygons.length) { return; }
        // One path, even-odd: pieces of a polygon cut at chunk edges join without seams.
        ctx.beginPath();
        addRings(ctx, polygons);
        ctx.fillStyle = colour;
        ctx.fill('evenodd');
    }

    function strokeLines(ctx, lines, colour, width) {
        if (!lines || !lines.length) { return; }
        ctx.beginPath();
        addLines(ctx, lines);
        ctx.strokeStyle = colour;
        ctx.lineWidth = width;
        ctx.stroke();
    }

    // Railways as on a printed map: a thin line with cross ticks.
    function hatchLines(ctx, lines, px) {
        if (!lines || !lines.length) { return; }
        strokeLines(ctx, lines, STYLE.rail, 1.1 * px);
        ctx.save();
        ctx.setLineDash([1.1 * px, 5 * px]);
        ctx.lineCap = 'butt';
        strokeLines(ctx, lines, STYLE.rail, 5 * px);
        ctx.restore();
    }

    function setSpacing(ctx, px) {
        if ('letterSpacing' in ctx) { ctx.letterSpacing = px + 'px'; }
    }

    function haloText(ctx, text, x, y, maxWidth, colour) {
        ctx.strokeStyle = STYLE.halo;
        ctx.lineWidth = 3;
        ctx.strokeText(text, x, y, maxWidth);
        ctx.fillStyle = colour;
        ctx.fillText(text, x, y, maxWidth);
    }

    function drawLabel(ctx, lab) {
        var size = +lab.size || 11;
        var maxWidth = +lab.w > 0 ? +lab.w : undefined;
        var text = String(lab.text == null ? '' : lab.text);
        ctx.textBaseline = 'middle';
        ctx.lineJoin = 'round';
        if (lab.kind === 'river') {
            // centred on (tx, ty), turned along the river as the tile says
            ctx.save();
            ctx.translate(lab.tx, lab.ty);
            ctx.rotate((+lab.angle || 0) * Math.PI / 180);
            ctx.font = 'italic ' + size + 'px ' + STYLE.font;
            ctx.textAlign = 'center';
            setSpacing(ctx, 0.02 * size);
            haloText(ctx, text, 0, 0, maxWidth, STYLE.riverText);
            setSpacing(ctx, 0);
            ctx.restore();
            return;
        }
        if (lab.kind === 'country') {
            ctx.font = size + 'px ' + STYLE.font;
            ctx.textAlign = 'center';
            setSpacing(ctx, STYLE.countrySpacing * size);
            var lines = text.toUpperCase().split('\n');
            var lh = size * 1.15;
            var y0 = lab.ty - lh * (lines.length - 1) / 2;
            for (var i = 0; i < lines.length; i++) {
                haloText(ctx, lines[i], lab.tx, y0 + i * lh, maxWidth, STYLE.countryText);
            }
            setSpacing(ctx, 0);
            return;
        }
        var capital = lab.kind === 'capital';
        var r = +lab.dot || (capital ? 3 : 2);
        ctx.beginPath();
        ctx.arc(lab.x, lab.y, r, 0, 2 * Math.PI);
        ctx.fillStyle = STYLE.dot;
        ctx.fill();
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = capital ? 1.2 : 0.8;
        ctx.stroke();
        if (capital) {
            ctx.beginPath();
            ctx.arc(lab.x, lab.y, r * 0.4, 0, 2 * Math.PI);
            ctx.fillStyle = '#ffffff';
            ctx.fill();
        }
        ctx.font = (capital ? 'bold ' : '') + size + 'px ' + STYLE.font;
        ctx.textAlign = lab.align === 'right' || lab.align === 'center' ? lab.align : 'left';
        haloText(ctx, text, lab.tx, lab.ty, maxWidth, capital ? STYLE.capitalText : STYLE.cityText);
    }

    // A label's box (dot and text) in tile units: the tile's own, else worked out as the server does.
    function labelBox(lab) {
        if (lab.b && lab.b.length === 4) { return lab.b; }
        var size = +lab.size || 11, w = +lab.w || String(lab.text).length * size * 0.6;
        if (lab.kind === 'country') {
            var lines = String(lab.text).split('\n').length, h = size * 1.15 * lines;
            return [lab.x - w / 2, lab.y - h / 2, lab.x + w / 2, lab.y + h / 2];
        }
        var r = +lab.dot || 2, half = size * 0.6;
        var t = lab.align === 'right' ? [lab.tx - w, lab.tx] : lab.align === 'center' ? [lab.tx - w / 2, lab.tx + w / 2] : [lab.tx, lab.tx + w];
        return [Math.min(lab.x - r, t[0]), Math.min(lab.y - r, lab.ty - half), Math.max(lab.x + r, t[1]), Math.max(lab.y + r, lab.ty + half)];
    }

    function drawTile(canvas, data, cssSize, ratio, hidden, skip) {
        SitMap.basemapDrawings = (SitMap.basemapDrawings || 0) + 1;  // (tiles drawn so far: for tests)
        canvas._sitmapPicture = null;  // (drawn anew: a picture of it still being decoded is not shown)
        canvas._sitmapFromPicture = false;
        var ctx = canvas.getContext('2d');
        var extent = +data.size || 256;
        var k = cssSize * ratio / extent;       // tile units -> canvas pixels
        var px = extent / cssSize;              // one CSS pixel in tile units
        var w = widths(data.z);
        var inner = Math.round(cssSize * ratio);
        // The canvas's bleed past the tile's edges (see bleed) is drawn from the tile's own
        // geometry where that reaches past the edges far enough (the built-in tiles': "edge"),
        // else copied from the edge pixels once the tile is drawn.
        var reach = +data.edge * k >= Math.max(canvas.width, canvas.height) - inner;
        ctx.setTransform(k, 0, 0, k, 0, 0);
        ctx.lineCap = 'round';
        ctx.lineJoin = 'round';

        // tiles of schemas without a land layer (vector tile packages) lay water over land
        ctx.fillStyle = data.base === 'land' ? STYLE.land : STYLE.sea;
        ctx.fillRect(0, 0, reach ? canvas.width / k : extent, reach ? canvas.height / k : extent);
        fillPolygons(ctx, data.land, STYLE.land);
        fillPolygons(ctx, data.urban, STYLE.urban);
        fillPolygons(ctx, data.lakes, STYLE.sea);
        strokeLines(ctx, data.rivers, STYLE.river, w.river * px);
        strokeLines(ctx, data.roads, STYLE.roadCasing, (w.river + 1.6) * px);
        strokeLines(ctx, data.roads, STYLE.road, (w.river + 0.6) * px);
        hatchLines(ctx, data.railways, px);
        strokeLines(ctx, data.shores, STYLE.shore, w.shore * px);
        strokeLines(ctx, data.coast, STYLE.coast, w.coast * px);
        strokeLines(ctx, data.borders, STYLE.border, w.border * px);

        var labels = data.labels || [];
        if (labels.length) {
            // label sizes are in CSS pixels: draw them in a CSS-pixel frame
            // anchored on the tile's top-left corner
            ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
            var s = cssSize / extent;
            for (var i = 0; i < labels.length; i++) {
                var lab = labels[i];
                // the overlay labels these places itself (with local names): no double labels
                if (hidden && hidden[String(lab.text).toLowerCase()]) { continue; }
                // one that would touch an overlay label (or one placed before it): labels.js
                if (skip ? skip[i] : lab.alt) { continue; }  // (another spot of a country's name: only where chosen)
                drawLabel(ctx, {
                    text: lab.text, kind: lab.kind, size: lab.size, align: lab.align,
                    x: lab.x * s, y: lab.y * s, tx: lab.tx * s, ty: lab.ty * s,
                    w: lab.w * s, dot: lab.dot, angle: lab.angle
                });
            }
        }
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (!reach) { bleed(canvas, inner); }
    }

    // A tile's canvas reaches BLEED CSS pixels past its right and bottom edges, into its
    // neighbours, drawn there as its geometry goes on (or filled with its own last column and
    // row, for a tile without geometry past its edges): at a fractional scale (a briefing's
    // zoom, a page zoom) two tiles side by side each cover their shared edge's pixel only in
    // part, and the map's background showed through them as a faint line.
    var BLEED = 1;
    function bleed(canvas, inner) {
        var w = canvas.width, h = canvas.height, ctx = canvas.getContext('2d');
        if (w > inner && inner > 0) { ctx.drawImage(canvas, inner - 1, 0, 1, inner, inner, 0, w - inner, inner); }
        if (h > inner && inner > 0) { ctx.drawImage(canvas, 0, inner - 1, w, 1, 0, inner, w, h - inner); }
    }

    SitMap.basemapPaint = { drawTile: drawTile, labelBox: labelBox, BLEED: BLEED };
    // The CSS font list the place names are drawn in (the page's payload gives it).
    SitMap.setBasemapFont = function (font) {
        if (typeof font === 'string' && font) { STYLE.font = font; }
    };
    SitMap.basemapFont = function () { return STYLE.font; };
    // exposed for tests and exports that draw a tile without Leaflet
    SitMap.drawBasemapTile = drawTile;
    SitMap.basemapLabelBox = labelBox;
}(window.SitMap));
