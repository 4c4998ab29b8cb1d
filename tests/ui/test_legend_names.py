"""The window's legend with names of any length (real window, real page)."""

import json

from tests.ui.conftest import js

_ROWS = """JSON.stringify(Array.prototype.map.call(document.querySelectorAll('.sitmap-legend-row span'),
  function (s) {
    var lh = parseFloat(getComputedStyle(s).lineHeight), r = s.getBoundingClientRect();
    return {text: s.textContent, title: s.title, height: r.height, width: r.width, line: lh,
            cut: s.scrollHeight > s.clientHeight + 1};
  }))"""


def test_a_very_long_name_is_cut_to_two_lines_in_the_legend_and_shown_whole_on_hover(qtbot, window):
    view = window.map_view
    long_words = "Observation post " + " ".join(f"sector{i}" for i in range(120))
    no_spaces = "X" * 600
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]},
                          {"name": long_words, "role": "marker"})
    window.add_annotation("place", {"type": "Point", "coordinates": [127.5, 37.5]},
                          {"name": no_spaces, "role": "marker"})
    window.add_annotation("place", {"type": "Point", "coordinates": [128.0, 38.0]},
                          {"name": "Short post", "role": "marker"})
    qtbot.waitUntil(lambda: "Short post" in js(qtbot, view, "document.querySelector('.sitmap-legend').textContent"),
                    timeout=5000)
    rows = {r["title"]: r for r in json.loads(js(qtbot, view, _ROWS))}
    for name in (long_words, no_spaces):
        row = rows[name]
        assert row["text"] == name  # the whole name is in the page, only its box is cut
        assert row["cut"], row
        assert row["height"] <= 2 * row["line"] + 2, row
    short = rows["Short post"]
    assert not short["cut"] and short["height"] <= short["line"] + 2
    legend = json.loads(js(qtbot, view,
                           "JSON.stringify(document.querySelector('.sitmap-legend').getBoundingClientRect())"))
    assert legend["width"] <= 340


_LABELS = """JSON.stringify(Array.prototype.map.call(document.querySelectorAll('.sitmap-label .sitmap-label-inner'),
  function (box) { return {cls: box.className, text: box.textContent,
                           height: box.getBoundingClientRect().height}; }))"""


def test_a_very_long_name_is_cut_on_the_map_and_a_text_label_is_shown_whole(qtbot, window):
    view = window.map_view
    long_words = "Observation post " + " ".join(f"sector{i}" for i in range(120))
    note = "Convoy seen here at dawn, " + " ".join(f"vehicle{i}" for i in range(12))  # 123 characters
    window.add_annotation("place", {"type": "Point", "coordinates": [127.0, 37.0]},
                          {"name": long_words, "role": "marker"})
    window.add_annotation("place", {"type": "Point", "coordinates": [127.5, 37.5]},
                          {"name": "X" * 600, "role": "marker"})
    window.add_annotation("place", {"type": "Point", "coordinates": [128.0, 38.0]},
                          {"name": note, "role": "label"})
    qtbot.waitUntil(lambda: "Convoy seen" in js(qtbot, view, "document.body.textContent"), timeout=5000)
    labels = json.loads(js(qtbot, view, _LABELS))
    words = [x for x in labels if x["text"].startswith("Observation post")]
    xs = [x for x in labels if x["text"].startswith("XXX")]
    assert len(words) == 1 and len(xs) == 1
    # cut after a whole word, with "...", at most 90 characters
    assert words[0]["text"].endswith("\u2026") and len(words[0]["text"]) <= 91
    assert long_words.startswith(words[0]["text"][:-1] + " ")
    assert xs[0]["text"] == "X" * 60 + "\u2026"
    assert words[0]["height"] < 70 and xs[0]["height"] < 70  # (three lines of 13 px type at most)
    # the analyst's own text label keeps every word
    assert [x["text"] for x in labels if "sitmap-place-label-text" in x["cls"]] == [note]
