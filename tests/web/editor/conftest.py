"""The editor tools' tests use the community tests' app (toy knowledge base, a store with one user
concept and its evidence sentence) and their signed-in clients; the ingest tests also use the
ingestion tests' local HTTP server."""

from __future__ import annotations

from tests.ingest.conftest import local_server
from tests.web.community.conftest import anonymous, app, community, concept_id, signed_in

__all__ = ["anonymous", "app", "community", "concept_id", "local_server", "signed_in"]
