"""The wheel carries every resource: built from the tracked files, installed into a fresh virtual
environment, ``sitmap --export`` works from an empty folder with nothing of the checkout around."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.packaging.conftest import clean_env


def test_wheel_installed_in_a_fresh_venv_exports_a_map_from_an_empty_folder(tmp_path, built_wheel):
    wheel, src, files = built_wheel
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    resources = [f for f in files if f.startswith("resources/")]
    assert len(resources) > 10
    missing = [f for f in resources if "viewer/_resources/" + f[len("resources/"):] not in names]
    assert not missing, missing
    # the licence's text goes with the wheel (its metadata named MIT without it)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), sorted(n for n in names if "dist-info" in n)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    r = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                       capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]

    home, empty = tmp_path / "home", tmp_path / "empty"
    home.mkdir()
    empty.mkdir()
    env = clean_env(home)
    r = subprocess.run([str(venv / "bin" / "python"), "-c",
                        "import viewer, viewer.resources as r; print(viewer.__file__); print(r.root())"],
                       cwd=empty, env=env, capture_output=True, text=True, timeout=60)
    package, root = (Path(line) for line in r.stdout.split())
    assert package.is_relative_to(venv) and root.is_relative_to(venv), r.stdout  # not the checkout
    assert root.name == "_resources"

    r = subprocess.run([str(venv / "bin" / "sitmap"), "--export", "x.png"], cwd=empty, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    png = (empty / "x.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1920
    assert len(png) > 100_000  # a drawn map, not an empty page

    shutil.rmtree(src)  # the source copy is gone: the installed copy still runs
    r = subprocess.run([str(venv / "bin" / "sitmap"), "--export", "y.geojson"], cwd=empty, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and (empty / "y.geojson").stat().st_size > 1000, r.stderr[-2000:]
