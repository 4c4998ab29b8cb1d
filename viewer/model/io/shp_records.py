"""A .shp's records found again past bytes between them that are no record (a writer's stray
padding, a damaged copy): each record begins with its number, one more than the last, its length
and a shape of the file's type, so the next one is looked for where its number is written."""

from __future__ import annotations

import struct

HEADER = 100  # (the .shp's own header, before its first record)
RECORD_HEAD = 8  # (a record's number and content length, big-endian, before its shape)


def passed_over(shp: bytes) -> tuple[bytes, list[tuple[int, int]]] | None:
    """The .shp with only its records, if bytes that are no record lie between them (else None):
    and where they were, as (the shape after which they lie, how many bytes). A record is one
    whose number follows the last one's, whose length ends within the file and whose shape is of
    the file's type (or null)."""
    if len(shp) < HEADER:
        return None
    (kind,) = struct.unpack("<i", shp[32:36])
    kept = [shp[:HEADER]]
    gaps: list[tuple[int, int]] = []
    pos, number = HEADER, 1
    while pos + RECORD_HEAD <= len(shp):
        end = _record_end(shp, pos, number, kind)
        if end is None:
            found = _next_record(shp, pos + 1, number, kind)
            if found is None:
                break  # (what is left is no record: the reader reports it as before)
            gaps.append((number - 1, found - pos))
            pos = found
            continue
        kept.append(shp[pos:end])
        pos, number = end, number + 1
    if not gaps:
        return None
    out = bytearray(b"".join(kept))
    out[24:28] = struct.pack(">i", len(out) // 2)  # (the file's length in 16-bit words)
    return bytes(out), gaps


def _record_end(shp: bytes, pos: int, number: int, kind: int) -> int | None:
    """Where record ``number`` at ``pos`` ends, if one is there: its number, a length within the
    file, a shape of the file's type (or null) whose counts of parts and points take that length
    (a few stray bytes that happen to read as a record's head are no record)."""
    if pos + RECORD_HEAD + 4 > len(shp):
        return None
    got, words = struct.unpack(">ii", shp[pos:pos + RECORD_HEAD])
    (shape,) = struct.unpack("<i", shp[pos + RECORD_HEAD:pos + RECORD_HEAD + 4])
    end = pos + RECORD_HEAD + 2 * words
    if got != number or words < 2 or end > len(shp) or shape not in (0, kind):
        return None
    return end if _takes(shp[pos + RECORD_HEAD:end], shape) else None


_POINT = {1: (20,), 11: (28, 36), 21: (28,)}  # (x, y; with z and an optional m; with m)
_MANY = {3: "parts", 5: "parts", 13: "parts", 15: "parts", 23: "parts", 25: "parts", 31: "patch",
         8: "points", 18: "points", 28: "points"}


def _takes(content: bytes, shape: int) -> bool:
    """Whether a shape's content is as long as its type and counts make it."""
    size = len(content)
    if shape == 0:
        return size == 4
    if shape in _POINT:
        return size in _POINT[shape]
    how = _MANY.get(shape)
    if how is None:
        return True  # (a type the format does not have: the reader says so)
    at = 36 if how == "points" else 40
    if size < at + 4:
        return False
    parts = 0 if how == "points" else struct.unpack("<i", content[36:40])[0]
    (points,) = struct.unpack("<i", content[at:at + 4])
    if parts < 0 or points < 0:
        return False
    flat = at + 4 + 4 * parts * (2 if how == "patch" else 1) + 16 * points
    measured = 16 + 8 * points  # (a range and a value per point: z, or m)
    if shape in (3, 5, 8):
        return size == flat
    if shape in (23, 25, 28):
        return size in (flat, flat + measured)
    return size in (flat + measured, flat + 2 * measured)  # (z, and m if it has one)


def _next_record(shp: bytes, start: int, number: int, kind: int) -> int | None:
    mark = struct.pack(">i", number)
    at = shp.find(mark, start)
    while at != -1:
        if _record_end(shp, at, number, kind) is not None:
            return at
        at = shp.find(mark, at + 1)
    return None
