"""Saving a project so that work is never lost: atomic writes, a backup of the previous
version, and a recovery journal that holds every acknowledged change."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from viewer.model.bulk import collector_paused
from viewer.model.courtesy import rest
from viewer.model.scenario import (
    Scenario,
    ScenarioError,
    model_json,
    parse_scenario_bytes,
    scenario_to_geojson,
)


def project_bytes(scenario: Scenario, compact: bool = False) -> bytes:
    """The project file's bytes: indented for people, or compact for the recovery file (written on every change)."""
    with collector_paused():  # 100,000 features: millions of lists (the collector doubled a save's time)
        return _project_bytes(scenario, compact)


def _project_bytes(scenario: Scenario, compact: bool) -> bytes:
    doc = scenario_to_geojson(scenario)
    if compact:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return feature_lines(doc)


def feature_lines(doc: dict) -> bytes:
    """A GeoJSON document as written for people: one feature per line (a change to a feature is a
    change to its line), the features written by orjson, compact (an indented document is
    written by pure Python: 100,000 features took 4 s; the standard C encoder, a call a feature,
    0.7 s), everything else indented. ``doc``'s features list is put back as it was."""
    features = doc["features"]
    doc["features"] = _FEATURES_HERE
    try:
        head, tail = json.dumps(doc, ensure_ascii=False, indent=1).split(json.dumps(_FEATURES_HERE), 1)
    finally:
        doc["features"] = features
    body = b",\n".join([b"  " + _feature_line(f) for f in features])
    return head.encode("utf-8") + (b"[\n" + body + b"\n ]" if features else b"[]") + (tail + "\n").encode("utf-8")


def _feature_line(f: dict) -> bytes:
    import orjson

    try:
        return orjson.dumps(f)
    except TypeError:  # an integer beyond 64 bits a file held (read by the standard reader): its writer
        return json.dumps(f, ensure_ascii=False).encode("utf-8")


_FEATURES_HERE = "\x00features\x00"  # a text no map holds (no stored text has a NUL)


def write_atomic(path: Path, data: bytes | Iterable[bytes], backup: bool = False) -> None:
    """Write beside the target, flush it to disk, keep the old file as NAME.bak if asked,
    then rename over the target: at every moment the file is the old version or the new one, whole.
    ``data``: the bytes, or pieces of them (an error while they come leaves the target as it was)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale_temps(folder, path.name)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(folder))
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, (bytes, bytearray, memoryview)):
                f.write(data)
            else:  # pieces, written as they come (a large map's recovery base is never whole in memory)
                for part in data:
                    f.write(part)
            f.flush()
            os.fsync(f.fileno())
        copy_mode(path, tmp)
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


def cannot_write(path: Path) -> str | None:
    """Why :func:`write_atomic` could not write ``path`` (a folder of that name, no such folder, a
    folder that takes no new file), or None. Asked before long work (an export drawn for a second)
    whose file would then be refused; a file the size of the disk's room is still found out only
    when written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "is a folder, not a file"
    if not folder.is_dir():
        return f"{folder} is a file, not a folder" if folder.exists() else f"folder {folder} does not exist"
    try:  # (what write_atomic makes first: a file beside the target)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(folder))
    except OSError as e:
        return f"cannot write in folder {folder} ({e.strerror or e})"
    os.close(fd)
    _unlink(tmp)
    return None


def copy_mode(path: Path, tmp: str) -> None:
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


class _Base:
    """The map at one moment, written as a compact project file (in a thread for large maps)."""

    def __init__(self, folder: Path, tag: str, scenario: Scenario):
        self.tag = tag
        self.path = folder / f"base-{tag}.geojson"
        self.journal = folder / f"journal-{tag}.jsonl"
        self.scenario = scenario
        self.size = 0
        self.error: BaseException | None = None
        self.cancelled = False
        self.records: list[bytes] = []  # compaction: lines acknowledged after this moment
        self._thread: threading.Thread | None = None
        self.hurry = False  # a change waits for this base: its thread no longer rests between pieces

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="sitmap-recovery-base", daemon=True)
        self._thread.start()

    def run(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, _compact_chunks(self.scenario, pause=lambda: self.hurry or rest()))
            self.size = self.path.stat().st_size
        except Exception as e:  # noqa: BLE001 (reported to the change that needs this base)
            self.error = e
        self.scenario = None  # type: ignore[assignment]
        if self.cancelled:
            _unlink(str(self.path))

    def done(self) -> bool:
        return self._thread is None or not self._thread.is_alive()

    def unstarted(self) -> bool:
        return self._thread is None and self.scenario is not None and not self.cancelled

    def wait(self) -> None:
        if self._thread is None:
            self.run()
        else:
            self.hurry = True
            self._thread.join()
        if self.error is not None:
            e, self.error = self.error, None
            raise e if isinstance(e, OSError) else OSError(str(e))


def _write_all(fd: int, data: bytes) -> None:
    """All of ``data`` written, or OSError: a write the disk took only part of (it is full) is
    finished, or said (ENOSPC) if the disk takes nothing more."""
    import errno

    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[n:]


def _compact_chunks(s: Scenario, chunk: int = 250, pause=lambda: None):
    """The recovery base in pieces: a thread writing it lets the window run between pieces
    (``pause``, called before each)."""
    from viewer.model.scenario import fact_to_json, meta_to_json

    import orjson  # the values the standard writer writes, compact UTF-8, several times as fast

    def dumps(v) -> bytes:
        try:
            return orjson.dumps(v)
        except TypeError:  # what orjson does not write (an integer beyond 64 bits): the standard writer
            return json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    head = {"type": "FeatureCollection", "sitmap": meta_to_json(s), "facts": [fact_to_json(f) for f in s.facts]}
    head.update({k: v for k, v in s.extra.items() if k not in head and k != "features"})
    yield dumps(head)[:-1] + b',"features":['
    feats = s.features
    for i in range(0, len(feats), chunk):
        pause()
        part = dumps([model_json(f) for f in feats[i:i + chunk]])[1:-1]
        yield (b"," if i else b"") + part
    yield b"]}"


class Recovery:
    """One recovery folder per session: unsaved work survives a kill, a crash or a power cut.

    ``recovery.json`` is the commit point: it names a base (the map at one moment, as a compact
    project file) and a journal (one line per change acknowledged since, see
    :mod:`viewer.model.journal`). A change is acknowledged once its line is appended and flushed
    to disk: milliseconds, whatever the map's size. When the journal has grown past the base's
    size a new base is written in a thread and swapped in (compaction); a new map's base is
    written the same way as soon as it is shown, so its first change does not wait for it.
    Removed on a clean exit or a save; found at the next start after a crash."""

    BACKGROUND_FROM = 5000  # features: below this, the base is written when the first change needs it
    COMPACT_MIN_BYTES = 1 << 20
    COMPACT_RATIO = 1.0  # compact once the journal is this many times the base's size

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.meta = self.folder / "recovery.json"
        self.file = self.folder / "recovery.geojson"  # the whole-file recovery of earlier versions
        self._pending: _Base | None = None  # the base of a map just shown, no change yet
        self._committed: _Base | None = None
        self._next: _Base | None = None  # compaction in flight
        self._fd: int | None = None
        self._journal_bytes = 0
        self._project: str | None = None
        self._count = 0

    # ------------------------------------------------------------------ writing
    def _tag(self) -> str:
        import time

        self._count += 1
        return f"{os.getpid()}-{time.time_ns():x}-{self._count}"

    def _new_base(self, scenario: Scenario, background: bool) -> _Base:
        # (every field of the map, its lists copied: the map goes on changing while the base is written)
        snap = dataclasses.replace(scenario, features=list(scenario.features), facts=list(scenario.facts),
                                   view=dict(scenario.view), groups=list(scenario.groups),
                                   layers=[dict(x) for x in scenario.layers], extra=dict(scenario.extra),
                                   sources_list=[dict(x) for x in scenario.sources_list])
        base = _Base(self.folder, self._tag(), snap)
        if background:
            self.folder.mkdir(parents=True, exist_ok=True)
            base.start()
        return base

    def begin(self, scenario: Scenario, start: bool = True) -> None:
        """A new map is shown (opened, restored, saved): the next change starts from it. A large
        map's base is written in a thread at once, or with ``start=False`` when
        :meth:`start_pending` says (the window: once the map is on screen, so that the thread does
        not share the interpreter with the drawing). A change before that writes it first."""
        self._drop(self._pending)
        self._drop(self._next)
        self._next = None
        self._pending = self._new_base(scenario, start and self._large(scenario))

    def start_pending(self) -> None:
        """Begin writing the base :meth:`begin` left for later, if it is a large map's."""
        base = self._pending
        if base is not None and base.unstarted() and self._large(base.scenario):
            self.folder.mkdir(parents=True, exist_ok=True)
            base.start()

    def _large(self, scenario: Scenario) -> bool:
        return len(scenario.features) >= self.BACKGROUND_FROM

    def record(self, change, document, project_path: Path | None) -> None:
        """Make one applied change durable. Returns once it is on disk; raises OSError if it cannot be."""
        try:
            self._record(change, document, project_path)
        except BaseException:
            # Not durable (a full disk, a failed write): the journal is not appended to again, as a
            # line of it may be cut short; the next change writes the whole map as a new base, this
            # change included, and until then the recovery is the map before this change.
            self._committed = None
            raise

    def _record(self, change, document, project_path: Path | None) -> None:
        from viewer.model.journal import encode, record_of

        project = str(project_path) if project_path else None
        if self._pending is not None:
            base, self._pending = self._pending, None
            line = encode(record_of(change, document))
            self._commit(base, [line], project)
            return
        if self._committed is None or self._fd is None:
            base = self._new_base(document.scenario, False)  # the map as it is now, this change included
            self._commit(base, [], project)
            return
        line = encode(record_of(change, document))
        if self._next is not None and self._next.done():
            nxt, self._next = self._next, None
            self._commit(nxt, nxt.records + [line], project)
            return
        if project != self._project:
            self._write_meta(self._committed, project)
        _write_all(self._fd, line)
        os.fdatasync(self._fd)
        self._journal_bytes += len(line)
        if self._next is not None:
            self._next.records.append(line)
        elif self._journal_bytes > max(self.COMPACT_MIN_BYTES, self.COMPACT_RATIO * self._committed.size):
            self._next = self._new_base(document.scenario, True)

    def write(self, scenario: Scenario, project_path: Path | None) -> None:
        """Write the whole map as the recovery now (a base with an empty journal)."""
        self._drop(self._pending)
        self._drop(self._next)
        self._pending = self._next = None
        self._commit(self._new_base(scenario, False), [], str(project_path) if project_path else None)

    def _commit(self, base: _Base, lines: list[bytes], project: str | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        base.wait()
        fd = os.open(str(base.journal), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        try:
            if lines:
                _write_all(fd, b"".join(lines))
            os.fsync(fd)
            _fsync_dir(self.folder)
            self._write_meta(base, project)
        except BaseException:
            os.close(fd)
            raise
        old_fd, self._fd = self._fd, fd
        if old_fd is not None:
            os.close(old_fd)
        self._committed = base
        self._journal_bytes = sum(len(x) for x in lines)
        self._remove_others(keep={base.path.name, base.journal.name} | self._in_flight())

    def _write_meta(self, base: _Base, project: str | None) -> None:
        write_atomic(self.meta, json.dumps({"project": project, "base": base.path.name,
                                            "journal": base.journal.name}).encode())
        self._project = project

    def _in_flight(self) -> set[str]:
        return {b.path.name for b in (self._pending, self._next) if b is not None}

    def _remove_others(self, keep: set[str]) -> None:
        for p in list(self.folder.glob("base-*.geojson")) + list(self.folder.glob("journal-*.jsonl")) + [self.file]:
            if p.name not in keep:
                _unlink(str(p))

    @staticmethod
    def _drop(base: _Base | None) -> None:
        if base is not None:
            base.cancelled = True
            if base.done():
                _unlink(str(base.path))

    # ------------------------------------------------------------------ reading
    def pending(self) -> bool:
        return self.meta.exists()

    def load(self) -> tuple[Scenario, Path | None]:
        from viewer.model.document import Document
        from viewer.model.journal import decode_lines, replay

        try:
            info = json.loads(self.meta.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ScenarioError("recovery.json", "", "not a recovery record") from None
        if not isinstance(info, dict):
            raise ScenarioError("recovery.json", "", "not a recovery record")
        project = info.get("project")
        base_name, journal_name = info.get("base"), info.get("journal")
        if not isinstance(base_name, str) or not isinstance(journal_name, str):  # an earlier version's whole file
            scenario = parse_scenario_bytes(self.file.read_bytes(), "recovery file")
        else:
            for name in (base_name, journal_name):
                if "/" in name or "\\" in name or name.startswith("."):
                    raise ScenarioError("recovery.json", "", f"names a file outside its folder: {name!r}")
            doc = Document(parse_scenario_bytes((self.folder / base_name).read_bytes(), "recovery file"))
            for i, rec in enumerate(decode_lines((self.folder / journal_name).read_bytes(), "recovery journal")):
                replay(doc, rec, f"recovery journal, change {i + 1}")
            scenario = doc.scenario
        return scenario, (Path(project) if isinstance(project, str) and project else None)

    def clear(self, scenario: Scenario | None = None) -> None:
        """Nothing to recover (a save or a clean exit). After a save, ``scenario`` is the saved map:
        the next change starts from it."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        _unlink(str(self.meta))
        committed, self._committed = self._committed, None
        for p in ([committed.path, committed.journal] if committed else []) + [self.file]:
            _unlink(str(p))
        self._drop(self._next)
        self._next = None
        if scenario is not None:
            self.begin(scenario)
        else:
            self._drop(self._pending)
            self._pending = None
        if self.folder.is_dir():
            self._remove_others(keep=self._in_flight())  # an earlier session's, declined


class RecoveryClaim:
    """Which recovery folder under ``data_dir`` this running SitMap uses: one no other running SitMap
    holds (each keeps a lock on its folder's ``.lock`` while it runs, which the system lets go when
    it ends, however it ends), the one a run that ended abnormally left work in first. A second
    window (``--new-instance``) so never takes a running window's work for a crash's, nor clears it."""

    SLOTS = 16

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._lock = None
        self.folder = self._claim()

    def _names(self) -> list[str]:
        return ["recovery"] + [f"recovery-{k}" for k in range(2, self.SLOTS + 1)]

    def _take(self, folder: Path):
        """The folder's lock, held; None if another running SitMap holds it."""
        try:
            import fcntl
        except ImportError:  # (no advisory locks: one folder, as before)
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = open(folder / ".lock", "a+b")  # noqa: SIM115 - held while this SitMap runs
        except OSError:
            return None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return None
        return handle

    def _claim(self) -> Path:
        free = []  # (folder, lock) of folders no running SitMap holds
        for name in self._names():
            folder = self.data_dir / name
            if name != "recovery" and not folder.is_dir():
                continue
            handle = self._take(folder)
            if handle is False:
                return self.data_dir / "recovery"
            if handle is None:
                continue
            if (folder / "recovery.json").exists() or (folder / "recovery.geojson").exists():
                for _f, other in free:
                    other.close()
                self._lock = handle
                return folder
            free.append((folder, handle))
        if free:
            (folder, self._lock), rest = free[0], free[1:]
            for _f, other in rest:
                other.close()
            return folder
        for name in self._names():  # every folder there is held: a new one
            folder = self.data_dir / name
            if not folder.is_dir():
                handle = self._take(folder)
                if handle:
                    self._lock = handle
                    return folder
        return self.data_dir / "recovery"  # (sixteen windows at once: they share the first, as before)

    def release(self) -> None:
        """A clean exit: the folder is free for the next SitMap."""
        if self._lock not in (None, False):
            self._lock.close()
        self._lock = None


__all__ = ["Recovery", "RecoveryClaim", "ScenarioError", "feature_lines", "project_bytes", "save_project",
           "write_atomic"]
