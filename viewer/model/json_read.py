"""JSON read as a map file is read: decoded as the standard reader decodes it (a large text by
orjson, with the standard reader's refusals: NaN, Infinity, 1e999, integers beyond 64 bits), and
the decoded values looked at for what no stored map may hold: a lone surrogate, or nesting deeper
than :data:`MAX_NESTING`. The map's own rules (viewer/model/rules.py) then check what it says."""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_NESTING = 64


class BadConstant(ValueError):
    pass


def reject_constant(name: str):
    raise BadConstant(name)


def finite_float(text: str) -> float:
    """1e999 is valid JSON but no finite number: refused like Infinity (it could not be saved back)."""
    f = float(text)
    if not math.isfinite(f):
        raise BadConstant(text[:40])
    return f


class LongInteger(BadConstant):
    """An integer of more digits than Python turns into one (4,300): refused in words of its own
    (it was refused with Python's advice to call sys.set_int_max_str_digits())."""

    def __str__(self) -> str:
        return f"an integer of {self.args[0]:,} digits (SitMap reads numbers of up to 4,300)"


def whole_number(text: str) -> int:
    """An integer as Python reads it; one of more than 4,300 digits: LongInteger."""
    try:
        return int(text)
    except ValueError:
        raise LongInteger(len(text.lstrip("-"))) from None


_DECODER = json.JSONDecoder(parse_constant=reject_constant, parse_float=finite_float, parse_int=whole_number)
FAST_JSON_FROM = 256 * 1024  # characters: larger texts are decoded by orjson (the same values, faster)
# digits -> "0", "." -> "." (a fraction's digits follow one), the rest -> " "
_DIGITS_ONLY = bytes(48 if 48 <= c <= 57 else 46 if c == 46 else 32 for c in range(256))


def decode_json(doc: str | bytes) -> Any:
    """JSON decoded as the standard reader decodes it, with its errors (BadConstant for NaN,
    Infinity and 1e999; UnicodeDecodeError for bytes that are not UTF-8): a large document by
    orjson, about three times as fast and without a decoded copy of the file's text. orjson
    reads an integer beyond 64 bits as a float and refuses what the standard reader refuses or
    names differently: such documents (and any orjson refuses) go to the standard reader."""
    if len(doc) >= FAST_JSON_FROM and not _long_integer(doc):
        import orjson

        try:
            return orjson.loads(doc[3:] if isinstance(doc, bytes) and doc.startswith(_BOM) else doc)
        except orjson.JSONDecodeError:
            pass  # the standard reader names the problem
    text = doc.decode("utf-8-sig") if isinstance(doc, bytes) else doc
    if text.startswith("\ufeff"):  # (refused by the standard reader, in its own words)
        return json.loads(text, parse_constant=reject_constant, parse_float=finite_float, parse_int=whole_number)
    return _DECODER.decode(text)  # (what json.loads with these does, without making a reader each time)


_BOM = b"\xef\xbb\xbf"


def _long_integer(doc: str | bytes, chunk: int = 1 << 20) -> bool:
    """Whether ``doc`` may hold an integer of 19 digits or more: 19 digits in a row that do not
    follow a decimal point (0.000123... is no integer). Looked at a megabyte at a time, at C speed."""
    for start in range(0, len(doc), chunk):
        part = doc[max(0, start - 1):start + chunk + 19]
        if isinstance(part, str):
            part = part.encode("utf-8", "surrogatepass")
        if b" " + b"0" * 19 in (b" " if start == 0 else b"") + part.translate(_DIGITS_ONLY):
            return True
    return False


_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPES = ("\\ud", "\\uD")  # (JSON has no other way to write one in ASCII)
_SURROGATE_ESCAPES_B = tuple(e.encode("ascii") for e in _SURROGATE_ESCAPES)


def _surrogate_escape_in(text: str | bytes, looked_at: int = 1000) -> bool:
    """Whether JSON text holds a \\uD800-\\uDFFF escape: its escapes read one after the other
    (every backslash in JSON starts one, two characters long but for \\uXXXX, whose hex digits hold
    none), found at C speed; past ``looked_at`` of them, the escapes' text looked for at once
    (which may also find one in an escaped backslash's "ud": then it is looked for in the values).
    A file's few escaped quotes do not make 100,000 features be walked, and 200 MB are not
    searched twice (0.8 s)."""
    bytes_ = isinstance(text, bytes)
    backslash, after = (b"\\", (b"ud", b"uD")) if bytes_ else ("\\", ("ud", "uD"))
    at = text.find(backslash)
    for _ in range(looked_at):
        if at < 0:
            return False
        if text.startswith(after, at + 1):
            return True
        at = text.find(backslash, at + 2)
    escapes = _SURROGATE_ESCAPES_B if bytes_ else _SURROGATE_ESCAPES
    return escapes[0] in text or escapes[1] in text


def surrogate_as_it_is(text: str) -> bool:
    """Whether ``text`` holds a surrogate character (\\uD800-\\uDFFF) as it is: JSON written
    with ``ensure_ascii=False`` holds every surrogate its values do this way, found by one scan."""
    return _SURROGATE_RE.search(text) is not None


def lone_surrogate(data: Any, text: str | bytes | None) -> str | None:
    """Where decoded JSON holds a lone surrogate (from a \\uD800 escape), which no UTF-8 file can
    hold. ``text``: the JSON it was decoded from, where only a \\uD800-\\uDFFF escape can make one
    (none of them: nothing to look for, and 100,000 features are not walked); None: look at all."""
    if text is not None and not _surrogate_escape_in(text):
        return None
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE_RE.search(value):
                return where or "top level"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE_RE.search(k):
                    return where or "top level"
                stack.append((v, f"{where}.{k[:40]}" if where else k[:40]))
        elif isinstance(value, list):
            stack.extend((v, f"{where}[{i}]") for i, v in enumerate(value))
    return None


def nests_deeper(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether decoded JSON nests arrays and objects more than ``limit`` deep (``[[1]]`` is 2),
    looked at level by level, without recursion. The decoders themselves stop long before
    Python's stack would (orjson at 1,024 levels, the standard reader with RecursionError)."""
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        deeper: list = []
        for c in level:
            deeper.extend([v for v in (c.values() if type(c) is dict else c) if type(v) is dict or type(v) is list])
        level = deeper
    return False


def check_storable(value: Any) -> None:
    """Raises ValueError or TypeError where the standard writer, ``json.dumps(value,
    allow_nan=False)``, would: a NaN or an infinity, a value of no JSON type, a circular
    reference: what no map file can hold. Written by orjson first, about ten times as fast.
    orjson writes NaN and the infinities as null, so only its text without a null is taken as it
    is; the rest, and all orjson refuses (an integer beyond 64 bits, a key that is a number, a
    subclass of str, a date), go to the standard writer. (Of what orjson writes and the standard
    writer refuses, a UUID or an Enum's member, no reader makes any.)"""
    import orjson

    try:
        text = orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
                            | orjson.OPT_PASSTHROUGH_SUBCLASS)
    except TypeError:  # (orjson.JSONEncodeError is one)
        text = None
    if text is None or b"null" in text:
        json.dumps(value, allow_nan=False)


_NOT_STRUCTURE = bytes(range(256)).translate(None, b'"[]{}')  # every byte but a quote's and the brackets'


def text_nests_deeper(text: bytes, limit: int = MAX_NESTING) -> bool:
    """Whether a JSON text (UTF-8) nests arrays and objects more than ``limit`` deep, found in the
    text itself: its escaped backslashes and quotes taken out, then only its quotes and brackets
    kept (at C speed), and the brackets outside the strings counted (numpy): 0.1 s of a 25 MB file
    against 0.35 s to walk the 100,000 features it holds. What the text holds nests no deeper than
    the text does (an object's repeated key keeps only its last value), so where this says no, so
    does :func:`nests_deeper` of the decoded value; where it says yes, ask that."""
    from viewer.model import numeric

    numeric.load()
    import numpy as np

    if b"\\" in text:  # (in JSON each backslash begins an escape: \\ and \" taken out, no quote is escaped)
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    kept = np.frombuffer(text.translate(None, _NOT_STRUCTURE), dtype=np.uint8)
    del text
    # (a closing quote's count is even: not a bracket; the count's parity survives a byte's wrapping)
    outside = (np.cumsum(kept == 34, dtype=np.uint8) & 1) == 0
    steps = np.zeros(len(kept), dtype=np.int8)
    steps[outside & ((kept == 91) | (kept == 123))] = 1
    steps[outside & ((kept == 93) | (kept == 125))] = -1
    del outside, kept
    return numeric.deepest(steps) > limit
