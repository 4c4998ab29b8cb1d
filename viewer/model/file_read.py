"""Reading a file the user named: its bytes, at most a limit. A device, pipe or socket (``/dev/zero``
never ends, a pipe may wait for ever) is refused before it is opened, and a file that grows past the
limit while it is read is refused too; each reason is an OSError whose ``strerror`` is the one line
the window or the command line shows."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_bytes_at_most(path: str | Path, limit: int) -> bytes:
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "is not a file SitMap reads, but a device, a pipe or a socket")
    if st.st_size > limit:
        raise OSError(errno.EFBIG, f"file is {st.st_size / 1e6:.0f} MB; the limit is {limit // 2**20} MB")
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"file is larger than {limit // 2**20} MB, the limit")
    return data


def readable_name(name: str) -> str:
    """A file's name as text a map can hold and every file format can write. The bytes of a name
    that are no UTF-8 (a Latin-1 "café", kept by Python as lone surrogates) are read as Windows-1252,
    as such names mostly are, and a byte that names no letter there as U+FFFD; the rest stays. (Such
    a name made the map's title and its features' source; the GeoJSON, CSV and GeoPackage exports
    then failed on it.)"""
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    out, stray = [], bytearray()
    for c in name + "\x00":  # (the stray bytes of each run read together; the rest is text already)
        if "\udc80" <= c <= "\udcff":
            stray.append(ord(c) - 0xDC00)
            continue
        if stray:
            out.append(bytes(stray).decode("cp1252", errors="replace"))
            stray.clear()
        out.append(c)
    return "".join(out[:-1])

