"""`dxatlas annotate`: recognise findings, diseases and user concepts in a text, with assertions."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import typer
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb
from dxatlas.recognize.mention import Annotation
from dxatlas.store.concept import USER_PREFIX
from dxatlas.store.concepts import slug_of

MAX_FILE_BYTES = 20_000_000
# One word with a folder separator or a file extension: meant as a path, not as text.
_PATH_LIKE = re.compile(r"^\S*(?:[/\\]\S*|\.[A-Za-z0-9]{1,5})$")


def _file_kind(path: Path) -> str | None:
    """The kind of thing at `path`: "file", "folder" or None (nothing there, or a name the file
    system refuses, such as a sentence longer than a file name may be: text, not a path)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else None


def read_input(file_or_text: str) -> str:
    """The text of a file path, or the argument itself when it names no file ("-" reads stdin)."""
    import sys

    if file_or_text == "-":
        return sys.stdin.read()
    if not file_or_text.strip():
        fail("the text to annotate is empty")
    path = Path(file_or_text)
    looks_like_path = "\n" not in file_or_text and len(file_or_text) < 4096
    kind = _file_kind(path) if looks_like_path else None
    if looks_like_path and kind is None and _PATH_LIKE.match(file_or_text):
        fail(f"file {file_or_text} does not exist (to annotate a short text, give it with spaces)")
    if kind == "folder":
        fail(f"{path} is a folder, not a text file")
    if kind == "file":
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{path} is not UTF-8 text")
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror or error}")
    return file_or_text


def _print_table(annotation: Annotation, kb_version: str) -> None:
    for number, sentence in enumerate(annotation.sentences, 1):
        if not sentence.mentions:
            continue
        text = " ".join(sentence.sentence.text.split())
        console.print(f"[bold]{number}.[/] {text}", highlight=False)
        table = Table("text", "id", "label", "kind", "assertion", box=None, pad_edge=False)
        for mention in sentence.mentions:
            kind = str(mention.kind) + (
                f" ({mention.concept.category})" if mention.concept.category else ""
            )
            table.add_row(
                " ".join(mention.text.split()),
                mention.id,
                mention.label,
                kind,
                str(mention.assertion),
            )
        console.print(table)
    if annotation.abbreviations:
        console.print(
            "Abbreviations defined: "
            + ", ".join(f"{short} = {cid}" for short, cid in annotation.abbreviations.items())
        )
    console.print(f"[dim]{len(annotation.mentions)} mentions; {kb_version}[/]")


@app.command("annotate")
def annotate(
    file_or_text: str = typer.Argument(..., help="A text file, the text itself, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    concept: list[str] = typer.Option(
        [], "--concept", help="A user concept to recognise too (its name); repeat for several."
    ),
    synonym: list[str] = typer.Option(
        [], "--synonym", help="A synonym of the (last) --concept; repeat for several."
    ),
) -> None:
    """Print each sentence with its mentions: id, label, kind and assertion (negated, family, ...)."""
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    if synonym and not concept:
        fail("--synonym needs a --concept to belong to")
    text = read_input(file_or_text)
    if not text.strip():
        fail("the text to annotate is empty")
    for name in concept:
        if not name.strip():
            fail("--concept needs a name")
        if not slug_of(name):
            fail(f"--concept {name!r} has no letters or digits")
    kb = load_kb()
    annotator = Annotator.from_kb(kb, get_settings().cache_dir)
    for i, name in enumerate(concept):
        synonyms = synonym if i == len(concept) - 1 else []
        # The id the store would give the concept (`dxatlas concept add`): DXATLAS:<slug>.
        annotator.add_concept(f"{USER_PREFIX}:{slug_of(name)}", name.strip(), synonyms)
    annotation = annotator.annotate(text)
    if as_json:
        print(json.dumps({**annotation.to_dict(), "kb_version": kb.version}, indent=2))
        return
    _print_table(annotation, kb.version)
