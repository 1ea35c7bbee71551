"""Ingest fault tolerance: a run killed at any point, run again, leaves the store a clean run
leaves; a full disk stops the run with one line and keeps every document stored before it whole.

The killed runs are real `dxatlas ingest` processes (serial, and with `--workers`), killed with
SIGKILL once the store holds a random number of documents (the test watches the store).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

from dxatlas.cli.app import app
from dxatlas.settings import get_settings
from tests.ingest.corpus import write_corpus
from tests.ingest.store_contents import document_count, duplicates, store_contents
from tests.ingest.toy_world import toy_environment

DOCUMENTS = 200
REPEATS = len(range(9, DOCUMENTS, 40))  # records that repeat an earlier one's text
DXATLAS = str(Path(sys.executable).with_name("dxatlas"))


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    """A folder in memory (/dev/shm) when there is one: a killed process loses nothing there
    that it would not lose on disk, and commits cost no disk flush."""
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="dxatlas-faults-", dir=base) as name:
        yield Path(name)


@pytest.fixture(scope="module")
def env(folder: Path) -> dict[str, str]:
    """The environment of every run: the toy knowledge base, its index built once."""
    return {**os.environ, **toy_environment(folder), "DXATLAS_INGEST_BATCH_SIZE": "8"}


@pytest.fixture(scope="module")
def corpus(folder: Path) -> list[str]:
    """A few hundred small records in three files. Records name the made-up diseases of earlier
    records only: a concept made for a record still in flight when a distributed run is killed
    is known from the start of the next run (see `ingest.cluster.feeder`)."""
    (folder / "corpus").mkdir()
    return [
        str(path)
        for path in write_corpus(folder / "corpus", DOCUMENTS, mentions="earlier", files=3)
    ]


def ingest(env: dict[str, str], database: Path, *args: str) -> subprocess.Popen[str]:
    """Start `dxatlas ingest` on the store `database`."""
    return subprocess.Popen(
        [DXATLAS, "ingest", *args],
        env={**env, "DXATLAS_DATABASE_URL": f"sqlite:///{database}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    """Wait for a run to end well; its output."""
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return out


@pytest.fixture(scope="module")
def reference(folder: Path, env: dict[str, str], corpus: list[str]) -> dict[str, Any]:
    """The store a clean serial run leaves."""
    database = folder / "reference.db"
    with pytest.MonkeyPatch.context() as patch:  # in this process: no interpreter to start
        for name in ("DXATLAS_HPO_DATA_DIR", "DXATLAS_CACHE_DIR", "DXATLAS_DATA_DIR"):
            patch.setenv(name, env[name])
        patch.setenv("DXATLAS_DATABASE_URL", f"sqlite:///{database}")
        get_settings.cache_clear()
        done = CliRunner().invoke(app, ["ingest", *corpus])
    get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    contents = store_contents(database)
    assert len(contents["documents"]) == DOCUMENTS - REPEATS
    return contents


def kill_when_stored(process: subprocess.Popen[str], database: Path, documents: int) -> None:
    """SIGKILL `process` (and see its worker processes go with it) once the store holds at least
    `documents` documents; the run must not have ended by then."""
    deadline = time.monotonic() + 120
    while document_count(database) < documents:
        assert process.poll() is None, f"the run ended before {documents} documents were stored"
        assert time.monotonic() < deadline, "the run stored too little in two minutes"
        time.sleep(0.01)  # polling the store, the run's only visible progress
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    _, alive = psutil.wait_procs(children, timeout=30)
    for orphan in alive:
        orphan.kill()
    assert not alive, f"worker processes outlived the killed run: {alive}"


def assert_whole(database: Path, reference: dict[str, Any], seed: int) -> None:
    contents = store_contents(database)
    assert duplicates(contents) == {"documents": [], "evidence": []}, f"seed {seed}"
    for table, rows in reference.items():
        assert contents[table] == rows, f"{table} differ from the clean run's (seed {seed})"


@pytest.mark.parametrize(
    "runs",
    [
        pytest.param((["serial", "serial"], "serial"), id="serial-killed-twice"),
        pytest.param((["workers"], "serial"), id="workers-killed"),
    ],
)
def test_a_killed_run_run_again_leaves_the_clean_store(
    folder: Path,
    env: dict[str, str],
    corpus: list[str],
    reference: dict[str, Any],
    runs: tuple[list[str], str],
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    killed, last = runs
    database = Path(tempfile.mkdtemp(dir=folder)) / "store.db"
    options = {"serial": [], "workers": ["--workers", "2"]}
    stored = 0
    for mode in killed:
        stored = rng.randint(stored + 1, stored + DOCUMENTS // 3)
        kill_when_stored(ingest(env, database, *corpus, *options[mode]), database, stored)
        stored = document_count(database)
    output = finish(ingest(env, database, *corpus, *options[last]))
    assert f"stored {DOCUMENTS - REPEATS - stored} new document(s)" in output, f"seed {seed}"
    assert_whole(database, reference, seed)


@pytest.fixture
def page_limit() -> Iterator[Callable[[int], None]]:
    """Limit every SQLite connection made from now on to N pages (a disk that is full)."""
    limits: list[int] = []

    def on_connect(connection: Any, _record: Any) -> None:
        if limits:
            connection.execute(f"PRAGMA max_page_count = {limits[-1]}")

    event.listen(Engine, "connect", on_connect)
    try:
        yield limits.append
    finally:
        event.remove(Engine, "connect", on_connect)


@pytest.mark.parametrize("cluster", [False, True], ids=["serial", "scheduler"])
def test_a_full_disk_stops_the_run_with_one_line_and_keeps_what_was_stored(
    folder: Path,
    env: dict[str, str],
    corpus: list[str],
    reference: dict[str, Any],
    page_limit: Callable[[int], None],
    monkeypatch: pytest.MonkeyPatch,
    cluster: bool,
) -> None:
    import sqlite3

    from distributed import LocalCluster

    from dxatlas.store import Store

    database = Path(tempfile.mkdtemp(dir=folder)) / "small.db"
    for name in ("DXATLAS_HPO_DATA_DIR", "DXATLAS_CACHE_DIR", "DXATLAS_INGEST_BATCH_SIZE"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.setenv("DXATLAS_DATABASE_URL", f"sqlite:///{database}")
    get_settings.cache_clear()
    Store.open(f"sqlite:///{database}").close()  # the schema, with room to spare
    with sqlite3.connect(database) as connection:
        empty = connection.execute("PRAGMA page_count").fetchone()[0]
    with sqlite3.connect(folder / "reference.db") as connection:
        full = connection.execute("PRAGMA page_count").fetchone()[0]
    page_limit(empty + (full - empty) // 3)
    runner = CliRunner()
    if cluster:
        with LocalCluster(
            n_workers=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
        ) as local:
            result = runner.invoke(app, ["ingest", *corpus, "--scheduler", local.scheduler_address])
    else:
        result = runner.invoke(app, ["ingest", *corpus])
    page_limit(1 << 30)
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert line.startswith("error: ") and f"database sqlite:///{database}" in line
    assert "database or disk is full" in line and "nothing of it stored" in line
    # What was stored is whole: each stored document exactly as the clean run stored it.
    contents = store_contents(database)
    stored = {row[0] for row in contents["documents"]}
    assert 0 < len(stored) < len(reference["documents"])
    for table in ("documents", "sentences"):
        assert contents[table] == [row for row in reference[table] if row[0] in stored]
    assert duplicates(contents) == {"documents": [], "evidence": []}
    failed = line.split(" (", 1)[1].split(")", 1)[0]  # the record named: `FILE (ID): ...`
    assert failed.startswith("gen/") and failed not in {row[1] for row in contents["documents"]}
    # Records are numbered in corpus order from 0. A serial run stops at the record it stores;
    # a distributed run may stop at a record it reads (making its focus), the writer behind it.
    kept = re.search(r"; (\d+) document\(s\) of this run are stored", line)
    assert kept is not None
    if cluster:
        assert len(stored) <= int(kept[1]) <= int(failed[4:9])
    else:
        assert int(kept[1]) == int(failed[4:9])
    # The run goes on from there once there is room.
    get_settings.cache_clear()
    again = runner.invoke(app, ["ingest", *corpus])
    get_settings.cache_clear()
    assert again.exit_code == 0, again.output
    assert_whole(database, reference, 0)
