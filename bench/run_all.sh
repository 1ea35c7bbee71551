#!/usr/bin/env bash
# Every benchmark, with its figures written under bench/results/ (see docs/benchmarks.md).
# Needs ../shared (or DXATLAS_SHARED_DIR) and the `bench` extra: `make bench` installs both peers.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${DXATLAS_SHARED_DIR:-../shared}"
out=bench/results
mkdir -p "$out"
dx=.venv/bin/dxatlas
$dx index build
$dx bench diagnose "$shared/bench/phenopackets-dev.jsonl" --peer-cases 10 --out "$out/diagnose.json"
$dx bench recognize "$shared/bench/hpo-cr-gsc.jsonl" --out "$out/recognize.json"
$dx bench sections "$shared/corpus/medquad.jsonl" --out "$out/sections.json"
$dx sentences "$shared/seeds"
$dx bench ingest "$shared/corpus/medquad.jsonl" --workers 1,2 --abstracts "$shared/bench/hpo-cr-gsc.jsonl" --out "$out/ingest.json"
# The vignettes and the phenopackets with literature knowledge, on a store of all of MedQuAD.
store="sqlite:///$PWD/$out/medquad.db"
rm -f "$out/medquad.db"
DXATLAS_DATABASE_URL="$store" $dx ingest "$shared/corpus/medquad.jsonl"
DXATLAS_DATABASE_URL="$store" $dx bench vignettes "$shared/bench/vignettes-dev.jsonl" --out "$out/vignettes.json"
DXATLAS_DATABASE_URL="$store" $dx bench diagnose "$shared/bench/phenopackets-dev.jsonl" --with-literature --peer-cases 0 --out "$out/diagnose-literature.json"
# The same with DDXPlus's 49 conditions imported beside MedQuAD.
DXATLAS_DATABASE_URL="$store" $dx kb import "$shared/corpus/ddxplus/release_conditions.json"
DXATLAS_DATABASE_URL="$store" $dx bench vignettes "$shared/bench/vignettes-dev.jsonl" --out "$out/vignettes-ddxplus.json"
DXATLAS_DATABASE_URL="$store" $dx bench diagnose "$shared/bench/phenopackets-dev.jsonl" --with-literature --peer-cases 0 --out "$out/diagnose-literature-ddxplus.json"
DXATLAS_DATABASE_URL="$store" .venv/bin/python bench/case_text_latency.py --runs 40 | tee "$out/case-text-latency.txt"
$dx bench fuzz --out "$out/fuzz.json"
DXATLAS_DATABASE_URL="$store" $dx bench load --workers 2 --clients 50 --seconds 60 --think 2 --out "$out/load-sqlite.json"
