"""The toy knowledge base in a folder of its own, its index built once, for tests that run many
ingests (in this process or in others) on it."""

from __future__ import annotations

from pathlib import Path

from dxatlas.kb.index import load_or_build
from dxatlas.kb.source import HpoDataFiles
from tests.conftest import TOY_OBO, toy_hpoa_text


def toy_environment(folder: Path) -> dict[str, str]:
    """Write the toy HPO files under `folder`, build their index, and return the `DXATLAS_*`
    variables that point a run at them (and at a data folder there)."""
    hpo = folder / "hpo"
    hpo.mkdir(parents=True)
    (hpo / "hp.obo").write_text(TOY_OBO)
    (hpo / "phenotype.hpoa").write_text(toy_hpoa_text())
    load_or_build(HpoDataFiles(hpo / "hp.obo", hpo / "phenotype.hpoa"), folder / "cache")
    return {
        "DXATLAS_HPO_DATA_DIR": str(hpo),
        "DXATLAS_CACHE_DIR": str(folder / "cache"),
        "DXATLAS_DATA_DIR": str(folder / "data"),
    }
