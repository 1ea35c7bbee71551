"""The store's errors: each carries one line a user can act on (the CLI prints it, exit 2)."""

from __future__ import annotations


class StoreError(Exception):
    """Anything the store refuses or cannot do; the message is one line, fit for the user."""


class DatabaseUnavailable(StoreError):
    """The database URL is invalid, its driver is missing or the database cannot be reached."""


class ConceptConflict(StoreError):
    """A concept edit clashes with the store: a duplicate name, an unknown parent, a bad id."""


class UnknownConcept(StoreError):
    """No concept has the id, name or synonym asked for."""


class OntologyFileError(StoreError):
    """An ontology file is missing, unreadable or malformed; the message names the file."""
