"""Why a distributed (or serial) ingest run stops: an unusable cluster, or a document not stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dxatlas.ingest.document import Document
    from dxatlas.store.errors import StoreError


class ClusterError(Exception):
    """The cluster cannot be used (unreachable scheduler, no workers, workers that died or that
    cannot analyse); the message is one line for the user."""


class NotStored(Exception):
    """Storing (or finding the focus of) `document` failed with `error`; nothing of it is stored."""

    def __init__(self, document: Document, error: StoreError) -> None:
        super().__init__(str(error))
        self.document = document
        self.error = error
