/* The map's symbols and its legend: the marker symbols the page and the legend draw, the
 * legend's swatches and the legend control itself. Loaded after dom.js, before sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var el = S.dom.el, svg = S.dom.svg, dashArray = S.dom.dashArray;

  /* --- symbols ------------------------------------------------------- */
  function symbolSvg(symbol, colour, size) {
    var s = svg('svg', { width: size, height: size, viewBox: '0 0 20 20', 'class': 'sitmap-symbol' });
    if (symbol === 'text') { return s; }
    if (symbol === 'launch') {
      s.appendChild(svg('polygon', { points: '10,1.5 19,18 1,18', fill: colour, stroke: '#1a1a1a', 'stroke-width': 1.6 }));
    } else if (symbol === 'bridge') {
      s.appendChild(svg('rect', { x: 3.5, y: 3.5, width: 13, height: 13, fill: colour, stroke: '#fff', 'stroke-width': 2 }));
    } else if (symbol === 'station') {
      s.appendChild(svg('circle', { cx: 10, cy: 10, r: 6, fill: '#fff', stroke: colour, 'stroke-width': 3.2 }));
    } else if (symbol === 'impact') {
      s.appendChild(svg('path', { d: 'M4 4 L16 16 M16 4 L4 16', stroke: colour, 'stroke-width': 3.4, 'stroke-linecap': 'round' }));
    } else if (symbol === 'city') {
      s.appendChild(svg('circle', { cx: 10, cy: 10, r: 4.6, fill: colour, stroke: '#fff', 'stroke-width': 1.8 }));
    } else {
      s.appendChild(svg('circle', { cx: 10, cy: 10, r: 6, fill: colour, stroke: '#1a1a1a', 'stroke-width': 1.5 }));
    }
    return s;
  }

  function legendSwatch(entry) {
    var s = svg('svg', { width: 30, height: 16, viewBox: '0 0 30 16' });
    var c = entry.color || '#333';
    var dash = dashArray(entry.dash);
    if (entry.symbol === 'ring' || (entry.symbol === 'impact' && !entry.point) || entry.symbol === 'area') {
      var r = svg('rect', { x: 2, y: 2, width: 26, height: 12, rx: entry.symbol === 'ring' ? 6 : 1,
        fill: entry.fill || c,
        'fill-opacity': entry.symbol === 'ring' ? 0.08 : typeof entry.fillOpacity === 'number' ? entry.fillOpacity : (entry.fill ? 0.45 : 0.2),
        stroke: c,
        'stroke-width': 2 });
      if (dash) { r.setAttribute('stroke-dasharray', '5 3'); }
      s.appendChild(r);
    } else if (entry.symbol === 'flight' || entry.symbol === 'rail' || entry.symbol === 'line') {
      var l = svg('path', { d: entry.symbol === 'flight' ? 'M2 8 H22' : 'M2 8 H28', stroke: c, 'stroke-width': 3, fill: 'none' });
      if (dash) { l.setAttribute('stroke-dasharray', '5 3'); }
      s.appendChild(l);
      if (entry.symbol === 'flight') { s.appendChild(svg('polygon', { points: '21,3 29,8 21,13', fill: c })); }
    } else {
      var inner = symbolSvg(entry.symbol, c, 16);
      if (entry.symbol === 'marker' && S.points && S.points.many && S.app && S.app.payload && S.points.many()) {
        // (many markers are drawn with a darker shade of their colour round them: points.js)
        var ring = inner.querySelector('circle');
        if (ring) { ring.setAttribute('stroke', S.points.shade(c, 0.5)); }
      }
      inner.setAttribute('x', 7);
      s.appendChild(inner);
    }
    return s;
  }

  /* --- controls ------------------------------------------------------ */
  /* the legend serves the reader. Its title collapses it (the state is kept), dragging
   * the title moves it to the corner nearest where it is dropped, only its title and rows take the
   * pointer (a click beside them reaches the map), and it lists the rows that fit, scrolling the
   * rest, in a smaller type when the map is small. */
  var Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd: function () {
      this._div = el('div', 'sitmap-legend leaflet-control');
      this.collapsed = !!this.collapsed;
      this.update();
      return this._div;
    },
    setCollapsed: function (on) {
      this.collapsed = !!on;
      this.update();
      S.app.send('legendChanged', this.collapsed, this.getPosition());
      return true;
    },
    moveTo: function (corner) {
      if (['topleft', 'topright', 'bottomleft', 'bottomright'].indexOf(corner) < 0) { return false; }
      this.setPosition(corner);
      S.app.send('legendChanged', this.collapsed, corner);
      return true;
    },
    _dragTitle: function (title) {
      var self = this;
      L.DomEvent.on(title, 'mousedown', function (e) {
        if (e.button !== 0) { return; }
        L.DomEvent.stop(e);
        var map = S.app.map, start = { x: e.clientX, y: e.clientY }, moved = false, div = self._div;
        function move(ev) {
          var dx = ev.clientX - start.x, dy = ev.clientY - start.y;
          if (!moved && Math.abs(dx) + Math.abs(dy) < 5) { return; }
          moved = true;
          div.style.transform = 'translate(' + dx + 'px,' + dy + 'px)';
        }
        function up(ev) {
          document.removeEventListener('mousemove', move, true);
          document.removeEventListener('mouseup', up, true);
          div.style.transform = '';
          if (!moved) { self.setCollapsed(!self.collapsed); return; }
          var r = map.getContainer().getBoundingClientRect();
          var corner = (ev.clientY - r.top < r.height / 2 ? 'top' : 'bottom') + (ev.clientX - r.left < r.width / 2 ? 'left' : 'right');
          self.moveTo(corner);
        }
        document.addEventListener('mousemove', move, true);
        document.addEventListener('mouseup', up, true);
      });
    },
    update: function () {
      var div = this._div;
      if (!div) { return; }
      while (div.firstChild) { div.removeChild(div.firstChild); }
      var size = S.app.map.getSize();
      div.classList.toggle('sitmap-legend-compact', size.x < 800 || size.y < 560);
      div.classList.toggle('sitmap-legend-collapsed', !!this.collapsed);
      var title = el('div', 'sitmap-legend-title');
      title.appendChild(el('span', 'sitmap-legend-toggle', this.collapsed ? '\u25b8' : '\u25be'));
      title.appendChild(el('span', null, 'Legend'));
      title.title = 'Click to fold or unfold; drag to move to another corner';
      L.DomEvent.disableClickPropagation(title);
      L.DomEvent.on(title, 'contextmenu', L.DomEvent.stop);
      if (S.app.payload.interactive !== false) { this._dragTitle(title); }
      div.appendChild(title);
      var rows = el('div', 'sitmap-legend-rows');
      L.DomEvent.disableClickPropagation(rows);
      L.DomEvent.disableScrollPropagation(rows);
      var shown = 0;
      (S.app.payload.legend || []).forEach(function (entry) {
        var g = S.app.groups[entry.group];
        if (!g || !S.app.map.hasLayer(g)) { return; }
        var row = el('div', 'sitmap-legend-row');
        row.appendChild(legendSwatch(entry));
        var text = row.appendChild(el('span', null, entry.text));
        text.title = entry.text;  // (whole, where the row cuts a long one)
        rows.appendChild(row);
        shown += 1;
      });
      // at most about a third of the map's height: the rest scrolls
      rows.style.maxHeight = Math.max(60, Math.round(size.y * (size.x < 800 || size.y < 560 ? 0.22 : 0.34))) + 'px';
      if (!this.collapsed) { div.appendChild(rows); }
      div.style.display = shown ? '' : 'none';
    }
  });

  S.legend = { symbol: symbolSvg, swatch: legendSwatch, Control: Legend };
})(window.SitMap);
