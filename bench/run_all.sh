#!/bin/sh
# Every benchmark, from an empty companion_bench database to docs/BENCHMARKS.md.
# Usage: bench/run_all.sh [--quick] [--keep-data]   (see bench/run_all.py)
set -eu
cd "$(dirname "$0")/.."
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
exec .venv/bin/python bench/run_all.py "$@"
