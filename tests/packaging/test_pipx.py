"""``pipx install`` of the built wheel: pipx's own virtual environment and its ``sitmap`` command
on PATH; ``sitmap --export x.png`` then works from an empty folder with a new HOME.

pipx is used from PATH if there is one, else installed into a throw-away virtual environment
(never into the system)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.packaging.conftest import clean_env


def pipx_command(tmp_path: Path) -> list[str]:
    found = shutil.which("pipx")
    if found:
        return [found]
    tools = tmp_path / "pipx-venv"
    subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True, timeout=300)
    r = subprocess.run([str(tools / "bin" / "python"), "-m", "pip", "install", "-q", "pipx"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"pipx cannot be installed: {r.stderr[-2000:]}"
    return [str(tools / "bin" / "python"), "-m", "pipx"]


def test_pipx_install_of_the_wheel_gives_a_sitmap_command_that_exports_from_an_empty_folder(tmp_path, built_wheel):
    wheel = built_wheel[0]
    home, empty = tmp_path / "home", tmp_path / "empty"
    home.mkdir()
    empty.mkdir()
    pipx_bin = home / ".local" / "bin"
    env = clean_env(home, PIPX_HOME=str(home / ".local" / "share" / "pipx"), PIPX_BIN_DIR=str(pipx_bin),
                    PIPX_MAN_DIR=str(home / ".local" / "share" / "man"))
    for name in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT", "PIP_DEFAULT_TIMEOUT"):
        if name in os.environ:  # where this machine's pip finds packages
            env[name] = os.environ[name]
    r = subprocess.run([*pipx_command(tmp_path), "install", "--python", sys.executable, str(wheel)],
                       cwd=empty, env=env, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, (r.stdout + r.stderr)[-3000:]
    sitmap = pipx_bin / "sitmap"
    assert sitmap.exists()
    assert (home / ".local" / "share" / "pipx" / "venvs" / "sitmap").is_dir()  # pipx's own environment

    env = clean_env(home, PATH=f"{pipx_bin}:/usr/local/bin:/usr/bin:/bin")
    r = subprocess.run(["sitmap", "--export", "x.png"], cwd=empty, env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    png = (empty / "x.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1920
    assert len(png) > 100_000  # a drawn map, not an empty page
    assert list(empty.iterdir()) == [empty / "x.png"]

    r = subprocess.run(["sitmap", "--version"], cwd=empty, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.startswith("SitMap "), r.stderr
