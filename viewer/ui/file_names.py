"""Where file dialogs start and what name they offer: the folder used last (else the user's
Documents), and a name from the map's title and the event's date ("North Korea missile test
2022-01-17.png"), never the program's folder or "briefing.png"."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

KEY = "files/last_dir"


def documents() -> Path:
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(loc) if loc else Path.home()


def start_folder(settings: QSettings | None, current: Path | None = None) -> Path:
    """The folder a dialog opens in: the open file's, the last one used (if it still exists), Documents."""
    if current is not None and current.parent.is_dir():
        return current.parent
    last = str(settings.value(KEY, "")) if settings is not None else ""
    if last and Path(last).is_dir():
        return Path(last)
    return documents()


def remember(settings: QSettings | None, path: str | Path) -> None:
    if settings is not None and path:
        settings.setValue(KEY, str(Path(path).parent))


def base_name(title: str, when: datetime | None) -> str:
    """A file name (no suffix) from a map's title and its event's date."""
    cleaned = "".join(" " if (c in '/\\:*?"<>|' or ord(c) < 32) else c for c in (title or "")).strip(" .")
    name = " ".join(cleaned.split())[:80] or "map"
    when = (when or datetime.now(timezone.utc)).astimezone(timezone.utc)
    date = when.strftime("%Y-%m-%d")
    dated = re.search(r"(?<!\d)(1[89]|20|21)\d\d(?!\d)", name) is not None  # the title has its date already
    return name if dated else f"{name} {date}"


def proposed(settings: QSettings | None, scenario, suffix: str, current: Path | None = None) -> str:
    """The full path a save dialog offers for an export of ``scenario`` with ``suffix`` (".png")."""
    when = getattr(scenario, "event_time_utc", None) if scenario is not None else None
    title = getattr(scenario, "title", "") if scenario is not None else ""
    return str(start_folder(settings, current) / (base_name(title, when) + suffix))
