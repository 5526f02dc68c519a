"""Where a build's time goes, by phase: the profile `python -m benchmarks.run --profile` prints.

Each phase is a function of the build or of WeasyPrint, wrapped while the build runs in this
process; the workers it forks inherit the wrappers and add their seconds to a file of their
own, so a phase's seconds are summed over every process (two workers busy for one second
each count two). Phases nest where their functions do: the font merge is part of the join,
and the fitting lays out pages too.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

PHASES = (  # name, module, attribute (a function, or Class.method), as the build calls it
    ("load the YAML", "studyguide.build.pipeline", "load_guide"),
    ("markup and formulas", "studyguide.markup.convert", "render_markup"),
    ("prepare (templates checked)", "studyguide.build.pipeline", "_prepare"),
    ("fitting the cards", "studyguide.flashcards.render", "_fitted"),
    ("WeasyPrint layout", "studyguide.engine.weasy", "_lay_out"),
    ("WeasyPrint PDF write", "weasyprint.document", "Document.write_pdf"),
    ("tags repaired", "studyguide.engine.tagging", "repaired"),
    ("part filed in the cache", "studyguide.engine.partcache", "PartCache.put"),
    ("join", "studyguide.engine.join", "join"),
    ("font merge (in the join)", "studyguide.engine.fontmerge", "Faces.merge"),
    ("files written", "studyguide.build.pipeline", "_write"),
)


@dataclass(frozen=True)
class Profile:
    wall: float  # seconds from the build's start to its end
    phases: dict[str, tuple[int, float]]  # calls and seconds, summed over the processes


@contextmanager
def profiled() -> Iterator[Callable[[], dict[str, tuple[int, float]]]]:
    """While inside, every phase is timed; the function yielded sums what was timed so far."""
    folder = Path(tempfile.mkdtemp(prefix="phases-"))
    originals = []
    for name, module_name, attribute in PHASES:
        owner = importlib.import_module(module_name)
        *classes, function = attribute.split(".")
        for class_name in classes:
            owner = getattr(owner, class_name)
        original = getattr(owner, function)
        originals.append((owner, function, original))
        setattr(owner, function, _timed(original, name, folder))

    def summed() -> dict[str, tuple[int, float]]:
        calls: dict[str, int] = defaultdict(int)
        seconds: dict[str, float] = defaultdict(float)
        for path in folder.glob("*.tsv"):
            for line in path.read_text(encoding="utf-8").splitlines():
                phase, spent = line.split("\t")
                calls[phase] += 1
                seconds[phase] += float(spent)
        return {name: (calls[name], seconds[name]) for name, _, _ in PHASES if calls[name]}

    try:
        yield summed
    finally:
        for owner, function, original in originals:
            setattr(owner, function, original)
        shutil.rmtree(folder, ignore_errors=True)


def _timed(function: Callable, phase: str, folder: Path) -> Callable:
    @wraps(function)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            line = f"{phase}\t{time.perf_counter() - started:.6f}\n"
            with open(folder / f"{os.getpid()}.tsv", "a", encoding="utf-8") as record:
                record.write(line)
    return timed


def profile_edit(content: Path, out: Path, only: tuple[str, ...] | None = None) -> Profile:
    """A one-word edit rebuilt as the watcher rebuilds it: in a process that built once already."""
    from studyguide.build.options import BuildOptions
    from studyguide.build.pipeline import Memo, build

    options = BuildOptions(content_dir=content, out_dir=out, **({"only": only} if only else {}))
    memo = Memo()
    build(options, memo=memo)
    edit_answer(content, "profiled")
    return _profile(lambda: build(options, memo=memo))


def profile_cold(content: Path, out: Path, only: tuple[str, ...]) -> Profile:
    from studyguide.build.options import BuildOptions
    from studyguide.build.pipeline import build

    return _profile(lambda: build(BuildOptions(content_dir=content, out_dir=out, only=only)))


def _profile(run: Callable[[], object]) -> Profile:
    with profiled() as summed:
        started = time.perf_counter()
        run()
        wall = time.perf_counter() - started
        return Profile(wall, summed())


def edit_answer(content: Path, word: str) -> None:
    """One word more in the first answer of the middle section file (or of guide.yaml), as a
    user's small edit is."""
    parts = sorted((content / "sections").glob("*.yaml")) or [content / "guide.yaml"]
    part = parts[len(parts) // 2]
    text = part.read_text(encoding="utf-8")
    edited = re.sub(r"(answer: \|\n\s+)", lambda match: f"{match.group(1)}{word.capitalize()} ", text,
                    count=1)
    part.write_text(edited, encoding="utf-8")


def table(title: str, profile: Profile) -> str:
    lines = [f"{title}: {profile.wall:.2f} s wall", f"  {'phase':<30}{'calls':>7}{'seconds':>10}"]
    lines += [f"  {name:<30}{calls:>7}{seconds:>10.2f}" for name, (calls, seconds) in profile.phases.items()]
    return "\n".join(lines)
