"""Item 7: damaged review and recovery stores give one StoreError line, never TypeError or
InvalidOperation; recovery offers what it can still read; saves use unpredictable short temp
names in the target folder and clean up after a killed save; recovery.sqlite3 is private."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tabledesk.exports.atomic import temp_prefix
from tabledesk.review.review import Review
from tabledesk.store.errors import StoreError
from tabledesk.store.review_files import load_review_file, open_recovery_store, save_review_file
from tests.conftest import REPO
from tests.robustness.generators import STORE_DAMAGE, tamper_store


@pytest.fixture(scope="module")
def saved(reports, tmp_path_factory) -> Path:
    review = Review.open(reports["txt"])
    path = tmp_path_factory.mktemp("saved") / "r.tdreview"
    save_review_file(review.document, path)
    return path


@pytest.mark.parametrize("how", STORE_DAMAGE)
def test_damaged_review_file_gives_one_store_error_line(saved, tmp_path, how) -> None:
    path = Path(shutil.copy(saved, tmp_path / "r.tdreview"))
    tamper_store(path, how)
    with pytest.raises(StoreError) as err:
        load_review_file(path)
    text = str(err.value)
    assert text.startswith(f"{path}: ") and "\n" not in text and len(text) < len(str(path)) + 200
    assert "Traceback" not in text and "CodecError" not in text


def test_recovery_offers_the_sessions_it_can_read(reports, tmp_path) -> None:
    """One session with a bad timestamp and one with no snapshot: the third is still offered,
    and restoring the damaged one is one StoreError line."""
    store = open_recovery_store(tmp_path)
    doc = Review.open(reports["txt"]).document
    ids = []
    for _ in range(3):
        session = store.start_session(doc)
        ids.append(session.id)
        session._lock.release(remove=False)  # its window "crashed": the lock is gone
    con = store.conn
    con.execute("UPDATE sessions SET updated = 'garbage' WHERE id = ?", (ids[0],))
    con.execute("DELETE FROM snapshots WHERE session_id = ?", (ids[1],))
    offered = [s.id for s in store.recoverable()]
    assert offered == [ids[1], ids[2]]
    with pytest.raises(StoreError, match="snapshot is missing"):
        store.restore(ids[1])
    assert store.restore(ids[2]).document.tables
    store.close()


def test_recovery_store_is_private(tmp_path) -> None:
    if os.name == "nt":
        pytest.skip("POSIX permissions")
    old = os.umask(0o022)
    try:
        store = open_recovery_store(tmp_path / "data")
        store.close()
        path = tmp_path / "data" / "recovery.sqlite3"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        os.chmod(path, 0o644)  # made by an older version
        open_recovery_store(tmp_path / "data").close()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_review_save_temp_is_short_unpredictable_and_removed_after_a_kill(reports, tmp_path) -> None:
    """A save killed mid-way leaves its temp file; the next save of the same review removes it.
    Temp names do not grow with the target's name, so a 240-byte name still saves."""
    doc = Review.open(reports["txt"]).document
    target = tmp_path / ("报" * 78 + ".tdreview")  # 78 * 3 + 9 = 243 bytes
    assert len(target.name.encode()) > 240
    left = tmp_path / (temp_prefix(target) + "abcdefgh.tmp")
    left.write_bytes(b"half a database")  # what a killed save leaves
    (tmp_path / "other.tmp").write_bytes(b"not ours")
    save_review_file(doc, target)
    assert load_review_file(target).document.tables
    assert not left.exists() and (tmp_path / "other.tmp").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, "other.tmp"])


def test_killed_save_leaves_no_predictable_name(reports, tmp_path) -> None:
    """The temp file of a save is made by mkstemp: a name known in advance (a symlink planted
    there by someone else) is never opened."""
    doc = Review.open(reports["txt"]).document
    target = tmp_path / "r.tdreview"
    planted = tmp_path / f".{target.name}.{os.getpid()}.tmp"  # the old fixed name
    victim = tmp_path / "victim"
    victim.write_text("keep me", encoding="utf-8")
    planted.symlink_to(victim)
    save_review_file(doc, target)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_bad_recovery_store_at_start_up_prints_no_traceback(tmp_path) -> None:
    """The window's start-up path over a store with a damaged row: no traceback on stderr."""
    data = tmp_path / "data"
    code = (
        "import sys; from pathlib import Path\n"
        "from tabledesk.store.review_files import open_recovery_store\n"
        "s = open_recovery_store(Path(sys.argv[1]))\n"
        "print(len(s.recoverable()))\n"
    )
    store = open_recovery_store(data)
    store.conn.execute(
        "INSERT INTO sessions (kind, created, updated, source_path, source_sha256, template_id,"
        " format_id, agency, review_status) VALUES ('autosave', 'x', 'y', 'a', 'b', 'c', 'd', 'e', 'f')"
    )
    store.close()
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    p = subprocess.run(
        [sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env, timeout=60
    )
    assert p.returncode == 0 and p.stdout.strip() == "0"
    assert "Traceback" not in p.stderr
