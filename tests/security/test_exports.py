"""Payloads in the exports: the briefing page (its JSON island), the self-contained HTML file
opened in headless Chromium (with and without its policy), the PDF's text, KML and CSV."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.security.conftest import PAYLOADS, hostile_document, norm, shown_label

P = len(PAYLOADS)
VARIANTS = 3


def scenario_of(doc: dict):
    from viewer.model.scenario import parse_scenario_bytes

    return parse_scenario_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"), "hostile.geojson")


def banner_of(start: int) -> tuple[str, int]:
    """As many payloads as fit the 200-character banner, from ``start``; and how many."""
    parts, n = [], 0
    while n < P and len(" ".join(parts + [PAYLOADS[(start + n) % P]])) <= 200:
        parts.append(PAYLOADS[(start + n) % P])
        n += 1
    return " ".join(parts), n


class _Dom(HTMLParser):
    """Elements, attributes and the text under each class, as a browser's DOM dump holds them."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.stack: list[list] = []
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag not in self.VOID:
            self.stack.append([tag, (a.get("class") or "").split(), a.get("id"), []])

    def handle_endtag(self, tag):
        while self.stack:
            t, classes, ident, buf = self.stack.pop()
            text = "".join(buf)
            for c in classes + ([f"#{ident}"] if ident else []):
                self.texts.setdefault(c, []).append(text)
            if self.stack and t not in ("script", "style"):
                self.stack[-1][3].append(text)
            if t == tag:
                break

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][3].append(data)


def parse_dom(text: str) -> _Dom:
    d = _Dom()
    d.feed(text)
    d.close()
    return d


# ----------------------------------------------------------------------------- the JSON island
def test_every_payload_as_title_subtitle_banner_and_fact_stays_data_in_the_briefing_page():
    from viewer.export.briefing import BriefingOptions, ExportSize, compose
    from viewer.render import layers as layer_mod

    s = scenario_of(hostile_document(0, VARIANTS))
    drawn = layer_mod.draw_scenario(s)
    plain = compose(s, ExportSize.pixels(1280, 720), BriefingOptions(title="t", subtitle="s", banner_text="b"),
                    drawn=drawn).html
    scripts = len(re.findall(r"<script\b", plain, re.I))
    for p in PAYLOADS:
        opts = BriefingOptions(title=p, subtitle=p, banner_text=p[:200], show_facts=True)
        b = compose(s, ExportSize.pixels(1280, 720), opts, drawn=drawn)
        # The browser ends a script element at the first "</script": the island must reach its own end.
        start = b.html.index('<script type="application/json" id="sitmap-briefing-config">')
        body_start = b.html.index(">", start) + 1
        end = re.compile(r"</script", re.I).search(b.html, body_start).start()
        assert json.loads(b.html[body_start:end]) == json.loads(json.dumps(b.config))
        assert b.config["title"] == p and b.config["subtitle"] == p
        assert b.config["banner"] == p[:200].strip().upper()
        assert len(re.findall(r"<script\b", b.html, re.I)) == scripts
        if "<" in p:
            assert p not in b.html and p[:200].strip().upper() not in b.html


# ----------------------------------------------------------------------------- Chromium
WATCHER = r"""
(function () {
  var done = false;
  function finish() {
    if (done) { return; }
    done = true;
    var out = [];
    try {
      var app = SitMap.app;
      Object.keys(app.features).forEach(function (id) {
        var m = app.features[id].main;
        if (m.getTooltip && m.getTooltip()) { m.openTooltip(); var t = m.getTooltip().getElement(); out.push(t ? t.textContent : ''); }
        if (m.getPopup && m.getPopup()) { m.openPopup(); var p = m.getPopup().getElement(); out.push(p ? p.textContent : ''); m.closePopup(); }
      });
    } catch (e) { out.push('WATCHER ERROR ' + e); }
    var pre = document.createElement('pre');
    pre.id = 'sitmap-test-shown';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
    setTimeout(function () {
      document.documentElement.setAttribute('data-sentinel',
        typeof window.__sitmap_pwned === 'undefined' ? 'unset' : 'SET ' + String(window.__sitmap_pwned));
    }, 500);
  }
  function poll() {
    if (document.documentElement.getAttribute('data-sitmap-ready')) { setTimeout(finish, 200); } else { setTimeout(poll, 50); }
  }
  CONTROL
  poll();
  setTimeout(finish, 3500);
})();
"""


def with_watcher(page: str, keep_csp: bool, control: bool = False) -> str:
    body = WATCHER.replace("CONTROL", "var d = document.createElement('div'); d.innerHTML = "
                                      "'<img src=x onerror=window.__sitmap_pwned=1 data-pwned>'; "
                                      "document.body.appendChild(d);" if control else "")
    if keep_csp:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        page, n = re.subn(r"script-src ", f"script-src 'sha256-{digest}' ", page, count=1)
        assert n == 1
    else:
        page, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
        assert n == 1
    return page.replace("</body>", f"<script>{body}</script>\n</body>", 1)


def chromium_dump(chromium, pages: dict, tmp_path) -> dict:
    """Open each page in headless Chromium (in parallel); the DOM after its scripts ran."""
    procs = {}
    for name, text in pages.items():
        f = tmp_path / f"{name}.html"
        f.write_text(text, encoding="utf-8")
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / ('profile-' + name)}", "--proxy-server=127.0.0.1:9",
               "--proxy-bypass-list=<-loopback>", "--window-size=1280,720", "--virtual-time-budget=8000",
               "--dump-dom", f.as_uri()]
        procs[name] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return {name: p.communicate(timeout=120)[0] for name, p in procs.items()}


def assert_nothing_ran(dom: _Dom, name: str) -> None:
    html_attrs = dom.elements[0][1] if dom.elements and dom.elements[0][0] == "html" else {}
    assert html_attrs.get("data-sentinel") == "unset", f"{name}: sentinel {html_attrs.get('data-sentinel')!r}"
    marked = [(t, a) for t, a in dom.elements if "data-pwned" in a]
    assert marked == [], f"{name}: payload markup became elements: {marked[:3]}"
    handlers = [(t, k) for t, a in dom.elements for k, v in a.items()
                if k.startswith("on") or re.match(r"\s*javascript:", v or "", re.I)]
    assert handlers == [], f"{name}: {handlers[:3]}"
    foreign = [t for t, a in dom.elements if t in ("iframe", "object", "embed", "base", "math", "form", "marquee",
                                                    "details", "video", "audio", "textarea", "template")]
    assert foreign == [], f"{name}: {foreign[:3]}"


@pytest.fixture(scope="module")
def exported(chromium, tmp_path_factory):
    """Every payload in every scenario field over VARIANTS files, and in the title, subtitle and
    banner, exported as HTML and opened in Chromium with its policy and without it."""
    from viewer.export.briefing import BriefingOptions, ExportSize
    from viewer.export.html import export_briefing_html
    from viewer.render import layers as layer_mod

    tmp = tmp_path_factory.mktemp("html-export")
    cases = []
    for v in range(VARIANTS):
        s = scenario_of(hostile_document(v, VARIANTS))
        banner, _ = banner_of(v * 5)
        opts = BriefingOptions(title=" | ".join(PAYLOADS[v::VARIANTS]), subtitle=" | ".join(PAYLOADS[v + 1::VARIANTS]),
                               banner_text=banner, show_facts=True)
        out = tmp / f"brief-{v}.html"
        export_briefing_html(s, out, ExportSize.pixels(1280, 720), opts)
        cases.append((s, layer_mod.draw_scenario(s), opts, out.read_text(encoding="utf-8")))
    pages = {}
    for v, (_s, _d, _o, page) in enumerate(cases):
        pages[f"csp-{v}"] = with_watcher(page, keep_csp=True)
        pages[f"nocsp-{v}"] = with_watcher(page, keep_csp=False)
    pages["control"] = with_watcher(cases[0][3], keep_csp=False, control=True)
    return cases, chromium_dump(chromium, pages, tmp)


def test_the_chromium_harness_sees_a_payload_that_runs(exported):
    _cases, dumps = exported
    dom = parse_dom(dumps["control"])
    assert dom.elements[0][1].get("data-sentinel") == "SET 1"
    assert any("data-pwned" in a for _t, a in dom.elements)


@pytest.mark.parametrize("policy", ["csp", "nocsp"])
def test_the_html_export_in_chromium_runs_no_payload_and_shows_them_as_text(exported, policy):
    cases, dumps = exported
    for v, (s, drawn, opts, page) in enumerate(cases):
        for p in PAYLOADS:
            if "<" in p:
                assert p not in page, "a payload is in the file as markup"
        dom = parse_dom(dumps[f"{policy}-{v}"])
        assert_nothing_ran(dom, f"{policy}-{v}")
        t = dom.texts
        assert [norm(x) for x in t["sitmap-briefing-title"]] == [norm(opts.title)]
        assert norm(opts.subtitle) in norm(t["sitmap-briefing-subtitle"][0])
        assert [norm(x) for x in t["sitmap-briefing-banner"]] == [norm(opts.banner_text.strip().upper())] * 2
        facts = {(norm(f.label + ":"), norm(s.fact_display_value(f))) for f in s.facts}
        rows = list(zip(t["sitmap-briefing-fact-label"], t["sitmap-briefing-fact-value"]))
        assert rows and all((norm(a), norm(b)) in facts for a, b in rows)
        squash = "".join(t["sitmap-briefing-sources"][0].split())
        for f in s.facts[:8]:
            assert all("".join(part.split()) in squash for part in f.source.split(";") if part.strip())
        labels = {norm(x) for x in t.get("sitmap-label-text", [])}
        for d in drawn:
            if d.label:
                assert norm(shown_label(d)) in labels, d.id
        shown = norm(" ".join(json.loads(t["#sitmap-test-shown"][0])))
        assert "WATCHER ERROR" not in shown
        for d in drawn:
            for text in (d.name, d.notes, "Source: " + d.source):
                assert norm(text) in shown, d.id


# ----------------------------------------------------------------------------- PDF
def test_the_pdf_briefing_prints_payloads_as_text(qtbot, tmp_path):
    from viewer.export.briefing import BriefingOptions, ExportSize
    from viewer.ui.capture_pdf import export_briefing_pdf
    from viewer.ui.web import register_scheme

    register_scheme()
    short = [p for p in PAYLOADS if len(p) <= 56 and p.isascii() and p.isprintable() and "<" in p]
    assert len(short) >= 4
    doc = hostile_document(0, VARIANTS)
    for f in doc["features"]:
        f["properties"]["label"] = short[3]
    s = scenario_of(doc)
    opts = BriefingOptions(title=short[0], subtitle=short[1], banner_text=short[2], show_facts=True)
    out = tmp_path / "brief.pdf"
    export_briefing_pdf(s, out, ExportSize.pixels(1280, 720), opts)
    text = norm(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout)
    for p in (short[0], short[1], short[2].upper(), short[3]):
        assert norm(p) in text, p


# ----------------------------------------------------------------------------- KML and CSV
def test_kml_export_carries_every_payload_as_text_and_reads_back_the_same():
    from viewer.model.exchange import export_kml, import_kml

    ns = {"k": "http://www.opengis.net/kml/2.2"}
    for v in range(VARIANTS):
        s = scenario_of(hostile_document(v, VARIANTS))
        data = export_kml(s)
        root = ET.fromstring(data)
        assert root.find("k:Document/k:name", ns).text == s.title
        marks = root.findall(".//k:Placemark", ns)
        circles = [pm for pm in marks if any(d.get("name") == "sitmap_kind" and d.text == "uncertainty"
                                             for d in pm.findall(".//k:SimpleData", ns))]
        for pm in circles:  # a launch point's uncertainty circle: its name is the point's, as text
            assert pm.find("k:name", ns).text.endswith(": uncertainty")
        marks = [pm for pm in marks if pm not in circles]
        assert len(marks) == len(s.features)
        for pm, f in zip(marks, s.features):
            assert pm.find("k:name", ns).text == f.name
            desc = pm.find("k:description", ns).text
            # KML viewers render a description as HTML: SitMap's is escaped text with <br> lines.
            shown = html.unescape(desc.replace("<br>", "\n"))
            assert shown.startswith(f.properties["notes"]) and shown.endswith(f"Source: {f.source}\nStatus: {f.status}")
            assert "<" not in desc.replace("<br>", "")
            values = {d.get("name"): d.text for d in pm.findall(".//k:SimpleData", ns)}
            assert values["sitmap_source"] == f.source
        back = import_kml(data, "round-trip.kml")
        assert [(norm(f.name), f.source) for f in back] == [(norm(f.name), f.source) for f in s.features]
        for b, f in zip(back, s.features):
            # (a source written over several lines is SitMap's own "Source:" lines too: split off)
            assert b.properties.get("notes") == f.properties["notes"]


FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_csv_export_neutralises_formulas_and_reads_back_the_same():
    from viewer.model.exchange import export_csv, import_csv

    for v in range(VARIANTS):
        s = scenario_of(hostile_document(v, VARIANTS))
        data = export_csv(s)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        header, body = rows[0], rows[1:]
        text_cols = [header.index(c) for c in ("name", "notes", "id", "source", "status", "kind")]
        points = [f for f in s.features if f.geometry["type"] == "Point"]
        assert len(body) == len(points)
        for row, f in zip(body, points):
            for c in text_cols:
                assert not FORMULA.match(row[c]), f"a spreadsheet would run {row[c]!r}"
            assert row[header.index("name")].lstrip("'") == f.name.lstrip("'") or row[header.index("name")] == f.name
        back = import_csv(data, "round-trip.csv")
        assert [(f.name.strip(), f.properties.get("notes"), f.source.strip()) for f in back] == \
            [(f.name.strip(), f.properties.get("notes"), f.source.strip()) for f in points]
    for p in PAYLOADS:
        if p[:1] in "=+-@\t":
            s = scenario_of(hostile_document(0, VARIANTS))
            s.features[0].properties["name"] = p
            row = list(csv.reader(io.StringIO(export_csv(s).decode("utf-8-sig"), newline="")))[1]
            assert row[2] == "'" + p
