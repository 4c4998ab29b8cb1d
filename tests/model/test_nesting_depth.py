"""The nesting check counts what the character-by-character scan counted, at C speed."""

from __future__ import annotations

import json
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.model.rules import nesting_depth


def scanned_depth(text: str) -> int:
    """The reference: one character at a time, strings skipped, escapes honoured."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='[]{}"\\\nab,:', max_size=80))
def test_any_text_nests_as_deep_as_the_scan_says(text):
    assert nesting_depth(text) == scanned_depth(text)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.text(max_size=5) | st.integers(),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3)))
def test_json_documents_nest_as_deep_as_the_scan_says(value):
    text = json.dumps(value)
    assert nesting_depth(text) == scanned_depth(text)


def test_a_large_file_is_checked_quickly_relative_to_the_scan():
    text = json.dumps({"features": [{"id": f"p-{i}", "geometry": {"coordinates": [1.5, 2.5]},
                                     "properties": {"name": 'a "quoted" [name]'}} for i in range(20000)]})
    t0 = time.perf_counter()
    fast = nesting_depth(text)
    t1 = time.perf_counter()
    slow = scanned_depth(text)
    t2 = time.perf_counter()
    assert fast == slow == 5
    assert (t1 - t0) < (t2 - t1)  # same machine, same moment: a ratio, not a time limit
