"""Watch mode: build, then rebuild whenever the content or the templates change.

A save is often a burst (truncate and write, write to a temporary file and rename,
swap files): watchfiles waits for the burst to end, so each save is one rebuild. A
broken edit is reported like any build error and the watcher goes on; the last good
files stay as they were. The process stays warm, and the workers forked for each
rebuild start with its imports, fonts and drawn formulas.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from ..build.options import BuildOptions
from ..build.pipeline import BuildReport, Memo, OutputReport, build, warm
from ..diagnostics import BuildError, StudyguideError

QUIET_MS = 50  # how long the folders must stay still before a rebuild starts
GROUP_MS = 1200  # the longest that changes are gathered into one rebuild


@dataclass(frozen=True)
class Rebuild:
    changed: tuple[Path, ...]  # empty for the first build
    report: BuildReport | None
    error: StudyguideError | None
    seconds: float


Written = Callable[[OutputReport, float], None]  # a file rewritten, and the seconds since the save


def watch(options: BuildOptions, on_rebuild: Callable[[Rebuild], None], stop: Event | None = None,
          on_written: Written | None = None) -> None:
    """Build once, then again after every change, until stop is set or Ctrl-C is pressed;
    on_written, if given, hears of each file a rebuild rewrites as soon as it is written, so
    the first output is not held back until the last is done.

    A watched folder that is replaced (moved away and another put in its place, or removed and
    copied back) is watched anew, and its content rebuilt, once it is there again.
    """
    memo = Memo()  # the YAML and the cards' markup, kept from one rebuild to the next
    first = _rebuild(options, (), memo)
    if first.report is not None and not first.report.outputs:  # all up to date: nothing was loaded
        warm(options, memo)
    on_rebuild(first)
    changed: set[Path] = set()  # saves made before the folders were watched: caught up at once
    while _folders_there(options, stop):
        folders = _identities(options)
        try:
            for paths, saved, roots_changed in _changes(options, stop, changed or {options.content_dir}):
                if roots_changed or _identities(options) != folders:  # replaced: its watch is gone
                    changed = {options.content_dir}
                    break
                if paths:
                    existing = {path for path in paths if path.exists()}  # not an editor's temporary
                    rebuild = _rebuild(options, tuple(sorted(existing or paths)), memo, on_written)
                    if rebuild.error or rebuild.report.outputs or rebuild.report.failed or saved:
                        on_rebuild(rebuild)
            else:
                return  # stopped
        except FileNotFoundError:  # a folder went away again as its watch started: wait for it
            changed = {options.content_dir}


def _changes(options: BuildOptions, stop: Event | None, catch_up: set[Path]
             ) -> Iterator[tuple[set[Path], bool, bool]]:
    """The paths changed in each burst of saves, outside the output folder, whether anything was
    saved at all, and whether a watched folder itself changed (removed, or put in place); first,
    catch_up, for the changes that may have been made before the folders were watched; now and
    then, nothing."""
    import watchfiles

    out_dir = options.out_dir.resolve()
    roots = {options.content_dir.resolve(), options.templates_dir.resolve()}
    first = True
    for changes in watchfiles.watch(options.content_dir, options.templates_dir, stop_event=stop,
                                    debounce=GROUP_MS, step=QUIET_MS, rust_timeout=GROUP_MS,
                                    yield_on_timeout=True, raise_interrupt=False):
        paths = {Path(path) for _, path in changes if not Path(path).resolve().is_relative_to(out_dir)}
        roots_changed = bool(roots & {path.resolve() for path in paths})
        yield ((paths or catch_up) if first else paths), bool(changes), roots_changed
        first = False


def _identities(options: BuildOptions) -> tuple[tuple[int, int] | None, ...]:
    """Which folders the watched paths are now: a replaced folder is another (device, inode)."""
    def identity(folder: Path) -> tuple[int, int] | None:
        try:
            status = folder.stat()
        except OSError:
            return None
        return status.st_dev, status.st_ino

    return identity(options.content_dir), identity(options.templates_dir)


def _folders_there(options: BuildOptions, stop: Event | None) -> bool:
    """Wait until the watched folders exist (a replaced one may be on its way); False once stopped."""
    while None in _identities(options):
        if stop is not None and stop.wait(QUIET_MS / 1000):
            return False
        if stop is None:
            time.sleep(QUIET_MS / 1000)
    return stop is None or not stop.is_set()


def _rebuild(options: BuildOptions, changed: tuple[Path, ...], memo: Memo,
             on_written: Written | None = None) -> Rebuild:
    started = time.perf_counter()

    def written(output: OutputReport) -> None:
        if on_written is not None:
            on_written(output, time.perf_counter() - started)

    try:
        report, error = build(options, memo=memo, on_written=written), None
    except StudyguideError as failure:
        report, error = None, failure
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as failure:  # e.g. WeasyPrint's FatalURLFetchingError: report it, keep watching
        report, error = None, BuildError(f"{type(failure).__name__}: {failure}")
    return Rebuild(changed, report, error, time.perf_counter() - started)
