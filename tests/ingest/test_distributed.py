"""`dxatlas ingest --workers N` and `--scheduler ADDRESS`: the same store as a serial run.

One test runs a real local cluster of worker processes; the others run the client logic against
an in-process stand-in (tasks deliberately out of order) or a thread-based cluster.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dxatlas.cli.app import app
from dxatlas.settings import get_settings
from tests.ingest.corpus import write_corpus
from tests.ingest.store_contents import duplicates, store_contents
from tests.ingest.toy_world import toy_environment

runner = CliRunner()


@dataclass(frozen=True)
class World:
    """The toy knowledge base, a corpus, and the store (and `--out` file) of a serial run."""

    folder: Path
    corpus: list[str]
    reference: Path
    out: Path
    output: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("distributed")
    (folder / "corpus").mkdir()
    corpus = [str(path) for path in write_corpus(folder / "corpus", 48)]
    with pytest.MonkeyPatch.context() as patch:
        for name, value in toy_environment(folder).items():
            patch.setenv(name, value)
        patch.setenv("DXATLAS_DASK_CONNECT_TIMEOUT_SECONDS", "5")
        patch.setenv("DXATLAS_DATABASE_URL", f"sqlite:///{folder / 'reference.db'}")
        get_settings.cache_clear()
        done = runner.invoke(app, ["ingest", *corpus, "--out", str(folder / "reference.jsonl")])
        assert done.exit_code == 0, done.output
        yield World(
            folder, corpus, folder / "reference.db", folder / "reference.jsonl", done.output
        )
    get_settings.cache_clear()


@pytest.fixture
def ingest_into(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[Path, Any]]:
    """Run `dxatlas ingest ARGS` into the SQLite store `name` of this test; (database, result)."""

    def run(name: str, *args: str, batch: int = 4) -> tuple[Path, Any]:
        database = tmp_path / f"{name}.db"
        monkeypatch.setenv("DXATLAS_DATABASE_URL", f"sqlite:///{database}")
        monkeypatch.setenv("DXATLAS_INGEST_BATCH_SIZE", str(batch))
        get_settings.cache_clear()
        result = runner.invoke(app, ["ingest", *args])
        get_settings.cache_clear()
        return database, result

    return run


def _summary(output: str) -> list[str]:
    """The run's two summary lines (documents read; evidence stored), without the time taken."""
    lines = output.splitlines()
    read = next(i for i, line in enumerate(lines) if line.startswith("documents read:"))
    return [lines[read].split(" (")[0], lines[read + 1]]


def _assert_same_store(reference: Path, other: Path) -> None:
    expected, got = store_contents(reference), store_contents(other)
    assert duplicates(got) == {"documents": [], "evidence": []}
    for table in expected:
        assert got[table] == expected[table], f"{table} differ"


class _InlineFuture:
    """A finished-on-demand task of `_BackwardsClient`."""

    def __init__(self, client: _BackwardsClient, call: Callable[[], Any]) -> None:
        self.client, self.call, self.value, self.finished = client, call, None, False

    def done(self) -> bool:
        return self.finished

    def result(self) -> Any:
        if not self.finished:
            self.client.run_waiting()
        return self.value

    def cancel(self) -> None:
        self.finished = True


class _BackwardsClient:
    """Stands in for a Dask client: runs tasks in this process, the latest submitted first, so
    workers see partitions out of order."""

    def __init__(self) -> None:
        self.waiting: list[_InlineFuture] = []

    def nthreads(self) -> dict[str, int]:
        return {"inline-1": 1, "inline-2": 1}

    def scatter(self, value: Any, **_: Any) -> Any:
        return value

    def submit(self, function: Callable[..., Any], *args: Any, **_: Any) -> _InlineFuture:
        future = _InlineFuture(self, lambda: function(*args))
        self.waiting.append(future)
        return future

    def run_waiting(self) -> None:
        for future in reversed(self.waiting):
            future.value, future.finished = future.call(), True
        self.waiting.clear()


def test_partitions_analysed_out_of_order_store_what_a_serial_run_stores(
    world: World, ingest_into: Callable[..., tuple[Path, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dxatlas.ingest.cluster import connect

    client = _BackwardsClient()

    @contextmanager
    def backwards(*_: Any, **__: Any) -> Iterator[_BackwardsClient]:
        yield client

    # The first file's run makes the concepts the store holds when the second file's run starts
    # (recognised apart from the knowledge base's names, in serial runs as in distributed ones).
    _, first = ingest_into("spread", world.corpus[0])
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(connect, "cluster_client", backwards)
    spread, result = ingest_into("spread", world.corpus[1], "--workers", "2", batch=3)
    assert result.exit_code == 0, result.output
    assert "analyser rebuild(s)" in result.output  # partitions did arrive out of order
    _assert_same_store(world.reference, spread)
    concepts = store_contents(spread)["concepts"]
    assert sum(row[3] == "literature" for row in concepts) >= 20  # made for declared foci


def test_workers_2_store_what_a_serial_run_stores(
    world: World, ingest_into: Callable[..., tuple[Path, Any]], tmp_path: Path
) -> None:
    """The one run on real worker processes (a local cluster of two)."""
    out = tmp_path / "spread.jsonl"
    spread, result = ingest_into("spread", *world.corpus, "--workers", "2", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "analysed on a Dask cluster of 2 worker(s)" in result.output
    assert _summary(result.output) == _summary(world.output)
    _assert_same_store(world.reference, spread)
    assert out.read_text() == world.out.read_text()


def test_scheduler_runs_on_an_existing_cluster(
    world: World, ingest_into: Callable[..., tuple[Path, Any]]
) -> None:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=2,  # two tasks at once in one process: the analyser is shared safely
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        spread, result = ingest_into(
            "spread", *world.corpus, "--scheduler", cluster.scheduler_address
        )
    assert result.exit_code == 0, result.output
    _assert_same_store(world.reference, spread)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("nonsense", "missing port number"),
        ("http://127.0.0.1:8786", "unknown address scheme 'http'"),
    ],
)
def test_a_malformed_scheduler_address_is_one_line(
    world: World, ingest_into: Callable[..., tuple[Path, Any]], address: str, says: str
) -> None:
    _, result = ingest_into("x", world.corpus[0], "--scheduler", address)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: --scheduler {address!r}: ") and says in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_scheduler_nobody_answers_at_is_one_line_on_stderr(world: World, tmp_path: Path) -> None:
    """In a process of its own, so that nothing printed at exit (a garbage-collected client's
    complaint) can escape the check."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "DXATLAS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "DXATLAS_DASK_CONNECT_TIMEOUT_SECONDS": "0.5",
    }
    command = [str(Path(sys.executable).with_name("dxatlas")), "ingest", world.corpus[0]]
    done = subprocess.run(
        [*command, "--scheduler", address], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: --scheduler {address}: no Dask scheduler answers")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stdout == ""


def test_workers_and_scheduler_are_exclusive_and_need_the_store(world: World) -> None:
    corpus = world.corpus
    both = runner.invoke(
        app, ["ingest", str(corpus[0]), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert both.exit_code == 2 and "give one of them" in both.output
    no_store = runner.invoke(app, ["ingest", str(corpus[0]), "--workers", "2", "--no-store"])
    assert no_store.exit_code == 2
    assert no_store.output.strip() == "error: --workers needs the store; drop --no-store"
    assert runner.invoke(app, ["ingest", str(corpus[0]), "--workers", "0"]).exit_code == 2
