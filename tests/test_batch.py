"""The batch engine: processes, order, the cache, results without graphs."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from click.testing import CliRunner

import flowgraph.batch as batch
import flowgraph.workers as workers
from flowgraph.batch import Cache, audit_paths
from flowgraph.cli import main
from flowgraph.config import Config

from .conftest import ENGLISH

SAMPLES = Path(__file__).resolve().parent.parent / "flowcharts"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], env=ENGLISH)


def test_parallel_and_serial_give_the_same_bytes_in_the_same_order(tmp_path, monkeypatch):
    shutil.copytree(SAMPLES, tmp_path / "in")
    (tmp_path / "in" / "broken.yaml").write_text("flowgraph: 1\n", "utf-8")
    monkeypatch.setattr(workers, "WORTH_WORKERS", 0)  # workers from the third file on
    monkeypatch.setattr(workers, "SAMPLE", 0)
    monkeypatch.setattr(workers, "free_cores", lambda _since: 2)
    serial = run("audit", "--format", "json", "-j", "1", tmp_path / "in")
    parallel = run("audit", "--format", "json", "-j", "2", tmp_path / "in")
    assert serial.exit_code == parallel.exit_code == 2
    assert serial.output == parallel.output
    text = run("audit", "-j", "2", tmp_path / "in")
    assert text.output == run("audit", "-j", "1", tmp_path / "in").output


def test_results_keep_steps_and_findings_but_not_graphs():
    result = next(audit_paths([str(SAMPLES / "fund-disbursement.yaml")], Config()))
    chart = result.charts[0]
    assert "flow" not in chart.flowchart.__dict__ and chart.findings
    assert len(pickle.dumps(result)) < 40_000
    assert chart.flowchart.flow.number_of_nodes() == len(chart.flowchart.steps)  # rebuilt


def test_the_cache_skips_unchanged_files_and_notices_changes(tmp_path, monkeypatch):
    shutil.copytree(SAMPLES, tmp_path / "in")
    cache = tmp_path / "cache"
    first = run("audit", "--format", "json", "--cache", cache, "-j", "1", tmp_path / "in")
    assert len(list(cache.rglob("*.pickle"))) == 18

    def must_not_run(path, *_config, **_options):
        raise AssertionError(f"{path} was audited again")
    monkeypatch.setattr(batch, "audit_file", must_not_run)
    again = run("audit", "--format", "json", "--cache", cache, "-j", "1", tmp_path / "in")
    assert again.output == first.output
    monkeypatch.undo()
    # a changed file, or another configuration, is audited again
    target = tmp_path / "in" / "land-transfer.yaml"
    target.write_text(target.read_text("utf-8").replace("title: ", "title: 新"), "utf-8")
    changed = run("audit", "--format", "json", "--cache", cache, "-j", "1", tmp_path / "in")
    assert "新国有建设用地" in changed.output
    assert Cache(cache, Config()).salt != Cache(cache, Config(fail_on="error")).salt


def test_a_damaged_cache_entry_is_recomputed(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "in")
    cache = tmp_path / "cache"
    first = run("audit", "--format", "json", "--cache", cache, tmp_path / "in")
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert run("audit", "--format", "json", "--cache", cache, tmp_path / "in").output == \
        first.output
