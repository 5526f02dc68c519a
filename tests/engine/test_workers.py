"""Worker processes: results come back, failures become build errors of their task alone, limits hold."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from studyguide.diagnostics import BuildError, ContentError, Position, Problem
from studyguide.engine.scheduling import run_steps
from studyguide.engine.workers import Limits, run_all


def test_results_come_back_by_name():
    outcomes = run_all({"a": lambda: 1 + 1, "b": lambda: b"%PDF"}, Limits(jobs=2))
    assert outcomes.results == {"a": 2, "b": b"%PDF"}
    assert outcomes.failures == {}


def test_ctrl_c_while_a_worker_is_forked_stops_the_build():
    """Python raises KeyboardInterrupt at its next instruction; without care, one that falls in
    the callbacks a fork runs (logging's) is printed, swallowed, and the build goes on."""
    armed = [True]

    def interrupt_once() -> None:
        if armed:
            armed.clear()
            os.kill(os.getpid(), signal.SIGINT)

    os.register_at_fork(after_in_parent=interrupt_once)  # runs after logging's; cannot be removed
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_all({"a": lambda: time.sleep(5), "b": lambda: 2}, Limits(jobs=1))
    assert not armed and time.monotonic() - started < 4  # the running worker was stopped, not awaited


def test_content_errors_keep_their_problems():
    problem = Problem(Position(Path("guide.yaml"), 3, 4), "bad")

    def failing():
        raise ContentError([problem])

    failure = run_all({"guide.pdf": failing}, Limits()).failures["guide.pdf"]
    assert isinstance(failure, ContentError)
    assert failure.problems == (problem,)


def test_any_other_exception_becomes_a_build_error_naming_the_output():
    failure = run_all({"guide.pdf": lambda: 1 / 0}, Limits()).failures["guide.pdf"]
    assert isinstance(failure, BuildError)
    assert str(failure).startswith("rendering guide.pdf failed: ZeroDivisionError")


def test_a_render_that_takes_too_long_is_stopped():
    outcomes = run_all({"slow.pdf": lambda: time.sleep(30)}, Limits(seconds=0.5))
    assert not outcomes.results  # had it waited, the task would have ended well
    failure = outcomes.failures["slow.pdf"]
    assert str(failure).startswith("rendering slow.pdf took longer than 0.5 s (--timeout)")


def test_a_render_that_needs_too_much_memory_is_stopped():
    def hungry():
        return len(bytearray(400 * 2**20))

    failure = run_all({"big.pdf": hungry}, Limits(memory_mb=100)).failures["big.pdf"]
    assert str(failure).startswith("rendering big.pdf ran out of memory (more than 100 MB")


def test_a_renderer_that_fails_in_its_own_way_at_the_memory_limit_is_said_to_have_run_out_of_memory():
    def hungry_in_c():  # as a C library does: memory refused, then some other error
        held = []
        try:
            while True:
                held.append(bytearray(8 * 2**20))
        except MemoryError:
            held.clear()
        try:
            raise SystemError("error return without exception set")
        except SystemError as error:
            raise BuildError(f"rendering big.pdf failed: {error}") from error

    failure = run_all({"big.pdf": hungry_in_c}, Limits(memory_mb=100)).failures["big.pdf"]
    assert str(failure).startswith("rendering big.pdf ran out of memory (more than 100 MB")


def test_a_renderer_s_failure_far_from_the_limit_keeps_its_message():
    def failing():
        try:
            raise SystemError("bad")
        except SystemError as error:
            raise BuildError("rendering small.pdf failed: SystemError: bad") from error

    failure = run_all({"small.pdf": failing}, Limits(memory_mb=4096)).failures["small.pdf"]
    assert str(failure) == "rendering small.pdf failed: SystemError: bad"


def test_weasyprint_s_memory_error_is_not_a_failure_of_its_own():
    from studyguide.engine.weasy import _failures_named

    def hungry():
        with _failures_named("big.pdf"):
            return len(bytearray(400 * 2**20))

    failure = run_all({"big.pdf": hungry}, Limits(memory_mb=100)).failures["big.pdf"]
    assert str(failure).startswith("rendering big.pdf ran out of memory (more than 100 MB")


def test_one_failure_leaves_the_others_to_finish():
    def slow():
        time.sleep(0.5)
        return "done"

    outcomes = run_all({"fails.pdf": lambda: 1 / 0, "stuck.pdf": lambda: time.sleep(30), "slow.pdf": slow},
                       Limits(jobs=2, seconds=2))

    assert outcomes.results == {"slow.pdf": "done"}
    assert sorted(outcomes.failures) == ["fails.pdf", "stuck.pdf"]


def test_a_worker_killed_from_outside_is_said_to_be_and_not_blamed_on_memory():
    def killed():
        os.kill(os.getpid(), signal.SIGKILL)

    failure = str(run_all({"guide.pdf": killed}, Limits()).failures["guide.pdf"])
    assert failure.startswith("rendering guide.pdf was stopped by SIGKILL from outside the build")
    assert "--memory" not in failure


def _steps(tasks: dict[str, object]):
    """An output's steps: one round of tasks, then their results as its own."""
    return (yield tasks)


def test_an_output_is_handed_on_as_soon_as_it_is_done_while_the_others_render(tmp_path: Path):
    written = tmp_path / "guide.pdf"

    def quiz_waits_for_the_guide() -> bool:  # in a worker: the guide is written while this renders
        deadline = time.monotonic() + 20
        while not written.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return written.exists()

    def on_finished(output: str, result: object, seconds: float) -> None:
        if output == "guide.pdf":
            written.write_bytes(b"%PDF")
        if output == "flashcards.pdf":
            raise BuildError("cannot write flashcards.pdf")

    steps = {"guide.pdf": _steps({"whole": lambda: "guide"}),
             "quiz.pdf": _steps({"whole": quiz_waits_for_the_guide}),
             "flashcards.pdf": _steps({"sheets": lambda: "cards"})}
    outcomes = run_steps(steps, Limits(jobs=3), on_finished=on_finished)
    assert outcomes.results == {"guide.pdf": {"whole": "guide"}, "quiz.pdf": {"whole": True}}
    assert str(outcomes.failures["flashcards.pdf"]) == "cannot write flashcards.pdf"  # it alone


def test_a_full_temporary_folder_is_named():
    import errno
    import tempfile

    from studyguide.engine.weasy import _failures_named

    def full():
        with _failures_named("guide.pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")

    failure = run_all({"guide.pdf": full}, Limits()).failures["guide.pdf"]
    assert str(failure).startswith(f"rendering guide.pdf failed: no space is left on the disk of "
                                   f"{tempfile.gettempdir()}, where WeasyPrint keeps the fonts")
    assert "$TMPDIR" in str(failure)
