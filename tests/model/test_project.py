import os
import time

from viewer.model.project import write_atomic


def test_a_save_keeps_the_files_permissions(tmp_path):
    p = tmp_path / "p.geojson"
    p.write_bytes(b"old")
    os.chmod(p, 0o644)
    write_atomic(p, b"new", backup=True)
    assert p.read_bytes() == b"new" and (p.stat().st_mode & 0o777) == 0o644
    assert (tmp_path / "p.geojson.bak").read_bytes() == b"old"


def test_temp_files_left_by_a_killed_save_are_cleared_by_the_next(tmp_path):
    p = tmp_path / "p.geojson"
    stale = tmp_path / ".p.geojson.abc123.tmp"
    stale.write_bytes(b"partial")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    write_atomic(p, b"new")
    assert not stale.exists() and p.read_bytes() == b"new"
