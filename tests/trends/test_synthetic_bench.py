"""bench/blunting_synthetic.py: the pooled, multi-seed report and its statistics."""

import importlib
import re
import sys
from pathlib import Path

import pytest

_BENCH = str(Path(__file__).resolve().parents[2] / "bench")


@pytest.fixture(scope="module")
def bench():
    """The benchmark module, importable by name (its worker processes import it too)."""
    sys.path.insert(0, _BENCH)
    try:
        yield importlib.import_module("blunting_synthetic")
    finally:
        sys.path.remove(_BENCH)


@pytest.mark.parametrize(
    ("hits", "n", "low", "high"),
    [(9, 10, 0.5958, 0.9821), (0, 10, 0.0, 0.2775), (1447, 1583, 0.8996, 0.9268)],
)
def test_wilson_interval_matches_published_values(bench, hits, n, low, high):
    got = bench.wilson_interval(hits, n)
    assert got == pytest.approx((low, high), abs=5e-4)


def test_seed_lists_and_ranges_parse(bench):
    assert bench.parse_seeds("1-3,5") == [1, 2, 3, 5]
    assert bench.parse_seeds("7") == [7]
    assert bench.parse_seeds("2,1-2") == [1, 2]


def test_pooled_report_counts_every_seed_and_agrees_with_the_outcomes(bench):
    by_seed = bench.run_seeds([1, 2], clients=30, jobs=1)
    text = bench.report(by_seed, elapsed=1.0)

    outcomes = by_seed[1] + by_seed[2]
    blunting = [o for o in outcomes if o.kind in bench.BLUNTING_KINDS]
    expected = sum(o.detected for o in blunting) / len(blunting)
    row = next(line for line in text.splitlines() if line.startswith("| sensitivity"))
    assert f"{expected:.1%}" in row
    assert re.search(r"\(\d+\.\d–\d+\.\d%\)", row), row  # the 95 % interval
    assert text.startswith("Seeds 1–2, 30 clients each: 60 clients")
    assert "Sensitivity per seed: 1: " in text


def test_worker_processes_give_the_same_outcomes_as_one(bench):
    assert bench.run_seeds([3, 4], clients=8, jobs=2) == bench.run_seeds([3, 4], clients=8)
