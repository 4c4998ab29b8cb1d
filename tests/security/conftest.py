"""Shared pieces of the hostile-text tests: the payload corpus, scenarios that carry it in
every text field, and checks that a page ran none of it and shows it as text."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.export.conftest import chromium  # noqa: F401  (fixture)
from tests.ui.conftest import READY_MS, js, settings, window  # noqa: F401  (fixtures for these tests)

SENTINEL = "__sitmap_pwned"


def _decode(line: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}

    def repl(m: re.Match) -> str:
        s = m.group(1)
        return chr(int(s[1:], 16)) if s[0] in "uU" else table[s]

    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ntr\\])", repl, line)


def load_payloads() -> list[str]:
    out = []
    for line in (DATA / "payloads.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("# "):
            continue
        out.append(_decode(line))
    return out


PAYLOADS = load_payloads()


LABEL_CHARS = 90  # resources/js/features.js: a map label's text is cut past this many characters


def shown_label(d) -> str:
    """The text a drawn feature's map label shows (resources/js/features.js shortText): a name of
    more than LABEL_CHARS characters cut after a whole word (else to two thirds of them), with
    "..."; an analyst's text label whole."""
    return str(d.label) if d.symbol == "text" else short_text(d.label)


def short_text(text) -> str:
    """A name as a map label shows it (shown_label)."""
    text = str(text)
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS]
    space = cut.rfind(" ")
    cut = cut[:space] if space > LABEL_CHARS / 2 else cut[:round(LABEL_CHARS * 2 / 3)]
    return re.sub(r"[\s,;:\u2013\u2014-]+$", "", cut) + "\u2026"


def norm(text: str) -> str:
    """Whitespace-normalised text (what a label shows; tags and entities untouched). U+FEFF goes
    too: PySide drops it at the start of a string handed to Qt, and it shows nothing anyway."""
    return " ".join(str(text).replace("\ufeff", "").split())


def pick(field: int, slot: int, per_slot: int) -> str:
    """The payloads of one field instance: slot ``slot`` of field ``field`` (several if per_slot > 1)."""
    start = slot * per_slot + field * 7
    return " \u00a6 ".join(PAYLOADS[(start + r) % len(PAYLOADS)] for r in range(per_slot))


def per_slot(instances: int, variants: int) -> int:
    """Payloads per field instance so that ``variants`` scenarios carry every payload in every instance kind."""
    return max(1, math.ceil(len(PAYLOADS) / (instances * variants)))


def builtin_document() -> dict:
    from viewer import resources

    return json.loads(Path(resources.default_scenario()).read_text(encoding="utf-8"))


FEATURE_FIELDS = ("name", "notes", "source", "label", "name_local", "basis")
FACT_FIELDS = ("label", "value", "source")


def hostile_document(variant: int, variants: int) -> dict:
    """The built-in scenario with payloads in every text field. Over ``variants`` documents
    (variant 0..variants-1) every payload lands in every kind of field."""
    doc = builtin_document()
    meta = doc["sitmap"]
    for n, key in enumerate(("title", "subtitle", "article")):
        meta[key] = pick(n, variant, per_slot(1, variants))
    meta["local_time"]["zone"] = pick(3, variant, per_slot(1, variants))
    groups = meta["groups"]
    k = per_slot(len(groups), variants)
    for j, g in enumerate(groups):
        g["label"] = pick(4, variant * len(groups) + j, k)
    layer_ids = ("rings", "flight", "crossing", "places")  # the built-in scenario's map layers
    k = per_slot(len(layer_ids), variants)
    meta["layers"] = [{"id": lid, "label": pick(5, variant * len(layer_ids) + j, k), "visible": True, "locked": False}
                      for j, lid in enumerate(layer_ids)]
    feats = doc["features"]
    k = per_slot(len(feats), variants)
    for j, f in enumerate(feats):
        for n, key in enumerate(FEATURE_FIELDS):
            f["properties"][key] = pick(10 + n, variant * len(feats) + j, k)
    facts = doc["facts"]
    k = per_slot(len(facts), variants)
    for j, fa in enumerate(facts):
        for n, key in enumerate(FACT_FIELDS):
            fa[key] = pick(20 + n, variant * len(facts) + j, k)
    return doc


# ----------------------------------------------------------------------------- the live page
PAGE_CHECK = r"""
(function () {
  var out = {sentinel: typeof window.__sitmap_pwned === 'undefined' ? null : String(window.__sitmap_pwned)};
  out.marked = Array.prototype.map.call(document.querySelectorAll('[data-pwned]'), function (e) { return e.outerHTML.slice(0, 200); });
  out.handlers = [];
  Array.prototype.forEach.call(document.querySelectorAll('*'), function (e) {
    Array.prototype.forEach.call(e.attributes, function (a) {
      if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) { out.handlers.push(e.tagName + ' ' + a.name + '=' + a.value.slice(0, 80)); }
    });
  });
  out.foreign = Array.prototype.map.call(document.querySelectorAll(
    'iframe, object, embed, base, frame, frameset, math, form, marquee, details, video, audio, input:not(.leaflet-control-layers-selector), textarea, template, noscript, meta[http-equiv="refresh" i], body link, body style, body meta'),
    function (e) { return e.outerHTML.slice(0, 200); });
  out.cssVar = getComputedStyle(document.documentElement).getPropertyValue('--pwned');
  out.baseURI = document.baseURI;
  out.href = location.href;
  return JSON.stringify(out);
})()
"""


def page_check(qtbot, view) -> dict:
    return json.loads(js(qtbot, view, PAGE_CHECK))


def settle(qtbot, view) -> None:
    """Let pending events (an injected image's error, a focus, an animation start) fire: wait
    for two animation frames and a timer turn in the page, without sleeping here."""
    js(qtbot, view, "window.__settled = 0; requestAnimationFrame(function () { requestAnimationFrame(function () {"
                    " setTimeout(function () { window.__settled = 1; }, 30); }); }); 1")
    qtbot.waitUntil(lambda: js(qtbot, view, "window.__settled") == 1, timeout=5000)


def assert_page_clean(qtbot, view, page_url: str | None = None) -> None:
    settle(qtbot, view)
    r = page_check(qtbot, view)
    assert r["sentinel"] is None, f"a payload ran: window.{SENTINEL} = {r['sentinel']}"
    assert r["marked"] == [], f"payload markup became elements: {r['marked'][:5]}"
    assert r["handlers"] == [], f"inline handlers or javascript: URLs in the page: {r['handlers'][:5]}"
    assert r["foreign"] == [], f"elements SitMap never makes: {r['foreign'][:5]}"
    assert r["cssVar"].strip() == "", "a payload's style sheet was applied"
    assert r["baseURI"] == r["href"] and r["href"].startswith("sitmap://app/")
    if page_url is not None:
        assert r["href"] == page_url
    bad = [u for u in view.network_guard.requests if "127.0.0.1" in u or re.search(r"/x(\.css)?$", u)]
    assert bad == [], f"a payload made the page fetch {bad[:5]}"


EXERCISE = r"""
(function () {
  var app = SitMap.app, out = {popups: {}, tooltips: {}};
  Object.keys(app.features).forEach(function (id) {
    var f = app.features[id];
    if (f.main.getTooltip && f.main.getTooltip()) {
      f.main.openTooltip();
      var t = f.main.getTooltip().getElement();
      out.tooltips[id] = t ? t.textContent : null;
    }
    if (f.main.getPopup && f.main.getPopup()) {
      f.main.openPopup();
      var p = f.main.getPopup().getElement();
      out.popups[id] = p ? p.textContent : null;
      f.main.closePopup();
    }
  });
  app.legend.update();
  var c = app.map.getContainer();
  out.container = c.textContent;
  var legend = c.querySelector('.sitmap-legend');
  out.legend = legend ? legend.textContent : '';
  var control = c.querySelector('.leaflet-control-layers');
  out.layerControl = control ? control.textContent : '';
  return JSON.stringify(out);
})()
"""


def exercise_page(qtbot, view) -> dict:
    """Open every popup and hover tooltip, redraw the legend; returns the texts shown."""
    return json.loads(js(qtbot, view, EXERCISE))


@pytest.fixture()
def no_csp(monkeypatch):
    """Pages without their Content-Security-Policy: only SitMap's own escaping stands between
    a payload and the page, so a payload that became markup would run and be seen."""
    import viewer.render.csp as csp

    monkeypatch.setattr(csp, "with_csp", lambda html, **kw: html)
    return True


def wait_ready(qtbot, window, action, timeout=READY_MS):
    """Run ``action`` (which loads a page) and wait for the map; a page that never gets ready
    fails with what its console said."""
    from pytestqt.exceptions import TimeoutError as QtTimeout

    before = len(window.map_view.console)
    try:
        with qtbot.waitSignal(window.map_view.mapReady, timeout=timeout):
            result = action()
            if result is False:  # refused: no page is coming
                box = getattr(window, "_error_box", None)
                pytest.fail("refused: " + (box.text() if box is not None else "(no message)"))
    except QtTimeout:
        pytest.fail("the map never got ready; page console: " + repr(window.map_view.console[before:][-10:]))
    return result


@pytest.fixture(autouse=True)
def _fresh_request_log(qapp):
    """The app's one web profile logs every request of the session: start each test with an
    empty log, so requests made by earlier tests (an online-layer test's tiles) are not counted."""
    from viewer.ui.web import app_profile

    app_profile()[2].requests.clear()
    yield
