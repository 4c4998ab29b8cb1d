/* Small DOM helpers the SitMap page scripts share. Text always goes in as text (textContent
 * or an SVG text node), never as HTML. Loaded after Leaflet, before the other page scripts. */
window.SitMap = window.SitMap || {};
(function (S) {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';

  S.dom = {
    SVG_NS: SVG_NS,
    el: function (tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) { e.className = cls; }
      if (text !== undefined && text !== null) { e.textContent = String(text); }
      return e;
    },
    svg: function (tag, attrs, text) {
      var e = document.createElementNS(SVG_NS, tag);
      Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
      if (text !== undefined && text !== null) { e.textContent = String(text); }
      return e;
    },
    escapeHtml: function (s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
      });
    },
    dashArray: function (dash) {
      if (dash === 'dashed') { return '8 4'; }
      if (dash === 'dotted') { return '2 4'; }
      return null;
    }
  };
})(window.SitMap);
