"""--executor dask: the same batch on a Dask cluster (here a local one) gives the same
report, byte for byte, as local processes; usage errors are clear."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from flowgraph.cli import main

from .conftest import ROOT

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local.scheduler_address


@pytest.fixture
def tree(tmp_path):
    for sample in sorted((ROOT / "flowcharts").glob("*.yaml"))[:6]:
        shutil.copy(sample, tmp_path / sample.name)
    (tmp_path / "broken.yaml").write_text("flowgraph: 1\ntitle: [\n", "utf-8")
    return tmp_path


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_report(cluster, tree):
    runner = CliRunner()
    local = runner.invoke(main, ["audit", str(tree), "--format", "json"])
    remote = runner.invoke(main, ["audit", str(tree), "--format", "json",
                                  "--executor", "dask", "--scheduler", cluster])
    assert remote.exit_code == local.exit_code == 2  # the broken file
    assert remote.output == local.output
    assert '"path": "' + str(tree / "broken.yaml") + '"' in remote.output


@pytest.mark.slow
def test_stats_on_a_dask_cluster(cluster, tree):
    runner = CliRunner()
    args = ["stats", str(tree), "--format", "json"]
    assert runner.invoke(main, [*args, "--executor", "dask", "--scheduler", cluster]).output \
        == runner.invoke(main, args).output


@pytest.mark.parametrize("args, words", [
    (["--executor", "dask"], "--executor dask needs --scheduler ADDRESS"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler goes with --executor dask"),
])
def test_executor_usage_errors(tree, args, words):
    result = CliRunner().invoke(main, ["audit", str(tree), "--lang", "en", *args])
    assert result.exit_code == 2 and words in result.output


@pytest.mark.slow
def test_a_file_the_cluster_fails_on_is_reported_and_the_rest_audited(cluster, tree,
                                                                      monkeypatch):
    """A task that dies on the cluster (here: its function raises there, as a lost
    worker does) costs that file only."""
    import flowgraph.batch as batch

    def explode(path, config):
        if path.endswith("broken.yaml"):
            raise MemoryError("worker lost")
        return batch.audit_file(path, config)

    with distributed.Client(cluster, set_as_default=False) as client:
        monkeypatch.setattr(batch, "audit_file", explode)
        results = list(batch._on_cluster(client, sorted(str(p) for p in tree.iterdir()),
                                         batch.Config()))
    failed = [r for r in results if r.error is not None]
    assert [r.path for r in failed] == [str(tree / "broken.yaml")]
    assert "the Dask cluster could not audit this file: MemoryError" in str(failed[0].error)
    assert all(r.charts for r in results if r.error is None) and len(results) == 7
