"""Ranking: a case (findings, excluded findings, age, sex) in, a ranked differential out."""

from dxatlas.rank.case import Case, CaseError
from dxatlas.rank.differential import Candidate, Contribution, Differential
from dxatlas.rank.model import PhenotypeModel
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.ranker import Ranker

__all__ = [
    "Candidate",
    "Case",
    "CaseError",
    "Contribution",
    "Differential",
    "ModelParameters",
    "PhenotypeModel",
    "Ranker",
]
