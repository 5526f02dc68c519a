"""Renders in worker processes: several at once, each with a time limit and a memory limit.

Workers are forked, so they start warm (imports, fonts, caches) and take their task
as it is, unpickled; only the result travels back. What the build holds is frozen out of
the garbage collector meanwhile: a worker's collections skip it, so they neither walk the
build's objects nor copy the pages they lie on. A worker that runs out of time is
killed; one that runs out of memory fails with a message. Either way its task fails with
a BuildError naming it, and the other tasks go on. A worker that has sent its result cleans
up and exits while the next task starts; every worker has ended when run_all returns.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from ..diagnostics import BuildError, StudyguideError

INTERRUPT_SECONDS = 0.1  # how soon Ctrl-C stops the build while it waits for its workers
NEAR_LIMIT = 16 * 2**20  # how close to its memory limit a worker came, for a failure to be taken as memory


@dataclass(frozen=True)
class Limits:
    jobs: int = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    seconds: float = 600.0
    memory_mb: int = 4096


@dataclass(frozen=True)
class Outcomes:
    results: dict[str, object]  # by task name, for the tasks that succeeded
    failures: dict[str, StudyguideError]  # by task name, for the others


@dataclass
class _Running:
    name: str
    process: multiprocessing.Process
    deadline: float


Follow = Callable[[str, bool, object], dict[str, Callable[[], object]]]


def run_all(tasks: dict[str, Callable[[], object]], limits: Limits,
            on_done: Callable[[str, int, int], None] | None = None, follow: Follow | None = None) -> Outcomes:
    """Each task's result or failure, by name; tasks run in up to limits.jobs workers at a time.

    on_done, if given, hears of each task that ends: its name, how many have ended, of how many
    so far. follow, if given, hears of it too (its name, whether it failed, its result or error)
    and returns the tasks it makes possible, which run before those still waiting.
    """
    context = multiprocessing.get_context("fork")
    waiting = list(tasks.items())
    running: dict[Connection, _Running] = {}
    outcomes = Outcomes({}, {})
    total = len(waiting)
    ending: list[multiprocessing.Process] = []  # workers that have sent their result, cleaning up
    gc.freeze()
    interrupts = _Interrupts()

    def ended(name: str, failed: bool, value: object) -> None:
        nonlocal total
        (outcomes.failures if failed else outcomes.results)[name] = value
        more = list(follow(name, failed, value).items()) if follow is not None else []
        waiting[:0] = more
        total += len(more)
        if on_done is not None:
            on_done(name, len(outcomes.results) + len(outcomes.failures), total)

    try:
        while waiting or running:
            while waiting and len(running) < max(1, limits.jobs):
                name, task = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(name, task, sender, limits.memory_mb),
                                          daemon=True)
                process.start()
                running[receiver] = _Running(name, process, time.monotonic() + limits.seconds)
                sender.close()
                interrupts.raise_noted()
            timeout = max(0.0, min(job.deadline for job in running.values()) - time.monotonic())
            ready = wait(list(running), timeout=min(timeout, INTERRUPT_SECONDS))
            interrupts.raise_noted()
            for receiver in ready:
                job = running.pop(receiver)
                ended(job.name, *_result(job, receiver, limits))
                ending.append(job.process)
            ending = [process for process in ending if process.is_alive()]  # the others reaped
            for receiver, job in list(running.items()):
                if time.monotonic() > job.deadline:
                    del running[receiver]
                    _stop(job)
                    receiver.close()
                    ended(job.name, True, BuildError(
                        f"rendering {job.name} took longer than {limits.seconds:g} s (--timeout); "
                        "the content may be too large or pathological"))
    finally:
        interrupts.stop_watching()
        for job in running.values():
            _stop(job)
        for process in ending:
            process.join()
        gc.unfreeze()
    return outcomes


class _Interrupts:
    """Ctrl-C while the workers run, noted and raised by run_all itself: Python's own handler
    raises KeyboardInterrupt at the next instruction, and one that falls in the callbacks run
    at a fork (logging's) is printed and lost, and the build goes on. Only Python's handler is
    replaced, from the main thread, where handlers run."""

    def __init__(self) -> None:
        self.noted = False
        self.watching = (threading.current_thread() is threading.main_thread()
                         and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        if self.watching:
            signal.signal(signal.SIGINT, self._note)

    def _note(self, number: int, frame: object) -> None:
        self.noted = True

    def raise_noted(self) -> None:
        if self.noted:
            raise KeyboardInterrupt

    def stop_watching(self) -> None:
        if self.watching:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    @staticmethod
    def left_to_python() -> None:
        """In a worker, forked from a parent that watches: Python's own handler again."""
        if isinstance(getattr(signal.getsignal(signal.SIGINT), "__self__", None), _Interrupts):
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _stop(job: _Running) -> None:
    job.process.kill()
    job.process.join()


def _result(job: _Running, receiver: Connection, limits: Limits) -> tuple[bool, object]:
    """What the worker sent: whether it failed, and its result or the StudyguideError it failed with."""
    try:
        return receiver.recv()
    except EOFError:
        job.process.join()
        return True, BuildError(_death(job.name, job.process.exitcode, limits))
    finally:
        receiver.close()


def _death(name: str, exit_code: int | None, limits: Limits) -> str:
    """Why a worker ended without a word: a signal from outside (the system's out-of-memory
    killer, a kill), or a crash, which is most often memory the render could not have."""
    if exit_code is not None and exit_code < 0 and -exit_code != signal.SIGSEGV:
        name_of_signal = signal.Signals(-exit_code).name
        return (f"rendering {name} was stopped by {name_of_signal} from outside the build (the system's "
                "out-of-memory killer sends SIGKILL); build again, with fewer --jobs if memory is short")
    return (f"rendering {name} stopped unexpectedly (exit code {exit_code}); it may have needed "
            f"more than {limits.memory_mb} MB (--memory)")


def _work(name: str, task: Callable[[], object], sender: Connection, memory_mb: int) -> None:
    """In the worker: cap the memory, run the task, send back (failed, value). The worker then
    exits without collecting its garbage: renders remove their temporary files themselves (weasy.py)."""
    _Interrupts.left_to_python()
    limit = _cap_memory(memory_mb)
    out_of_memory = BuildError(f"rendering {name} ran out of memory (more than {memory_mb} MB, --memory)")
    try:
        sender.send((False, task()))
    except StudyguideError as error:  # a renderer's failure (its cause) near the limit is memory's
        sender.send((True, out_of_memory if error.__cause__ is not None and _came_near(limit) else error))
    except MemoryError:
        sender.send((True, out_of_memory))
    except BaseException as error:  # a bug or a renderer failure: say where, never a traceback
        # A C library short of memory fails in its own way (a SystemError, say), not with a MemoryError.
        sender.send((True, out_of_memory if _came_near(limit) else
                     BuildError(f"rendering {name} failed: {type(error).__name__}: {error}")))
    finally:
        sender.close()


def _cap_memory(memory_mb: int) -> int:
    """Limit the address space to what the worker has now plus memory_mb; the limit, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _came_near(limit: int) -> bool:
    """Whether the worker's address space has ever come within NEAR_LIMIT of limit."""
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmPeak:"))
    return peak >= limit - NEAR_LIMIT
