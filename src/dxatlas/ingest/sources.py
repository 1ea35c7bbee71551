"""Turn what the user typed (files, folders, globs) into the list of files to ingest."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from dxatlas.ingest.errors import SourceError

_GLOB_CHARS = frozenset("*?[")


def _folder_files(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, recursively, in name order; hidden files and folders left out."""
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            yield path


def resolve_inputs(inputs: Iterable[str]) -> list[Path]:
    """The files named by `inputs`, each once, in order; `SourceError` if one names nothing."""
    files: dict[Path, None] = {}
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_file():
            files[path] = None
        elif path.is_dir():
            files.update(dict.fromkeys(_folder_files(path)))
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                raise SourceError(f"{item}: no file matches this pattern")
            for match in map(Path, matches):
                if match.is_dir():
                    files.update(dict.fromkeys(_folder_files(match)))
                else:
                    files[match] = None
        elif path.exists():
            raise SourceError(f"{item}: not a regular file or folder")
        else:
            raise SourceError(f"{item}: no such file or folder")
    return list(files)
