"""Worker processes: results come back, failures become build errors, limits hold."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from studyguide.diagnostics import BuildError, ContentError, Position, Problem
from studyguide.workers import Limits, run_all


def test_results_come_back_by_name():
    results = run_all({"a": lambda: 1 + 1, "b": lambda: b"%PDF"}, Limits(jobs=2))
    assert results == {"a": 2, "b": b"%PDF"}


def test_content_errors_keep_their_problems():
    problem = Problem(Position(Path("guide.yaml"), 3, 4), "bad")

    def failing():
        raise ContentError([problem])

    with pytest.raises(ContentError) as raised:
        run_all({"guide.pdf": failing}, Limits())
    assert raised.value.problems == (problem,)


def test_any_other_exception_becomes_a_build_error_naming_the_output():
    with pytest.raises(BuildError, match=r"rendering guide.pdf failed: ZeroDivisionError"):
        run_all({"guide.pdf": lambda: 1 / 0}, Limits())


def test_a_render_that_takes_too_long_is_stopped():
    started = time.monotonic()
    with pytest.raises(BuildError, match=r"rendering slow.pdf took longer than 0.5 s \(--timeout\)"):
        run_all({"slow.pdf": lambda: time.sleep(30)}, Limits(seconds=0.5))
    assert time.monotonic() - started < 5


def test_a_render_that_needs_too_much_memory_is_stopped():
    def hungry():
        return len(bytearray(400 * 2**20))

    with pytest.raises(BuildError, match=r"rendering big.pdf ran out of memory \(more than 100 MB"):
        run_all({"big.pdf": hungry}, Limits(memory_mb=100))


def test_one_failure_stops_the_others():
    started = time.monotonic()
    with pytest.raises(BuildError, match="ZeroDivisionError"):
        run_all({"fails.pdf": lambda: 1 / 0, "slow.pdf": lambda: time.sleep(30)}, Limits(jobs=2))
    assert time.monotonic() - started < 5
