"""The Dask cluster a run uses: a local one of N worker processes, or an existing scheduler's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dxatlas.ingest.cluster.errors import ClusterError

if TYPE_CHECKING:
    from distributed import Client

_QUIET = ("distributed", "tornado", "asyncio")  # their warnings would spill into our output


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """Dask's own logging at ERROR only while the run lasts (shutdown chatter is expected)."""
    loggers = [logging.getLogger(name) for name in _QUIET]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def probe_scheduler(address: str, timeout: float) -> None:
    """Raise `ClusterError` unless something answers at `address` within `timeout` seconds.

    Checked with one bare connection before a `Client` is made, because a `Client` that fails to
    connect leaves a stack trace behind when it is garbage-collected.
    """
    from distributed.comm import connect

    async def knock() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(knock())
    except ValueError as error:  # no port, unknown scheme
        raise ClusterError(f"--scheduler {address!r}: {error} (expected tcp://HOST:PORT)") from None
    except (OSError, TimeoutError) as error:
        raise ClusterError(
            f"--scheduler {address}: no Dask scheduler answers there ({error})"
        ) from None


@contextmanager
def cluster_client(
    workers: int | None, scheduler: str | None, *, timeout: float = 10.0
) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, else of a local cluster of `workers` processes
    (one thread each) on 127.0.0.1; both are closed when the block ends, however it ends."""
    from distributed import Client, LocalCluster

    with _quiet_logs():
        if scheduler:
            probe_scheduler(scheduler, timeout)
            try:
                client = Client(scheduler, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as error:
                raise ClusterError(f"--scheduler {scheduler}: {error}") from None
            try:
                _wait_for_a_worker(client, scheduler, timeout)
                yield client
            finally:
                client.close()
            return
        cluster = LocalCluster(
            n_workers=workers or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
        try:
            with Client(cluster, set_as_default=False) as client:
                yield client
        finally:
            cluster.close()


def _wait_for_a_worker(client: Client, address: str, timeout: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterError(
            f"--scheduler {address}: the cluster has no worker (waited {timeout:g} s)"
        ) from None
