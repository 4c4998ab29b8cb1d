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
        for old in _others_of_its_file(path):
            old.unlink(missing_ok=True)  # (an index of a file since replaced, or in another format)
    except (OSError, ValueError):
        pass  # a cache is a convenience: no cache, no harm


def _others_of_its_file(path: Path) -> list[Path]:
    """The indexes kept beside ``path`` of the same file (a name as :func:`kept_file` makes it)
    in any format, size, time or Python version; never another file's, whatever its name."""
    import glob
    import re

    source = path.name.rsplit("-", 4)[0]  # (NAME-FORMAT-SIZE-TIME-pyXY.marshal; NAME may hold "-")
    named = re.compile(re.escape(source) + r"-[^-]+-\d+-\d+-py\d+\.marshal")
    return [p for p in path.parent.glob(glob.escape(source) + "-*.marshal") if p != path and named.fullmatch(p.name)]
