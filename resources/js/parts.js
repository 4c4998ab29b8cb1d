/* A large map of lines and areas given to the page in parts (viewer/render/parts.py): the first
 * comes with the payload (sitmap.js drawFeatures), the others are asked for at once and put as
 * each comes, in order, while Python draws the next. They come in the order the layers are
 * stacked, each layer's features in map order, so each shape lies above the ones before it as it
 * would had all come at once; and so the shared canvas (shape_canvas.js) paints each part's
 * shapes over what it shows (the view at once; the margin once the last has come), not all of
 * them again. Loaded before sitmap.js. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  S.parts = {
    // The parts after the first, asked for at once (each answered as soon as Python has drawn it).
    ask: function (urls, fetchJson) {
      var parts = urls.map(fetchJson);
      parts.forEach(function (p) { p.catch(function () {}); });  // (a page replaced before it had them)
      return parts;
    },

    // Each part put (put(batch)) as it comes, in order, and painted over what the canvas shows;
    // done() once the last is in (or one could not be had: said on the console, which Python reads).
    take: function (parts, canvas, put, done) {
      if (canvas) { canvas.marginWait(true); }
      var chain = Promise.resolve();
      parts.forEach(function (part) {
        chain = chain.then(function () { return part; }).then(function (batch) {
          var last = canvas && canvas._drawLast;
          if (canvas) { canvas.hold(true); }
          try {
            put(batch);
          } finally {
            if (canvas) { canvas.paintAdded(last ? last.next : canvas._drawFirst); }
          }
        });
      });
      chain.catch(function (e) {
        if (window.console) { console.error('SitMap: ' + (e && e.stack || e)); }
      }).then(function () {
        if (canvas) { canvas.marginWait(false); }
        done();
      });
    }
  };
})(window.SitMap);
