"""Watch mode: build, then rebuild whenever the content or the templates change.

A save is often a burst (truncate and write, write to a temporary file and rename,
swap files): watchfiles waits for the burst to end, so each save is one rebuild. A
broken edit is reported like any build error and the watcher goes on; the last good
files stay as they were. The process stays warm, and the workers forked for each
rebuild start with its imports, fonts and drawn formulas.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from ..build.options import BuildOptions
from ..build.pipeline import BuildReport, build
from ..diagnostics import BuildError, StudyguideError
from ..markup.convert import MarkupMemo

QUIET_MS = 50  # how long the folders must stay still before a rebuild starts
GROUP_MS = 1200  # the longest that changes are gathered into one rebuild


@dataclass(frozen=True)
class Rebuild:
    changed: tuple[Path, ...]  # empty for the first build
    report: BuildReport | None
    error: StudyguideError | None
    seconds: float


def watch(options: BuildOptions, on_rebuild: Callable[[Rebuild], None], stop: Event | None = None) -> None:
    """Build once, then again after every change, until stop is set or Ctrl-C is pressed."""
    import watchfiles

    rendered: MarkupMemo = {}  # the cards' markup, kept from one rebuild to the next
    on_rebuild(_rebuild(options, (), rendered))
    out_dir = options.out_dir.resolve()
    watching_since_first_build = False
    for changes in watchfiles.watch(options.content_dir, options.templates_dir, stop_event=stop,
                                    debounce=GROUP_MS, step=QUIET_MS, rust_timeout=GROUP_MS,
                                    yield_on_timeout=True, raise_interrupt=False):
        paths = {Path(path) for _, path in changes if not Path(path).resolve().is_relative_to(out_dir)}
        if not watching_since_first_build:
            # Now that the folders are watched, catch up with saves made during the first build.
            watching_since_first_build = True
            paths = paths or {options.content_dir}
        if paths:
            existing = {path for path in paths if path.exists()}  # not an editor's passing temporary
            rebuild = _rebuild(options, tuple(sorted(existing or paths)), rendered)
            if rebuild.error or rebuild.report.outputs or rebuild.report.failed or changes:
                on_rebuild(rebuild)


def _rebuild(options: BuildOptions, changed: tuple[Path, ...], rendered: MarkupMemo) -> Rebuild:
    started = time.perf_counter()
    try:
        report, error = build(options, rendered=rendered), None
    except StudyguideError as failure:
        report, error = None, failure
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as failure:  # e.g. WeasyPrint's FatalURLFetchingError: report it, keep watching
        report, error = None, BuildError(f"{type(failure).__name__}: {failure}")
    return Rebuild(changed, report, error, time.perf_counter() - started)
