"""The `dxatlas ingest` and `dxatlas sentences` commands through Typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli.app import app
from dxatlas.settings import get_settings
from tests.ingest.conftest import LocalServer

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("DXATLAS_MAX_DOCUMENT_BYTES", "DXATLAS_NCBI_EUTILS_URL", "DXATLAS_NCBI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_nothing_to_ingest() -> None:
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2
    assert "nothing to ingest" in result.output


@pytest.mark.parametrize("name", ["missing.txt", "*.nomatch"])
def test_missing_input_is_one_clean_line(tmp_path: Path, name: str) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / name)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and name in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_nothing_readable_exits_1_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 1
    assert "skipped: " in result.output and "empty file" in result.output
    assert "failed: " in result.output and "broken.pdf" in result.output
    assert "documents read: 0, skipped: 2, failed: 1" in result.output


def test_good_and_bad_files_with_out(
    tmp_path: Path, make_pdf: Callable[[list[str]], bytes]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "Rash\n\nThe rash spread.It itched [2]. Dr. Lee saw it."
    )
    (tmp_path / "docs" / "b.pdf").write_bytes(make_pdf(["A nodule was seen on the", "arm."]))
    (tmp_path / "docs" / "c.pdf").write_bytes(b"%PDF-1.4\nnot really")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["ingest", str(tmp_path / "docs"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "documents read: 2, skipped: 0, failed: 1; sentences: 5" in result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [Path(r["path"]).name for r in records] == ["a.txt", "b.pdf"]
    first = records[0]
    assert [s["text"] for s in first["sentences"]] == [
        "Rash",
        "The rash spread.",
        "It itched [2].",
        "Dr. Lee saw it.",
    ]
    for sentence in first["sentences"]:
        assert first["text"][sentence["start"] : sentence["end"]] == sentence["text"]
    assert records[1]["sentences"][0]["text"] == "A nodule was seen on the arm."
    assert first["content_hash"] and first["id"].startswith("sha256:")


def test_out_file_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--out", str(tmp_path / "no/x")]
    )
    assert result.exit_code == 2
    assert "error: --out" in result.output


def test_size_limit_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXATLAS_MAX_DOCUMENT_BYTES", "10")
    get_settings.cache_clear()
    (tmp_path / "a.txt").write_text("A sentence longer than ten bytes.")
    result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt")])
    assert result.exit_code == 1
    assert "over the size limit of 10" in result.output


def test_urls_and_pubmed(local_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from dxatlas.ingest.online.ratelimit import RateLimiter
    from tests.ingest.test_online import EFETCH, ESEARCH, PAGE  # the client tests' answers

    monkeypatch.setattr(RateLimiter, "wait", lambda self: 0.0)
    monkeypatch.setenv("DXATLAS_NCBI_EUTILS_URL", f"{local_server.url}/eutils/")
    get_settings.cache_clear()
    local_server.add("/eutils/esearch.fcgi", ESEARCH, "text/xml")
    local_server.add("/eutils/efetch.fcgi", EFETCH, "text/xml")
    local_server.add("/page", PAGE)
    result = runner.invoke(
        app,
        [
            "ingest",
            f"{local_server.url}/page",
            "--url",
            f"{local_server.url}/gone",
            "--pubmed",
            "rash",
            "--max",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"failed: {local_server.url}/gone: HTTP 404" in result.output
    assert "documents read: 3, skipped: 0, failed: 1" in result.output


def test_max_must_be_positive(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--max", "0"]).exit_code == 2


def test_sentences_command_shows_and_times(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First one here. Second one, e.g. this.\n\nThird")
    result = runner.invoke(app, ["sentences", str(tmp_path / "a.txt"), "--show", "--repeat", "2"])
    assert result.exit_code == 0, result.output
    assert "a.txt: 3 sentences" in result.output
    assert "[16:38] Second one, e.g. this." in result.output
    assert "sentences/s" in result.output
    missing = runner.invoke(app, ["sentences", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_a_malformed_url_fails_alone_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The rash spread.")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--url", "http://[::1", "--no-store"]
    )
    assert result.exit_code == 0, result.output
    assert "failed: http://[::1: not a valid URL" in result.output
    assert "documents read: 1, skipped: 0, failed: 1" in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def store_url(toy_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The toy knowledge base and a store in a folder of its own (not created until opened)."""
    database = tmp_path / "store" / "dxatlas.db"
    monkeypatch.setenv("DXATLAS_DATABASE_URL", f"sqlite:///{database}")
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()


def test_an_unwritable_out_folder_fails_before_the_store_is_opened(
    store_url: Path, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("The rash spread.")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--out", str(tmp_path / "missing" / "x.jsonl")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("error: --out") and "Traceback" not in result.output
    assert not store_url.parent.exists()  # the store was never opened


def test_out_is_replaced_only_by_a_run_that_completes(
    store_url: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dxatlas.evidence.pipeline import EvidencePipeline
    from dxatlas.store.errors import StoreError

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("The rash spread. It itched.")
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "records.jsonl"
    out.write_text("the previous run\n")
    args = ["ingest", str(tmp_path / "docs"), "--out", str(out)]

    def broken(self: EvidencePipeline, document: object) -> None:
        raise StoreError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(EvidencePipeline, "process", broken)
        failed = runner.invoke(app, args)
    assert failed.exit_code == 2 and "the disk is full" in failed.output
    assert out.read_text() == "the previous run\n"
    assert [p.name for p in out.parent.iterdir()] == ["records.jsonl"]  # no temporary file left
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["path"] for line in out.read_text().splitlines()] == [
        str(tmp_path / "docs" / "a.txt")
    ]
    assert [p.name for p in out.parent.iterdir()] == ["records.jsonl"]


def test_concept_with_no_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The rash spread.")
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--no-store", "--concept", "Anemia"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == "error: --concept needs the store; drop --no-store"


def test_the_store_is_closed_when_the_run_ends_or_fails(
    store_url: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dxatlas.store import Store

    opened: list[Store] = []
    closed: list[Store] = []
    real_open, real_close = Store.open.__func__, Store.close  # type: ignore[attr-defined]

    def tracking_open(cls: type[Store], *args: object, **kwargs: object) -> Store:
        store = real_open(cls, *args, **kwargs)
        opened.append(store)
        return store

    def tracking_close(self: Store) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(Store, "open", classmethod(tracking_open))
    monkeypatch.setattr(Store, "close", tracking_close)
    (tmp_path / "a.txt").write_text("The rash spread.")
    done = runner.invoke(app, ["ingest", str(tmp_path / "a.txt")])
    assert done.exit_code == 0, done.output
    unknown = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--concept", "No such thing"])
    assert unknown.exit_code == 2 and "--concept 'No such thing'" in unknown.output
    assert len(opened) == 2 and closed == opened
