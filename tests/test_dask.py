"""--executor dask: the same batch on a Dask cluster (here a local one) gives the same
report, byte for byte, as local processes; usage errors are clear, and an address that
is wrong or leads nowhere is one line within the connection timeout."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

import flowgraph.batch as batch
from flowgraph.cli import main
from flowgraph.errors import FlowgraphError

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
    paths = [file["path"] for file in json.loads(remote.output)["files"]]
    assert str(tree / "broken.yaml") in paths


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


# -- addresses that are wrong, schedulers that are not there ------------------------------


@pytest.mark.parametrize("address", [
    "garbage", "foo://host:8786", "tcp://host", "tcp://host:", "tcp://:8786",
    "tcp://host:99999", "tcp://host:0", "tcp://host:port", "tcp://[::1:8786",
    "tcp://::1:8786", "tcp://host:8786/path", "tcp://ho st:8786", "tcp://host:８７８６",
    "inproc://", "tcp://-host:8786",
])
def test_a_malformed_scheduler_address_is_one_line_at_once(tree, address):
    began = time.monotonic()
    result = CliRunner().invoke(main, ["audit", str(tree), "--lang", "en",
                                       "--executor", "dask", "--scheduler", address])
    assert time.monotonic() - began < 1
    assert result.exit_code == 2
    assert result.output == (f"Error: --scheduler: '{address}' is not a Dask scheduler "
                             f"address (expected tcp://host:port; schemes: tcp, tls, ws, "
                             f"wss, ucx, inproc)\n")


@pytest.mark.parametrize("address, expected", [
    ("tcp://127.0.0.1:8786", ("127.0.0.1", 8786)),
    ("127.0.0.1:8786", ("127.0.0.1", 8786)),
    ("tls://scheduler.example.org:8786", ("scheduler.example.org", 8786)),
    ("tcp://[::1]:8786", ("::1", 8786)),
    ("ws://dask_scheduler:1", ("dask_scheduler", 1)),
    ("inproc://192.0.2.2/123/1", (None, None)),
])
def test_well_formed_scheduler_addresses(address, expected):
    assert batch.scheduler_address(address) == expected


@pytest.fixture
def closed_port() -> int:
    """A local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_that_is_not_there_is_one_line_at_once(tree, closed_port):
    """Dask would retry for its whole timeout, then print a traceback at exit."""
    address = f"tcp://127.0.0.1:{closed_port}"
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "flowgraph", "audit", str(tree), "--lang", "en",
         "--executor", "dask", "--scheduler", address],
        cwd=ROOT, capture_output=True, text=True)
    assert time.monotonic() - began < batch.CONNECT_TIMEOUT
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"Error: cannot connect to the Dask scheduler {address}: "
                             f"Connection refused\n")


@pytest.fixture
def mute_server():
    """A port that accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


@pytest.mark.slow
def test_a_server_that_never_answers_costs_the_timeout_and_one_line(mute_server):
    """The connection is made, and Dask's client would wait for its handshake for ever."""
    address = f"tcp://127.0.0.1:{mute_server}"
    began = time.monotonic()
    with pytest.raises(FlowgraphError) as caught:
        batch.dask_client(address, timeout=1)
    assert 1 < time.monotonic() - began < 3
    assert caught.value.message.en == \
        f"cannot connect to the Dask scheduler {address}: no answer within 1 s"


def test_a_host_that_does_not_resolve_is_one_line_within_the_timeout():
    """A name under .invalid never resolves (RFC 6761); without DNS the lookup waits,
    and the timeout bounds it."""
    began = time.monotonic()
    with pytest.raises(FlowgraphError) as caught:
        batch.dask_client("tcp://no-such-scheduler.invalid:8786", timeout=1)
    assert time.monotonic() - began < 3
    assert "cannot connect to the Dask scheduler tcp://no-such-scheduler.invalid:8786: " \
        in str(caught.value)


def test_a_good_address_connects(cluster):
    client = batch.dask_client(cluster, timeout=1)
    try:
        assert client.status == "running"
    finally:
        client.close()
