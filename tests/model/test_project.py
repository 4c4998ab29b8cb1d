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


def test_pieces_are_written_as_they_come_and_an_error_among_them_leaves_the_file_as_it_was(tmp_path):
    import pytest

    p = tmp_path / "p.geojson"
    write_atomic(p, (part for part in (b"a", b"bc", b"", b"d")))
    assert p.read_bytes() == b"abcd"

    def failing():
        yield b"new"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(p, failing())
    assert p.read_bytes() == b"abcd" and sorted(x.name for x in tmp_path.iterdir()) == ["p.geojson"]


def test_a_large_maps_recovery_base_is_written_in_pieces_and_sized(tmp_path, monkeypatch):
    """The base of a large map is never joined in memory (a million points: 220 MB more at once)."""
    from tests.model.test_document import builtin
    from viewer.model import project

    seen = []
    real = project.write_atomic

    def spy(path, data, backup=False):
        seen.append(isinstance(data, (bytes, bytearray)))
        return real(path, data, backup)

    monkeypatch.setattr(project, "write_atomic", spy)
    doc = builtin()
    base = project._Base(tmp_path, "t", doc.scenario)
    base.run()
    assert seen[0] is False and base.size == base.path.stat().st_size > 0
    assert project.parse_scenario_bytes(base.path.read_bytes(), "base") == doc.scenario
