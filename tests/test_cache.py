"""The result cache (--cache, flowgraph.batch.Cache) with hostile or broken contents:
an entry that is not whole or not flowgraph's is audited again, a folder that cannot be
used is one line before any work, a result that cannot be stored is one warning line
and the audit goes on, never a traceback (docs/security.md, "Running")."""
from __future__ import annotations

import errno
import hashlib
import os
import pickle
import shutil
import stat
import tempfile

import pytest
from click.testing import CliRunner

import flowgraph.batch as batch
from flowgraph.batch import Cache
from flowgraph.cli import main
from flowgraph.config import Config

from .conftest import ENGLISH, ROOT


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    for sample in sorted((ROOT / "flowcharts").glob("*.yaml"))[:5]:
        folder.mkdir(exist_ok=True)
        shutil.copy(sample, folder / sample.name)
    return folder


@pytest.fixture
def expected(inputs):
    """The report without a cache."""
    result = run("audit", "--format", "json", "-j", "1", inputs)
    assert result.exit_code in (0, 1)
    return result


def audit(inputs, cache):
    return run("audit", "--format", "json", "-j", "1", "--cache", cache, inputs)


def entries(cache):
    return sorted(cache.rglob("*.pickle"))


def test_a_new_cache_folder_is_private_and_its_entries_carry_a_header(inputs, expected,
                                                                      tmp_path):
    cache = tmp_path / "cache"
    assert audit(inputs, cache).output == expected.output
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    found = entries(cache)
    assert len(found) == 5
    for entry in found:
        data = entry.read_bytes()
        start = len(Cache.HEADER) + 32
        assert data.startswith(Cache.HEADER)
        assert hashlib.sha256(data[start:]).digest() == data[len(Cache.HEADER):start]


def _damage(entry, how: str) -> None:
    data = entry.read_bytes()
    start = len(Cache.HEADER) + 32
    payload = {
        "empty": b"",
        "truncated": data[:len(data) // 2],
        "foreign": b"\x89PNG\r\n\x1a\n" + os.urandom(200),
        "flipped byte": data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],
        "old format (a bare pickle)": data[start:],
        "not a result": _entry(pickle.dumps({"path": "x"})),
        "an unknown class": _entry(pickle.dumps(Config())[:-1].replace(
            b"flowgraph.config", b"flowgraph.nowhere") + b"."),
        "garbage with a valid digest": _entry(os.urandom(300)),
    }[how]
    entry.write_bytes(payload)


def _entry(payload: bytes) -> bytes:
    return Cache.HEADER + hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize("how", ["empty", "truncated", "foreign", "flipped byte",
                                 "old format (a bare pickle)", "not a result",
                                 "an unknown class", "garbage with a valid digest"])
def test_a_damaged_or_foreign_entry_is_audited_again_and_replaced(inputs, expected,
                                                                  tmp_path, how):
    cache = tmp_path / "cache"
    audit(inputs, cache)
    for entry in entries(cache):
        _damage(entry, how)
    again = audit(inputs, cache)
    assert (again.exit_code, again.output) == (expected.exit_code, expected.output)
    assert all(entry.read_bytes().startswith(Cache.HEADER) for entry in entries(cache))
    third = audit(inputs, cache)  # from the cache again
    assert third.output == expected.output


def test_foreign_files_beside_the_entries_are_left_alone(inputs, expected, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / "notes.txt").write_text("mine", "utf-8")
    (cache / "ab").mkdir()
    (cache / "ab" / "x.pickle").write_bytes(b"not ours")
    assert audit(inputs, cache).output == expected.output
    assert (cache / "notes.txt").read_text("utf-8") == "mine"
    assert (cache / "ab" / "x.pickle").read_bytes() == b"not ours"


def test_shard_names_taken_by_files_cost_the_cache_not_the_audit(inputs, expected, tmp_path):
    """Every shard's folder name is a regular file: nothing can be stored, the report is
    whole, and one warning line says so."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    for number in range(256):
        (cache / f"{number:02x}").write_text("taken", "utf-8")
    result = audit(inputs, cache)
    assert result.exit_code == expected.exit_code
    assert result.stdout == expected.output
    warning = result.stderr.splitlines()
    assert len(warning) == 1 and warning[0].startswith(
        f"warning: 5 result(s) could not be stored in the cache {cache} (first: {cache}/")
    assert warning[0].endswith("); they will be audited again next time")
    assert "Traceback" not in result.output


def test_a_full_disk_costs_the_cache_not_the_audit(inputs, expected, tmp_path, monkeypatch):
    import flowgraph.files as files

    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files, "write_atomic", full)
    result = audit(inputs, tmp_path / "cache")
    assert result.stdout == expected.output
    assert "warning: 5 result(s) could not be stored" in result.stderr
    assert "No space left on device" in result.stderr


@pytest.mark.parametrize("where, reason", [
    ("a-file/cache", "Not a directory"),
    ("a-file/deeper/cache", "Not a directory"),
])
def test_a_cache_under_a_file_is_one_line_before_any_work(inputs, tmp_path, where, reason):
    (tmp_path / "a-file").write_text("x", "utf-8")
    folder = tmp_path / where
    result = audit(inputs, folder)
    assert result.exit_code == 2
    assert result.output == f"Error: {folder}: unusable cache folder: {reason}\n"


def test_a_cache_that_is_a_file_is_refused(inputs, tmp_path):
    (tmp_path / "cache").write_text("x", "utf-8")
    result = audit(inputs, tmp_path / "cache")
    assert result.exit_code == 2 and "is a file" in result.output
    assert (tmp_path / "cache").read_text("utf-8") == "x"


def test_a_cache_others_may_write_to_is_refused(inputs, tmp_path):
    """Whoever writes a pickle there runs code as the user who audits."""
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    result = audit(inputs, cache)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {cache}: unusable cache folder: it belongs to another user or others "
        f"may write to it, and whoever can write to a cache can run code as you (use a "
        f"private folder: chmod go-w)\n")
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder away takes root")
def test_a_cache_of_another_user_is_refused(inputs, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    os.chown(cache, 65534, 65534)  # nobody
    result = audit(inputs, cache)
    assert result.exit_code == 2 and "belongs to another user" in result.output


def test_an_unwritable_cache_is_one_line(inputs, tmp_path, monkeypatch):
    """As root every folder is writable: the refusal is simulated."""
    def refused(**_options):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    cache = tmp_path / "cache"
    result = audit(inputs, cache)
    assert result.exit_code == 2
    assert result.output == \
        f"Error: {cache}: unusable cache folder: cannot write to it: Permission denied\n"


def test_the_key_of_a_fifo_is_none_at_once(tmp_path):
    fifo = tmp_path / "chart.yaml"
    os.mkfifo(fifo)
    assert Cache(tmp_path / "cache", Config()).key(str(fifo)) is None


def test_a_file_name_that_is_not_utf_8_has_a_key(tmp_path):
    name = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xff\xfe.yaml")
    other = tmp_path / "other.yaml"
    for path in (name, other):
        with open(path, "w", encoding="utf-8") as stream:
            stream.write("flowgraph: 1\n")
    cache = Cache(tmp_path / "cache", Config())
    assert cache.key(name) is not None and cache.key(name) != cache.key(str(other))


def test_a_folder_has_no_key(tmp_path):
    assert Cache(tmp_path / "cache", Config()).key(str(tmp_path)) is None


def test_an_entry_of_another_layout_is_another_key(tmp_path, monkeypatch):
    """Records pickle as constructor calls with their fields in order: a change of
    fields changes every key, so that no entry is read with the wrong fields."""
    before = Cache(tmp_path / "cache", Config()).salt
    monkeypatch.setattr(batch, "_layout", lambda: ("Step", ("id", "kind", "renamed")))
    assert Cache(tmp_path / "cache", Config()).salt != before
