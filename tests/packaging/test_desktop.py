"""--install-desktop into a temporary XDG_DATA_HOME, checked with the freedesktop tools themselves."""

import struct
import subprocess
import sys
from pathlib import Path

from tests.packaging.conftest import ROOT, clean_env, need

from viewer import desktop, resources
from viewer.model.file_kinds import FOREIGN_MIME, GEOJSON_MIME, MAP_MIME


def tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def sitmap(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer", *args], cwd=ROOT, env=dict(env, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, timeout=120)


def saved_map(folder: Path, name: str) -> Path:
    from viewer.model.project import save_project
    from viewer.model.scenario import load_scenario

    path = folder / name
    save_project(load_scenario(resources.default_scenario()), path)
    return path


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_install_desktop_writes_a_valid_entry_icons_and_the_map_type_and_uninstall_removes_exactly_that(tmp_path):
    need("desktop-file-validate", "xdg-mime", "mimetype", "update-mime-database", "update-desktop-database")
    home = tmp_path / "home"
    env = clean_env(home)
    data, config = Path(env["XDG_DATA_HOME"]), Path(env["XDG_CONFIG_HOME"])
    # Someone else's things that must survive install and uninstall untouched.
    (data / "applications").mkdir(parents=True)
    (data / "applications" / "other.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Other\nExec=other %f\nMimeType=text/csv;\n")
    config.mkdir(parents=True)
    (config / "mimeapps.list").write_text("[Default Applications]\ntext/csv=other.desktop;\n\n"
                                          "[Added Associations]\ntext/plain=other.desktop;\n")
    before = tree(home)

    r = sitmap(env, "--install-desktop")
    assert r.returncode == 0, r.stderr
    entry = data / "applications" / "sitmap.desktop"
    v = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert v.returncode == 0 and "error" not in v.stdout, v.stdout
    text = entry.read_text()
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" %f") and Path(exec_line[5:].split()[0]).is_file(), exec_line
    for n in desktop.ICON_SIZES:
        assert png_size(data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "sitmap.png") == (n, n)
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "sitmap.svg").read_bytes().startswith(b"<svg")

    saved = saved_map(tmp_path, "korea.sitmap.geojson")
    plain = saved_map(tmp_path, "korea.geojson")

    def xdg(*args):
        out = subprocess.run(["xdg-mime", "query", *args], env=env, capture_output=True, text=True)
        return out.stdout.strip()

    assert xdg("filetype", str(saved)) == MAP_MIME
    assert xdg("filetype", str(plain)) == GEOJSON_MIME  # plain GeoJSON stays GeoJSON
    assert xdg("default", MAP_MIME) == "sitmap.desktop"
    assert xdg("default", "text/csv") == "other.desktop"  # the user's choice for CSV is kept
    subclasses = (data / "mime" / "subclasses").read_text()
    assert f"{MAP_MIME} {GEOJSON_MIME}" in subclasses  # QGIS & co. see a GeoJSON
    # "Open With": the desktop database lists SitMap for every format it reads.
    cache = (data / "applications" / "mimeinfo.cache").read_text()
    for mime in [MAP_MIME, *FOREIGN_MIME.values()]:
        line = next(x for x in cache.splitlines() if x.startswith(mime + "="))
        assert "sitmap.desktop" in line, mime

    r = sitmap(env, "--uninstall-desktop")
    assert r.returncode == 0, r.stderr
    after = tree(home)
    after.pop("tmp", None), before.pop("tmp", None)
    # update-desktop-database leaves its cache for other.desktop: the only acceptable newcomer.
    newcomers = set(after) - set(before)
    assert newcomers <= {".local/share/applications/mimeinfo.cache"}, newcomers
    assert {k: v for k, v in after.items() if k in before} == before
    assert xdg("default", MAP_MIME) == ""


def test_uninstall_puts_back_a_previous_default_and_leaves_no_folder_it_created(tmp_path):
    places = desktop.Places(tmp_path / "data", tmp_path / "config")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "mimeapps.list").write_text(f"[Default Applications]\n{MAP_MIME}=old.desktop;\n")
    desktop.install(places, ["/opt/sitmap/sitmap"], refresh=False)
    assert f"{MAP_MIME}=sitmap.desktop;" in (tmp_path / "config" / "mimeapps.list").read_text()
    desktop.install(places, ["/opt/sitmap/sitmap"], refresh=False)  # again: replaces, no duplicates
    assert (tmp_path / "config" / "mimeapps.list").read_text().count(MAP_MIME) == 1
    desktop.uninstall(places, refresh=False)
    assert (tmp_path / "config" / "mimeapps.list").read_text() == f"[Default Applications]\n{MAP_MIME}=old.desktop;\n"
    assert not (tmp_path / "data").exists()
    assert desktop.uninstall(places) == []  # nothing installed: nothing done


def test_a_users_own_entry_and_icon_of_the_same_names_are_kept_and_put_back_on_uninstall(tmp_path):
    # (found in review: install wrote over them, and uninstall then deleted them for good)
    places = desktop.Places(tmp_path / "data", tmp_path / "config")
    apps = tmp_path / "data" / "applications"
    icon = tmp_path / "data" / "icons" / "hicolor" / "48x48" / "apps" / "sitmap.png"
    apps.mkdir(parents=True)
    icon.parent.mkdir(parents=True)
    (apps / "sitmap.desktop").write_text("[Desktop Entry]\nType=Application\nName=Mine\nExec=/opt/mine/sitmap %f\n")
    icon.write_bytes(b"mine")
    before = tree(tmp_path)
    desktop.install(places, ["/opt/sitmap/sitmap"], refresh=False)
    assert "Exec=/opt/sitmap/sitmap" in (apps / "sitmap.desktop").read_text() and icon.read_bytes() != b"mine"
    desktop.install(places, ["/opt/sitmap/sitmap"], refresh=False)  # (again: the user's files are still kept)
    desktop.uninstall(places, refresh=False)
    after = tree(tmp_path)
    after.pop("config/mimeapps.list", None)
    assert {k: v for k, v in after.items() if v is not None} == {k: v for k, v in before.items() if v is not None}


def test_a_linked_mimeapps_list_stays_a_link_and_its_target_gets_the_default(tmp_path):
    # (found in review: install replaced the link with a file of its own)
    places = desktop.Places(tmp_path / "data", tmp_path / "config")
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "mimeapps.list").write_text("[Default Applications]\ntext/plain=gedit.desktop;\n")
    (tmp_path / "config").mkdir()
    link = tmp_path / "config" / "mimeapps.list"
    link.symlink_to("../dotfiles/mimeapps.list")
    desktop.install(places, ["/opt/sitmap/sitmap"], refresh=False)
    assert link.is_symlink() and f"{MAP_MIME}=sitmap.desktop;" in (dotfiles / "mimeapps.list").read_text()
    desktop.uninstall(places, refresh=False)
    assert link.is_symlink() and (dotfiles / "mimeapps.list").read_text() == \
        "[Default Applications]\ntext/plain=gedit.desktop;\n"


def test_exec_line_quotes_paths_with_spaces_and_shell_characters_and_still_validates(tmp_path):
    need("desktop-file-validate")
    command = ["/home/a b/Sit$Map \"x\"/sitmap", "--flag"]
    entry = tmp_path / "sitmap.desktop"
    entry.write_text(desktop.desktop_entry(command))
    v = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert v.returncode == 0 and "error" not in v.stdout, v.stdout
    line = next(x for x in entry.read_text().splitlines() if x.startswith("Exec="))
    assert line == 'Exec="/home/a b/Sit\\\\$Map \\\\"x\\\\"/sitmap" --flag %f'


def test_launcher_command_names_an_executable_that_starts_this_sitmap():
    command = desktop.launcher_command()
    assert Path(command[0]).is_absolute() and Path(command[0]).exists()
    r = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60,
                       cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert r.stdout.strip().startswith("SitMap "), r.stderr


def test_cannot_write_gives_one_line_and_leaves_nothing_behind(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "icons").write_text("a file where a folder is needed")
    places = desktop.Places(data, tmp_path / "config")
    try:
        desktop.install(places, ["/x/sitmap"], refresh=False)
    except desktop.DesktopError as e:
        assert "\n" not in str(e)
    else:
        raise AssertionError("install into a blocked folder succeeded")
    assert sorted(p.name for p in data.iterdir()) == ["icons"]
    assert not (tmp_path / "config").exists()


def test_xdg_folders_default_under_home_and_relative_ones_are_ignored():
    p = desktop.Places.from_env({"HOME": "/h", "XDG_DATA_HOME": "rel/data", "XDG_CONFIG_HOME": "/c"})
    assert p == desktop.Places(Path("/h/.local/share"), Path("/c"))
    assert desktop.Places.from_env({"HOME": "/h"}).mimeapps == Path("/h/.config/mimeapps.list")
