"""A ring drawn with the ring tool is labelled with the map's one wording of a distance
(naming.km_text), the same the ring's name and the labels of other rings use."""

from __future__ import annotations

import pytest

from viewer.logic.naming import km_text


@pytest.mark.parametrize("radius_m", [2_345.0, 9_999.0, 10_000.0, 1_234_567.0])
def test_a_drawn_ring_is_labelled_with_naming_km_text(window, radius_m):
    fid = window.editor.add_ring_at(39.0, 125.7, radius_m)
    assert fid
    ring = next(f for f in window.doc.scenario.features if f.id == fid)
    assert ring.properties["label"] == km_text(radius_m)
