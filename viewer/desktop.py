"""Desktop integration on Linux (freedesktop standards), without Qt.

``sitmap --install-desktop`` writes, under ``$XDG_DATA_HOME`` (default ``~/.local/share``):

* ``applications/sitmap.desktop`` — the launcher entry, offered under "Open With" for SitMap
  maps, GeoJSON, KML, KMZ, GPX and CSV;
* ``icons/hicolor/<N>x<N>/apps/sitmap.png`` (16–512 px) and ``icons/hicolor/scalable/apps/sitmap.svg``;
* ``mime/packages/sitmap.xml`` — the type of SitMap maps (``*.sitmap.geojson``, a sub-class of
  GeoJSON so other GIS tools still open them), then refreshes the MIME and desktop databases;

and makes SitMap the default application for its maps in ``$XDG_CONFIG_HOME/mimeapps.list``.
Everything written is listed in a manifest (``sitmap/desktop-install.json``) so that
``--uninstall-desktop`` removes exactly that: the files, the folders it had to create, and the
mimeapps.list line it added (a previous choice there is put back).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from viewer import __version__, resources
from viewer.model.file_kinds import FOREIGN_MIME, GEOJSON_MIME, MAP_MIME, MAP_SUFFIX

APP_ID = "sitmap"
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_NAME = APP_ID
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MANIFEST_VERSION = 1
DEFAULTS_GROUP = "[Default Applications]"


class DesktopError(Exception):
    """Installing or removing the desktop integration failed; the message is one line."""


@dataclass(frozen=True)
class Places:
    data_home: Path
    config_home: Path

    @classmethod
    def from_env(cls, env: dict | None = None) -> Places:
        env = os.environ if env is None else env
        home = Path(env.get("HOME") or Path.home())

        def absolute(name: str, default: Path) -> Path:  # the spec says: ignore a relative path
            value = env.get(name) or ""
            return Path(value) if os.path.isabs(value) else default

        return cls(absolute("XDG_DATA_HOME", home / ".local" / "share"), absolute("XDG_CONFIG_HOME", home / ".config"))

    @property
    def applications(self) -> Path:
        return self.data_home / "applications"

    @property
    def mime(self) -> Path:
        return self.data_home / "mime"

    @property
    def manifest(self) -> Path:
        return self.data_home / APP_ID / "desktop-install.json"

    @property
    def mimeapps(self) -> Path:
        return self.config_home / "mimeapps.list"


# ---------------------------------------------------------------------------- what is written
def launcher_command() -> list[str]:
    """The command that starts this copy of SitMap: the bundle's executable, the ``sitmap``
    script of the environment SitMap is installed in, or this Python running ``-m viewer``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / "sitmap"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "viewer"]


_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One argument of an Exec key (Desktop Entry spec, "The Exec key"), before string escaping."""
    if arg and not (set(arg) & _EXEC_RESERVED) and "%" not in arg and "=" not in arg:
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg.replace("%", "%%"))
    return f'"{inner}"'


def _escape_string(value: str) -> str:
    """A value of type string in a desktop file: backslash, newline, tab escaped."""
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def desktop_entry(command: list[str]) -> str:
    mimes = [MAP_MIME] + list(dict.fromkeys(FOREIGN_MIME.values()))
    exec_line = " ".join(exec_quote(a) for a in command) + " %f"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=SitMap",
        "GenericName=Situation Map",
        "Comment=Offline situation maps with geodesic range rings, sourced facts and briefing exports",
        f"Exec={_escape_string(exec_line)}",
        f"Icon={ICON_NAME}",
        "Terminal=false",
        "StartupNotify=true",
        "StartupWMClass=SitMap",
        "Categories=Education;Geography;",
        "Keywords=map;situation;range;ring;geodesic;briefing;GeoJSON;KML;GeoPackage;shapefile;",
        "MimeType=" + "".join(f"{m};" for m in mimes),
        f"X-SitMap-Version={__version__}",
        "",
    ])


def mime_package() -> str:
    """shared-mime-info package: SitMap maps by name, a sub-class of GeoJSON."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MAP_MIME}">
    <comment>SitMap map</comment>
    <sub-class-of type="{GEOJSON_MIME}"/>
    <icon name="{ICON_NAME}"/>
    <glob pattern="*{MAP_SUFFIX}" weight="60"/>
  </mime-type>
</mime-info>
"""


# ---------------------------------------------------------------------------- install / uninstall
class _Writer:
    """Writes files and remembers them and every folder it had to create; a file that was there
    already (somebody else's: a SitMap installation is removed before another is made) is kept in
    ``backup_dir`` first and put back when SitMap's is removed."""

    def __init__(self, backup_dir: Path | None = None) -> None:
        self.files: list[str] = []
        self.dirs: list[str] = []
        self.backup_dir = backup_dir
        self.backups: dict[str, str] = {}  # the file written over -> where it is kept

    def folder(self, path: Path) -> None:
        missing = []
        p = path
        while not p.exists():
            missing.append(p)
            p = p.parent
        for d in reversed(missing):
            d.mkdir()
            self.dirs.append(str(d))

    def write(self, path: Path, data: bytes) -> None:
        self.folder(path.parent)
        if self.backup_dir is not None and (path.exists() or path.is_symlink()):
            self.folder(self.backup_dir)
            kept = self.backup_dir / f"{len(self.backups) + 1}-{path.name}"
            os.replace(path, kept)  # (the same file system: ~/.local/share)
            self.backups[str(path)] = str(kept)
        tmp = path.with_name(f".{path.name}.sitmap-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        self.files.append(str(path))


def _put_back(backups: dict) -> None:
    """The files SitMap's installation had written over, back where they were."""
    for original, kept in backups.items():
        if isinstance(original, str) and isinstance(kept, str) and Path(kept).exists():
            try:
                os.replace(kept, original)
            except OSError:
                pass


def _run_tool(args: list[str]) -> None:
    """Refresh a desktop database if the tool is there; desktops rescan without it too."""
    if shutil.which(args[0]) is None:
        return
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=120)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _defaults_span(lines: list[str]) -> tuple[int, int] | None:
    """(first line after the group header, end) of [Default Applications], or None."""
    start = None
    for i, line in enumerate(lines):
        s = line.strip()
        if start is None and s == DEFAULTS_GROUP:
            start = i + 1
        elif start is not None and s.startswith("["):
            return start, i
    return (start, len(lines)) if start is not None else None


def _get_default(lines: list[str], mime: str) -> tuple[int, str] | None:
    span = _defaults_span(lines)
    if span is None:
        return None
    for i in range(*span):
        key, sep, value = lines[i].partition("=")
        if sep and key.strip() == mime:
            return i, value.strip()
    return None


def _set_default(path: Path, mime: str, value: str | None, writer: _Writer | None = None) -> None:
    """Set (or with None remove) ``mime=value`` under [Default Applications], keeping every other line."""
    lines = _read_lines(path)
    found = _get_default(lines, mime)
    if found is not None:
        if value is None:
            del lines[found[0]]
        else:
            lines[found[0]] = f"{mime}={value}"
    elif value is not None:
        span = _defaults_span(lines)
        if span is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines += [DEFAULTS_GROUP, f"{mime}={value}"]
        else:
            end = span[1]
            while end > span[0] and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, f"{mime}={value}")
    if writer is not None:
        writer.folder(path.parent)
    text = "\n".join(lines) + "\n" if lines else ""
    target = path.resolve() if path.is_symlink() else path  # (a link, to dotfiles kept elsewhere, stays a link)
    tmp = target.with_name(f".{target.name}.sitmap-tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def installed(places: Places) -> dict | None:
    try:
        return json.loads(places.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def install(places: Places, command: list[str] | None = None, refresh: bool = True) -> list[Path]:
    """Install the desktop integration; a previous installation by SitMap is removed first."""
    if installed(places) is not None:
        uninstall(places, refresh=False)
    command = command or launcher_command()
    w = _Writer(places.manifest.parent / "desktop-kept")
    try:
        w.folder(places.manifest.parent)
        w.write(places.applications / DESKTOP_FILE, desktop_entry(command).encode("utf-8"))
        icons = places.data_home / "icons" / "hicolor"
        for n in ICON_SIZES:
            w.write(icons / f"{n}x{n}" / "apps" / f"{ICON_NAME}.png",
                    resources.path("icons", "hicolor", f"{n}x{n}", "sitmap.png").read_bytes())
        w.write(icons / "scalable" / "apps" / f"{ICON_NAME}.svg", resources.path("icons", "sitmap.svg").read_bytes())
        w.write(places.mime / "packages" / f"{APP_ID}.xml", mime_package().encode("utf-8"))
        had_mimeapps = places.mimeapps.exists()
        before = _get_default(_read_lines(places.mimeapps), MAP_MIME)
        _set_default(places.mimeapps, MAP_MIME, f"{DESKTOP_FILE};", w)
    except OSError as e:
        _remove(w.files, [])
        _put_back(w.backups)
        _remove([], w.dirs)
        raise DesktopError(f"cannot install the desktop entry: {e.strerror or e} ({getattr(e, 'filename', '')})")
    manifest = {
        "version": MANIFEST_VERSION,
        "sitmap": __version__,
        "command": command,
        "files": w.files,
        "dirs": w.dirs,
        "kept": w.backups,
        "mimeapps": {"path": str(places.mimeapps), "created": not had_mimeapps, "mime": MAP_MIME,
                     "value": f"{DESKTOP_FILE};", "previous": before[1] if before else None},
    }
    w.write(places.manifest, json.dumps(manifest, indent=1).encode("utf-8"))
    if refresh:
        _refresh(places)
    return [Path(f) for f in w.files]


def _refresh(places: Places) -> None:
    if (places.mime / "packages").is_dir():
        _run_tool(["update-mime-database", str(places.mime)])
    if places.applications.is_dir():
        _run_tool(["update-desktop-database", "-q", str(places.applications)])


def _remove(files: list[str], dirs: list[str]) -> list[Path]:
    removed = []
    for f in files:
        try:
            Path(f).unlink()
            removed.append(Path(f))
        except FileNotFoundError:
            pass
    for d in sorted(dirs, key=len, reverse=True):
        try:
            Path(d).rmdir()
        except OSError:
            pass  # not empty: someone else keeps files there
    return removed


def uninstall(places: Places, refresh: bool = True) -> list[Path]:
    """Remove what ``install`` wrote, as listed in its manifest. Nothing installed: nothing done."""
    manifest = installed(places)
    if manifest is None:
        return []
    files = [f for f in manifest.get("files", []) if isinstance(f, str)]
    dirs = [d for d in manifest.get("dirs", []) if isinstance(d, str)]
    apps = manifest.get("mimeapps") or {}
    path, mime = Path(str(apps.get("path", places.mimeapps))), str(apps.get("mime", MAP_MIME))
    current = _get_default(_read_lines(path), mime)
    if current is not None and current[1] == apps.get("value"):
        _set_default(path, mime, apps.get("previous"))
        if apps.get("created") and not "".join(_read_lines(path)).replace(DEFAULTS_GROUP, "").strip():
            path.unlink()
    # The databases are rebuilt from what remains; folders SitMap created that now hold only the
    # rebuilt caches (no package, no desktop entry of anybody else) go as well.
    db_dirs = {str(places.mime): "packages", str(places.applications): None}
    removed = _remove(files, [])
    kept = manifest.get("kept")
    _put_back(kept if isinstance(kept, dict) else {})
    if refresh:
        _refresh(places)
    for d in dirs:
        if d in db_dirs and Path(d).is_dir():
            sub = db_dirs[d]
            if sub is not None and not any((Path(d) / sub).glob("*")):
                shutil.rmtree(d)
            elif sub is None and all(p.name == "mimeinfo.cache" for p in Path(d).iterdir()):
                shutil.rmtree(d)
    _remove([str(places.manifest)], dirs)
    return removed + [places.manifest]


# ---------------------------------------------------------------------------- command line
def install_command() -> int:
    if sys.platform in ("win32", "darwin"):
        print("sitmap: error: --install-desktop is for Linux desktops (freedesktop); on Windows and macOS "
              "the bundle (sitmap.exe, SitMap.app) carries its icon and file types", file=sys.stderr)
        return 1
    places = Places.from_env()
    try:
        written = install(places)
    except DesktopError as e:
        print(f"sitmap: error: {e}", file=sys.stderr)
        return 1
    print(f"SitMap desktop entry installed: {places.applications / DESKTOP_FILE} "
          f"({len(written)} files, listed in {places.manifest}); maps saved as *{MAP_SUFFIX} open in SitMap.")
    return 0


def uninstall_command() -> int:
    places = Places.from_env()
    if installed(places) is None:
        print(f"SitMap desktop entry is not installed (no {places.manifest}).")
        return 0
    try:
        removed = uninstall(places)
    except OSError as e:
        print(f"sitmap: error: cannot remove the desktop entry: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"SitMap desktop entry removed ({len(removed)} files).")
    return 0
