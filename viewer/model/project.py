"""Saving a project so that work is never lost: atomic writes, a backup of the previous
version, and a recovery file written after every change."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from viewer.model.scenario import Scenario, ScenarioError, parse_scenario_bytes, scenario_to_geojson


def project_bytes(scenario: Scenario, compact: bool = False) -> bytes:
    """The project file's bytes: indented for people, or compact for the recovery file (written on every change)."""
    doc = scenario_to_geojson(scenario)
    if compact:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes, backup: bool = False) -> None:
    """Write beside the target, flush it to disk, keep the old file as NAME.bak if asked,
    then rename over the target: at every moment the file is the old version or the new one, whole."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temps(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(folder))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _copy_mode(path, tmp)
        if backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            fd2, tmp_bak = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=str(folder))
            try:
                with os.fdopen(fd2, "wb") as b, open(path, "rb") as old:
                    b.write(old.read())
                    b.flush()
                    os.fsync(b.fileno())
                os.replace(tmp_bak, bak)
            except BaseException:
                _unlink(tmp_bak)
                raise
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        _unlink(tmp)
        raise


def _copy_mode(path: Path, tmp: str) -> None:
    """The new file keeps the old one's permissions (mkstemp makes 0600); a new file gets the usual ones."""
    import stat

    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        os.chmod(tmp, mode)
    except OSError:
        pass


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Temp files an earlier save left when the process was killed mid-write."""
    import time

    for old in folder.glob(f".{name}.*.tmp"):
        try:
            if time.time() - old.stat().st_mtime > 60:
                old.unlink()
        except OSError:
            pass


def _unlink(p: str) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save_project(scenario: Scenario, path: Path) -> None:
    write_atomic(Path(path), project_bytes(scenario), backup=True)


class Recovery:
    """One recovery file per session folder. Written whole after every acknowledged change;
    removed on a clean exit; found at the next start after a crash."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.file = self.folder / "recovery.geojson"
        self.meta = self.folder / "recovery.json"

    def write(self, scenario: Scenario, project_path: Path | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.file, project_bytes(scenario, compact=True))
        write_atomic(self.meta, json.dumps({"project": str(project_path) if project_path else None}).encode())

    def pending(self) -> bool:
        return self.file.exists()

    def load(self) -> tuple[Scenario, Path | None]:
        scenario = parse_scenario_bytes(self.file.read_bytes(), "recovery file")
        project = None
        try:
            project = json.loads(self.meta.read_text(encoding="utf-8")).get("project")
        except (OSError, ValueError):
            pass
        return scenario, (Path(project) if project else None)

    def clear(self) -> None:
        for p in (self.file, self.meta):
            try:
                p.unlink()
            except FileNotFoundError:
                pass


__all__ = ["Recovery", "ScenarioError", "project_bytes", "save_project", "write_atomic"]
