"""The bounded memo behind the bulk readers' and writers' "worked out once per key" (viewer.model.bulk.Memo),
and the bracket depth counted from steps (viewer.model.numeric.deepest)."""

from viewer.model import numeric
from viewer.model.bulk import Memo


def test_a_memo_keeps_what_it_is_given_and_empties_itself_when_full():
    m = Memo(3)
    assert m.keep("a", 1) == 1 and m.keep("b", None) is None and m.keep("c", 3) == 3
    assert dict(m) == {"a": 1, "b": None, "c": 3}
    assert m.get("b", "unseen") is None  # (None kept as a value: a key seen, not a key missing)
    assert m.keep("d", 4) == 4  # full: emptied whole, then kept
    assert dict(m) == {"d": 4}
    for k in range(100):
        m.keep(k, k)
    assert len(m) <= 3  # never more than its size, however many keys come


def test_a_memo_default_size_and_a_key_given_again():
    m = Memo()
    assert m.size == 1024
    m.keep("x", 1)
    m.keep("x", 2)
    assert dict(m) == {"x": 2}


def test_the_memos_of_the_readers_and_writers_are_bounded():
    from viewer.export import geopackage
    from viewer.model import quick_checks, style
    from viewer.model.io import common, geojson_fields, kml, kml_write, simplestyle
    from viewer.render import layers

    memos = [geopackage._OBJECT_TEXT, quick_checks._PLACE_SHAPES, style._STYLES, common._COLOURS,
             geojson_fields._TAKEN, kml._PROPERTIES_READ, kml._COLOURS_READ, kml_write._PROPERTIES_TEXT,
             simplestyle._OWN_AGAIN, simplestyle._AS_DRAWN, layers._POINT_KINDS, layers._SHAPE_KINDS]
    assert all(isinstance(m, Memo) for m in memos)


def test_colours_read_from_many_different_texts_stay_bounded():
    from viewer.model.io import common

    for k in range(5000):
        common.hex_colour(f"#{k:06x}")
    assert len(common._COLOURS) <= common._COLOURS.size
    assert common.hex_colour("#abc") == "#AABBCC"


def test_deepest():
    numeric.load()
    import numpy as np

    assert numeric.deepest(np.array([], dtype=np.int8)) == 0
    assert numeric.deepest(np.array([1, 1, -1, 1, 1, -1, -1, -1], dtype=np.int8)) == 3
    assert numeric.deepest(np.array([-1, -1, 1], dtype=np.int8)) == -1  # (closed before opened: the greatest running sum)
    assert numeric.deepest(np.ones(300, dtype=np.int8)) == 300  # (counted past what an int8 holds)


def test_a_value_of_none_kept_is_told_from_nothing_kept():
    m = Memo()
    m.keep("seen", None)
    assert m.get("seen", Memo.NOT_KEPT) is None
    assert m.get("unseen", Memo.NOT_KEPT) is Memo.NOT_KEPT
