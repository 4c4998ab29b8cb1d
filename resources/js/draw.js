/* Drawing support: the page reports clicks and key presses to Python, which owns the
 * tools and the annotations, and shows the sketch Python sends back. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';
  var draw = S.draw = { tool: null, sketch: null, sketchLabel: null };

  function app() { return S.app; }

  draw.setTool = function (name) {
    draw.tool = name || null;
    var c = app().map.getContainer();
    c.style.cursor = draw.tool ? 'crosshair' : '';
    if (draw.tool) { app().map.doubleClickZoom.disable(); } else { app().map.doubleClickZoom.enable(); }
    draw.setSketch(null, null);
    return true;
  };

  // A dashed preview of what is being drawn, with its label (distance, bearing) from Python.
  draw.setSketch = function (latlngs, text, closed) {
    var map = app().map;
    if (draw.sketch) { map.removeLayer(draw.sketch); draw.sketch = null; }
    if (draw.sketchLabel) { map.removeLayer(draw.sketchLabel); draw.sketchLabel = null; }
    if (!latlngs || !latlngs.length) { return true; }
    var style = { color: '#111', weight: 2, dashArray: '6 4', interactive: false, fill: !!closed, fillOpacity: 0.08 };
    draw.sketch = (closed ? L.polygon(latlngs, style) : L.polyline(latlngs, style)).addTo(map);
    if (text) {
      var box = document.createElement('span');
      box.className = 'sitmap-label-text';
      box.textContent = String(text);
      draw.sketchLabel = L.tooltip({ permanent: true, direction: 'right', offset: [12, 0], className: 'sitmap-label sitmap-sketch-label' })
        .setLatLng(latlngs[latlngs.length - 1]).setContent(box).addTo(map);
    }
    return true;
  };

  draw.install = function () {
    var map = app().map;
    map.on('click', function (e) {
      if (draw.tool) { app().send('mapClicked', e.latlng.lat, e.latlng.lng); }
    });
    map.on('dblclick', function (e) {
      if (draw.tool) { app().send('mapDoubleClicked', e.latlng.lat, e.latlng.lng); }
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' || e.key === 'Enter' || e.key === 'Delete' || e.key === 'Backspace') {
        app().send('keyPressed', e.key);
      }
    });
  };
})(window.SitMap);
