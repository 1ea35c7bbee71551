"""The fuzz properties: for each input-facing part (loaders, sentence splitter, recogniser,
markdown renderer, phenopacket reader) a strategy of odd input and a check that it neither
crashes (only the documented errors), nor hangs, and that its output keeps its invariants.

`check_*` functions raise `AssertionError` (or the unexpected exception) when a property fails.
The tests in tests/fuzz/ run them with a few hundred examples; `dxatlas bench fuzz` runs them
with many more (`dxatlas.bench.fuzz`).
"""

from __future__ import annotations

import re
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from dxatlas.bench import fuzz_inputs as inputs
from dxatlas.ingest.sentences import Sentence, split_sentences

if TYPE_CHECKING:
    from dxatlas.recognize.annotator import Annotator

HANG_SECONDS = 20.0
"""An example still running after this long is a hang: it is stopped and reported as a failure."""
MAX_FILE_BYTES = 1_000_000
"""The size limit the loader checks pass to the pipeline (generated files are far smaller)."""


class Hang(AssertionError):
    """An example ran longer than `HANG_SECONDS`."""


class _Alarm(BaseException):
    """The timer's interrupt: a BaseException, so no `except Exception` in the code under test
    can swallow it (it becomes `Hang` once out of that code)."""


@contextmanager
def time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise `Hang` when the body runs longer than `seconds` (a SIGALRM timer: main thread on
    Unix only; elsewhere the body just runs, and hypothesis's deadline still reports slow ones)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Alarm:
        raise Hang(f"still running after {seconds:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- loaders -----------------------------------------------------------------------------------


def check_file(data: bytes, name: str) -> None:
    """A file through the default loader registry and the pipeline: each outcome is a document
    with text, or a one-line problem naming the file (never a loader crash, reported by the
    pipeline as `unexpected ...`)."""
    from dxatlas.ingest.document import Document
    from dxatlas.ingest.pipeline import load_files
    from dxatlas.ingest.registry import default_registry

    with tempfile.TemporaryDirectory(prefix="dxatlas-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with time_limit():
            outcomes = list(load_files([path], default_registry(), MAX_FILE_BYTES))
    assert outcomes, "no document and no problem"
    for outcome in outcomes:
        if isinstance(outcome, Document):
            assert outcome.text.strip(), f"a document without text: {outcome!r}"
            assert outcome.id, "a document without an id"
            for section in outcome.sections:
                assert outcome.text[section.start : section.end] == section.text
            continue
        assert outcome.source.startswith(str(path)), (
            f"the problem does not name the file: {outcome}"
        )
        assert outcome.reason.strip(), f"a problem without a reason: {outcome}"
        assert "\n" not in outcome.reason, f"the reason is not one line: {outcome.reason!r}"
        assert not outcome.reason.startswith("unexpected "), f"a loader crashed: {outcome.reason}"


def _file_strategy(suffixes: list[str], data: st.SearchStrategy[bytes]) -> st.SearchStrategy:
    return st.tuples(data, st.sampled_from(suffixes).map(lambda suffix: f"input{suffix}"))


def text_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".txt", "", ".md"], inputs.encoded(inputs.texts()))


def html_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".html", ".htm", ""], inputs.encoded(inputs.html_pages()))


def pdf_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".pdf", ""], inputs.pdf_files())


def medline_xml_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".xml", ""], inputs.medline_xml())


def medline_text_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".txt", ".medline"], inputs.encoded(inputs.medline_text()))


def jsonl_files() -> st.SearchStrategy[tuple[bytes, str]]:
    return _file_strategy([".jsonl", ""], inputs.encoded(inputs.jsonl_files()))


def any_files() -> st.SearchStrategy[tuple[bytes, str]]:
    """Random bytes under every name a loader looks for."""
    suffixes = [".txt", ".html", ".pdf", ".xml", ".jsonl", ".ndjson", ".htm", ""]
    return _file_strategy(suffixes, st.binary(max_size=inputs.MAX_BYTES))


# --- the sentence splitter ---------------------------------------------------------------------


def check_sentences(text: str) -> None:
    """Sentences lie inside the text, in order, without overlap, trimmed, with a letter or digit."""

    with time_limit():
        sentences = split_sentences(text)
    check_sentences_of(text, sentences)


def check_sentences_of(text: str, sentences: list[Sentence]) -> None:
    """The invariants of `check_sentences` on a given split."""
    previous_end = 0
    for sentence in sentences:
        assert 0 <= sentence.start < sentence.end <= len(text), f"offsets outside: {sentence}"
        assert sentence.start >= previous_end, f"out of order or overlapping: {sentence}"
        previous_end = sentence.end
        piece = text[sentence.start : sentence.end]
        assert piece == piece.strip(), f"untrimmed sentence {piece!r}"
        assert any(char.isalnum() for char in piece), f"a sentence without a word: {piece!r}"
        assert sentence.text and sentence.text == sentence.text.strip(), f"text {sentence.text!r}"


# --- the recogniser ----------------------------------------------------------------------------


def check_annotation(annotator: Annotator, text: str) -> None:
    """Each mention lies inside its sentence, its text is the slice it names, and the sentence
    numbers and order agree; the sentences keep the splitter's invariants."""
    from dxatlas.recognize.mention import Assertion

    with time_limit():
        annotation = annotator.annotate(text)
    previous_end = 0
    for index, annotated in enumerate(annotation.sentences):
        span = annotated.sentence
        assert 0 <= span.start < span.end <= len(text) and span.start >= previous_end, span
        assert text[span.start : span.end] == span.text, span
        previous_end = span.end
        starts = [mention.start for mention in annotated.mentions]
        assert starts == sorted(starts), f"mentions out of order in sentence {index}"
        for mention in annotated.mentions:
            assert span.start <= mention.start < mention.end <= span.end, (
                f"mention {mention.start}:{mention.end} outside its sentence "
                f"{span.start}:{span.end}"
            )
            assert text[mention.start : mention.end] == mention.text, mention
            assert mention.sentence == index, (
                f"mention says sentence {mention.sentence}, is {index}"
            )
            assert mention.assertion in Assertion, mention
            assert mention.concept.id in annotator.lexicon.concepts, mention.concept.id
    for short, concept_id in annotation.abbreviations.items():
        assert short and concept_id in annotator.lexicon.concepts, (short, concept_id)


# --- the markdown renderer ---------------------------------------------------------------------

_MADE_TAGS = {"p", "br", "strong", "em", "h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br"}


class _Tags(HTMLParser):
    """The tags (with attributes) and the nesting problems of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _MADE_TAGS or attrs:
            self.problems.append(f"tag <{tag}> with {attrs} was not made by the renderer")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"a comment <!--{data}--> in the output")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"a declaration <!{decl}> in the output")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"a processing instruction <?{data}> in the output")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"an unknown declaration {data!r} in the output")


_TAG = re.compile(r"<(/?)([a-z0-9]+)>")


def check_markdown(text: str, level: int = 4) -> None:
    """Only the renderer's own tags, well nested; every `<`, `>` and `&` of the input escaped."""
    from dxatlas.web.markdown import render_markdown

    with time_limit():
        html = str(render_markdown(text, level))
    check_markdown_html(text, html)


def check_markdown_html(text: str, html: str) -> None:
    """The invariants of `check_markdown` on given input and output."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert not parser.problems, parser.problems
    assert not parser.open, f"unclosed {parser.open}"
    # Every `<` of the output opens one of the renderer's tags; the input's are all `&lt;`.
    assert len(_TAG.findall(html)) == html.count("<"), html
    assert all(name in _MADE_TAGS for _, name in _TAG.findall(html)), html
    assert html.count("&lt;") == text.count("<") and html.count("&gt;") == text.count(">"), html
    assert '"' not in html and "'" not in html, html


# --- the phenopacket reader --------------------------------------------------------------------

SOURCE = "fuzz-case.json"


def check_phenopacket(text: str) -> None:
    """A `PhenopacketCase` with ids as text, or a one-line `PhenopacketError` naming the input."""
    from dxatlas.rank.phenopacket import PhenopacketError, read_phenopacket

    try:
        with time_limit():
            case = read_phenopacket(text, SOURCE)
    except PhenopacketError as error:
        message = str(error)
        assert message.startswith(SOURCE) and "\n" not in message, message
        return
    assert case.present or case.excluded
    assert all(isinstance(term, str) and term for term in case.present + case.excluded)
    assert case.sex is None or isinstance(case.sex, str)
    assert case.age is None or isinstance(case.age, str)


# --- the list the runner goes through ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One property: its name, what it draws, the check, and its per-example deadline."""

    name: str
    strategy: Callable[[], st.SearchStrategy[Any]]
    check: Callable[[Any], None]
    deadline_ms: int


def _unpack(check: Callable[..., None]) -> Callable[[Any], None]:
    return lambda example: check(*example)


def targets(annotator: Annotator | None = None) -> list[Target]:
    """Every fuzz target (the recogniser's only with an `annotator`)."""
    found = [
        Target("load: text", text_files, _unpack(check_file), 3000),
        Target("load: html", html_files, _unpack(check_file), 5000),
        Target("load: pdf", pdf_files, _unpack(check_file), 5000),
        Target("load: medline xml", medline_xml_files, _unpack(check_file), 5000),
        Target("load: medline text", medline_text_files, _unpack(check_file), 3000),
        Target("load: jsonl", jsonl_files, _unpack(check_file), 3000),
        Target("load: any bytes", any_files, _unpack(check_file), 5000),
        Target("sentences", inputs.texts, check_sentences, 2000),
        Target("markdown", markdown_inputs, _unpack(check_markdown), 2000),
        Target("phenopacket", inputs.phenopacket_texts, check_phenopacket, 2000),
    ]
    if annotator is not None:
        found.append(
            Target(
                "recognise",
                inputs.texts,
                lambda text: check_annotation(annotator, text),
                3000,
            )
        )
    return found


def markdown_inputs() -> st.SearchStrategy[tuple[str, int]]:
    """Community text: emphasis and heading marks, HTML and entities, any text; a heading level."""
    emphasis = st.lists(st.sampled_from(["**", "_", "*", "a", " ", "\n", "# ", "<"]), max_size=40)
    pieces = st.lists(st.sampled_from(_MARKDOWN_PIECES) | st.text(max_size=3), max_size=80)
    text = st.one_of(emphasis.map("".join), pieces.map("".join), inputs.texts(1000))
    return st.tuples(text, st.integers(-3, 9))


_MARKDOWN_PIECES = (
    "**", "_", "*", "#", "# ", "## ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "a", "b", "word",
    "snake_case", "<", ">", "&", "&lt;", "&amp;", '"', "'", "<script>", "</em>", "<em>", "<br>",
    "<p onclick=x>", "javascript:", "`", "[a](b)", "![i](j)", "<!--", "-->", "\\", "\x00",
)  # fmt: skip
