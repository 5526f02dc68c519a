"""Every output's render driven at once, so that the parts of all outputs share the workers.

An output renders in steps (a generator; see parts.py): it yields the tasks it needs, named,
is sent their results, and at last returns its Rendered. Each task runs in a worker
(workers.py); an output's next step is taken as soon as its tasks have ended, and its tasks
run before the others still waiting, so that no output waits behind another's parts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from functools import partial

from ..diagnostics import StudyguideError
from .workers import Limits, Outcomes, run_all

Task = Callable[[], object]
Steps = Generator[dict[str, Task], dict[str, object], object]


Progress = Callable[[str, str, int, int], None]  # an output, its task that ended, how many of how many
Finished = Callable[[str, object, float], None]  # an output, its result, the seconds its tasks took


def run_steps(steps: dict[str, Steps], limits: Limits, on_done: Progress | None = None,
              on_finished: Finished | None = None) -> Outcomes:
    """Each output's result or failure, by its name; one failed task fails its output.

    on_done, if given, hears of each task that ends: its output, its name, and how many of
    that output's tasks have ended, of how many it has asked for so far. on_finished, if given,
    hears of each output as soon as it has its result, while the others still render: its name,
    the result and the seconds its tasks took; a StudyguideError it raises fails that output.
    """
    finished = Outcomes({}, {})
    busy: dict[str, float] = {output: 0.0 for output in steps}  # seconds its tasks took, summed
    owners: dict[str, tuple[str, str]] = {}  # a task's full name: its output, its own name
    waiting: dict[str, set[str]] = {}  # the tasks each output's step still waits for
    results: dict[str, dict[str, object]] = {}
    counts: dict[str, list[int]] = {output: [0, 0] for output in steps}  # tasks ended, asked for

    def advance(output: str, sent: dict[str, object] | None) -> dict[str, Task]:
        try:
            batch = steps[output].send(sent)
        except StopIteration as stop:
            return finish(output, stop.value)
        except StudyguideError as error:
            finished.failures[output] = error
            return {}
        if not batch:
            return advance(output, {})
        waiting[output], results[output] = set(batch), {}
        counts[output][1] += len(batch)
        tasks = {}
        for name, task in batch.items():
            owners[f"{output} {name}"] = (output, name)
            tasks[f"{output} {name}"] = partial(_timed, task)
        return tasks

    def finish(output: str, value: object) -> dict[str, Task]:
        try:
            if on_finished is not None:
                on_finished(output, value, busy[output])
        except StudyguideError as error:
            finished.failures[output] = error
        else:
            finished.results[output] = value
        return {}

    def follow(full_name: str, failed: bool, value: object) -> dict[str, Task]:
        output, name = owners.pop(full_name)
        counts[output][0] += 1
        if on_done is not None:
            on_done(output, name, *counts[output])
        if output in finished.failures:
            return {}
        if failed:
            steps[output].close()
            finished.failures[output] = value
            return {}
        value, seconds = value
        busy[output] += seconds
        results[output][name] = value
        waiting[output].discard(name)
        return {} if waiting[output] else advance(output, results.pop(output))

    first = {}
    for output in steps:
        first |= advance(output, None)
    run_all(first, limits, follow=follow)
    return finished


def _timed(task: Task) -> tuple[object, float]:
    """In a worker: the task's result, and the seconds it took."""
    started = time.perf_counter()
    return task(), time.perf_counter() - started
