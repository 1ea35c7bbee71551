"""Inputs (file, folder, glob) to files, and the loader registry's lookup order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxatlas.ingest.document import Document, make_document
from dxatlas.ingest.errors import SourceError
from dxatlas.ingest.pipeline import load_files
from dxatlas.ingest.registry import Loader, LoaderRegistry, default_registry
from dxatlas.ingest.sources import resolve_inputs


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ["a.txt", "sub/b.html", "sub/deep/c.txt", ".hidden/d.txt", "sub/.e.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Text.")
    return tmp_path


def test_file_folder_and_glob(tree: Path) -> None:
    names = lambda paths: [p.relative_to(tree).as_posix() for p in paths]  # noqa: E731
    assert names(resolve_inputs([str(tree / "a.txt")])) == ["a.txt"]
    assert names(resolve_inputs([str(tree)])) == ["a.txt", "sub/b.html", "sub/deep/c.txt"]
    assert names(resolve_inputs([str(tree / "**" / "*.txt")])) == ["a.txt", "sub/deep/c.txt"]
    assert names(resolve_inputs([str(tree / "a.txt"), str(tree / "*.txt")])) == ["a.txt"]


def test_missing_inputs_are_named(tree: Path) -> None:
    with pytest.raises(SourceError, match=r"nothere\.txt: no such file or folder"):
        resolve_inputs([str(tree / "nothere.txt")])
    with pytest.raises(SourceError, match=r"\*\.pdf: no file matches this pattern"):
        resolve_inputs([str(tree / "*.pdf")])


def test_default_registry_picks_by_content(tmp_path: Path) -> None:
    registry = default_registry()
    cases = {
        "x.jsonl": b'{"text": "a"}',
        "x.xml": b"<?xml version='1.0'?><PubmedArticleSet>",
        "x.nbib": b"PMID- 123\nTI  - t",
        "x.bin": b"%PDF-1.7\n",
        "x.dat": b"<!DOCTYPE html><html>",
        "x.md": b"# Title\nText",
    }
    found = {name: registry.find(tmp_path / name, head).name for name, head in cases.items()}
    assert found == {
        "x.jsonl": "jsonl",
        "x.xml": "medline-xml",
        "x.nbib": "medline-text",
        "x.bin": "pdf",
        "x.dat": "html",
        "x.md": "text",
    }
    assert registry.find(tmp_path / "x.png", b"\x89PNG\x00\x00") is None


class ShoutLoader:
    """A loader for `.shout` files, registered by a test."""

    name = "shout"

    def can_load(self, path: Path, head: bytes) -> bool:
        return path.suffix == ".shout"

    def load(self, path: Path) -> Iterator[Document]:
        yield make_document(path.read_text().upper(), path=str(path))


def test_a_new_loader_can_be_registered_first(tmp_path: Path) -> None:
    registry = default_registry()
    loader = registry.register(ShoutLoader(), first=True)
    assert isinstance(loader, Loader)
    path = tmp_path / "a.shout"
    path.write_text("quiet words")
    (document,) = load_files([path], registry, 1000)
    assert document.text == "QUIET WORDS"
    assert len(LoaderRegistry([ShoutLoader()])) == 1
