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
