"""An index made of a packaged data file, kept in the app's cache folder between runs: read back
in a few milliseconds instead of made anew from the file (viewer/render/city_sizes.py's place
index). Written with marshal, whole or not at all; named after the file's size and time (a file
installed anew is indexed anew, and the index of the old one goes) and the Python version
(marshal's format is its own). A kept index that cannot be read only costs the time to make it
again. No Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable


def kept_file(folder: Path | None, source: Path, fmt: str) -> Path | None:
    """Where the index of ``source`` (in the format ``fmt``) is kept in ``folder``; None: nowhere."""
    import sys

    if folder is None:
        return None
    try:
        st = source.stat()
    except OSError:
        return None
    py = "".join(map(str, sys.version_info[:2]))
    return Path(folder) / f"{source.name}-{fmt}-{st.st_size}-{st.st_mtime_ns}-py{py}.marshal"


def read_kept(path: Path, valid: Callable[[Any], bool]) -> Any | None:
    """The index kept at ``path`` if it can be read and ``valid`` says it is one, else None."""
    import marshal

    try:
        value = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return value if valid(value) else None


def keep(path: Path, value: Any) -> None:
    """Keep ``value`` at ``path`` (see :func:`kept_file`); the index kept of the same file before goes."""
    import marshal

    from viewer.model.project import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, marshal.dumps(value))  # (whole or not at all)
        for old in path.parent.glob(f"{path.name.partition('-')[0]}-*.marshal"):  # (this file's)
            if old != path:
                old.unlink(missing_ok=True)  # (an index of a file since replaced)
    except (OSError, ValueError):
        pass  # a cache is a convenience: no cache, no harm
