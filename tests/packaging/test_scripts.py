"""The README's command that sets up and runs the app (scripts/run.sh) from another folder: the
files it is given and writes are where the user's folder says. (It went to the repository's
folder first: "pts.geojson: file not found" for a file that was there.) A second start does not
install the project again (a stamp in the environment says it is installed)."""

import json
import subprocess

from tests.packaging.conftest import ROOT, clean_env


def test_run_sh_reads_and_writes_paths_relative_to_the_folder_it_is_run_in(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "pts.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Bern"}, "geometry": {"type": "Point", "coordinates": [7.44, 46.95]}}]}),
        encoding="utf-8")
    env = clean_env(tmp_path / "home", QT_QPA_PLATFORM="offscreen")
    for _ in range(2):  # (the second start: set up already)
        done = subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "in/pts.geojson", "--export", "out/pts.kml"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Bern" in (tmp_path / "out" / "pts.kml").read_text(encoding="utf-8")
        (tmp_path / "out" / "pts.kml").unlink()
    assert "pip" not in done.stdout + done.stderr  # (nothing installed again)
    assert (ROOT / ".venv" / ".sitmap-installed").read_text().strip() in ("app", "test")
