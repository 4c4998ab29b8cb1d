"""A large map's batch rounds the positions of its lines and areas all at once, with numpy: each
comes out exactly as Python's round(x, 6) gives it, ties and near-ties included."""

from __future__ import annotations

import random
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model import numeric
from viewer.render.rounded import _LOADING_NUMPY, _WITH_NUMPY, flatten_into, round_positions, rounded


def _same(a: list[float], b: list[float]) -> bool:
    """Equal bit for bit (so -0.0 is not 0.0, and a NaN is the same NaN)."""
    return len(a) == len(b) and all(struct.pack("<d", x) == struct.pack("<d", y) for x, y in zip(a, b))


def _values(rng: random.Random, n: int) -> list[float]:
    out = []
    for _ in range(n):
        k = rng.randrange(6)
        if k == 0:
            out.append(rng.uniform(-540, 540))
        elif k == 1:  # a half-way case in decimal: exactly as written, or the double nearest it
            out.append(rng.randint(-180_000_000, 180_000_000) / 1e6 + 5e-7)
        elif k == 2:  # a double either side of such a half
            x = (rng.randint(-180_000_000, 180_000_000) + 0.5) / 1e6
            out.append(x + rng.choice((-1, 1)) * rng.choice((1e-15, 1e-13, 1e-11)))
        elif k == 3:  # short decimals, as a file gives them
            out.append(round(rng.uniform(-180, 180), rng.randint(0, 8)))
        elif k == 4:
            out.append(rng.choice((0.0, -0.0, 1e-7, -1e-7, 5e-7, -5e-7, 1.5e-6, 1e300, -1e300, 2.0 ** 40 / 1e6,
                                   float("inf"), float("-inf"), float("nan"))))
        else:
            out.append(rng.uniform(-1e-5, 1e-5))
    return out


def test_at_once_each_is_what_round_gives_it():
    numeric.load()
    rng = random.Random(11)
    flat = _values(rng, 4 * _WITH_NUMPY)
    assert _same(rounded(flat), [round(x, 6) for x in flat])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=50))
def test_any_doubles_at_once_are_what_round_gives_them(xs):
    numeric.load()
    flat = (xs * (_WITH_NUMPY // len(xs) + 1))[:_WITH_NUMPY + 1]  # (enough to be done with numpy)
    assert _same(rounded(flat), [round(x, 6) for x in flat])


def test_a_list_that_is_not_all_floats_is_left_to_its_rows():
    assert rounded([1.0, 2]) is None and rounded([1.0, "2"]) is None
    assert rounded([1.23456789, -0.0]) == [1.234568, -0.0]


def test_the_layout_says_where_each_lines_and_rings_positions_are():
    flat: list[float] = []
    line = [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)]
    rings = [[[7.0, 8.0], [9.0, 10.0]], [[11.0, 12.0]]]
    parts = [rings, [[[13.0, 14.0], [15.0, 16.0]]]]
    assert flatten_into(line, flat) == 3
    assert flatten_into(rings, flat) == [2, 1]
    assert flatten_into(parts, flat) == [[2, 1], [2]]
    assert flat == [float(i) for i in range(1, 13)] + [float(i) for i in range(7, 17)]
    # what is not such positions leaves the list as it was
    for odd in ([(1.0, 2.0, 3.0), (4.0,)], [(1.0, 2.0), (3.0,)], [], [[]], (39.1, 125.2), [(1.0, 2.0), 5.0], None):
        before = list(flat)
        assert flatten_into(odd, flat) is None and flat == before


def test_small_lists_are_rounded_one_by_one_alike():
    xs = [1.0000005, 2.0000015, -3.1234565, 0.1 + 0.2]
    assert rounded(xs) == [round(x, 6) for x in xs] == [round_positions(x) for x in xs]


def test_a_long_line_is_laid_out_as_a_short_one():
    flat: list[float] = []
    line = [(float(i), float(-i)) for i in range(5000)]
    assert flatten_into(line, flat) == 5000 and len(flat) == 10000


def test_numpy_is_not_loaded_for_fewer_than_many(monkeypatch):
    import viewer.render.rounded as rounded_mod

    monkeypatch.setattr(numeric, "loaded", lambda: False)
    monkeypatch.setattr(rounded_mod, "_rounded_values", lambda flat: (_ for _ in ()).throw(AssertionError("numpy")))
    xs = [0.1234565] * (_LOADING_NUMPY - 1)
    assert rounded(xs) == [round(0.1234565, 6)] * len(xs)
