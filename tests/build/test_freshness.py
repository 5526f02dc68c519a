"""Only the work that changed: unchanged outputs are skipped, changes rebuild their dependents."""

from __future__ import annotations

import shutil
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.optiontable import EVERY_OUTPUT, OPTION, OPTIONS, Option, options_with
from studyguide.build.pipeline import Memo, _fingerprints, _load, build, warm
from studyguide.cli.main import main
from studyguide.content.selection import Selection
from studyguide.diagnostics import Collector
from studyguide.editions import registry as outputs
from studyguide.editions.job import Job
from studyguide.editions.names import DEFAULT_OUTPUTS, OUTPUT_NAMES
from studyguide.editions.registry import OUTPUTS, Rendered
from studyguide.editions.worksheet import Pick, WorksheetOptions
from studyguide.engine.partcache import PartCache
from studyguide.engine.scheduling import Steps
from studyguide.engine.weasy import Resources
from studyguide.engine.workers import Limits
from studyguide.flashcards.faces import CardOptions
from studyguide.html import fonts
from studyguide.html.templates import PageRenderer
from studyguide.markup import convert

from ..conftest import ROOT, write_guide
from ..pdfinfo import page_texts

ALL = DEFAULT_OUTPUTS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project built once; each test gets a copy of it."""
    folder = tmp_path_factory.mktemp("fresh")
    write_guide(folder / "content", (
        "title: Fresh\nupdated: 2026-11-28\nsections:\n  - title: One\n    cards:\n"
        "      - id: a\n        question: First?\n        answer: The first answer.\n"
        "      - id: b\n        question: Second?\n        answer: The second answer.\n"))
    shutil.copytree(ROOT / "templates", folder / "templates")
    build(options_for(folder))
    return folder


def options_for(folder: Path) -> BuildOptions:
    return BuildOptions(content_dir=folder / "content", out_dir=folder / "out",
                        templates_dir=folder / "templates", only=ALL)


@pytest.fixture
def project(built: Path, tmp_path: Path) -> BuildOptions:
    shutil.copytree(built, tmp_path / "project")
    return options_for(tmp_path / "project")


def rebuilt(options: BuildOptions, memo: Memo | None = None) -> list[str]:
    return sorted(output.path.name for output in build(options, memo=memo).outputs)


render_card = convert._render_card
ALL_FILES = ("guide.pdf", "tablet.pdf", "quiz.pdf", "flashcards.pdf", "flashcards.apkg", "flashcards.tsv",
             "flashcards.csv")


def test_nothing_changed_renders_nothing(project):
    report = build(project)
    assert report.outputs == []
    assert sorted(path.name for path in report.skipped) == sorted(ALL_FILES)


def test_a_build_with_nothing_to_do_does_not_load_the_renderer(project):
    script = ("import sys; from studyguide.cli.main import main; "
              f"code = main(['build', '--content', {str(project.content_dir)!r}, '--out', "
              f"{str(project.out_dir)!r}]); print(code, 'weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                            check=True)
    assert result.stdout.splitlines()[-1] == "0 False"


@pytest.mark.parametrize(("template", "dependents"), [
    ("guide.css", ["guide.pdf"]),
    ("cards.css", ["flashcards.pdf"]),
    ("quiz.css", ["quiz.pdf"]),
    ("theme.css", ["flashcards.pdf", "guide.pdf", "quiz.pdf", "tablet.pdf"]),
])
def test_a_changed_template_rebuilds_exactly_what_uses_it(project, template, dependents):
    path = project.templates_dir / template
    path.write_text(path.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert rebuilt(project) == dependents


def test_a_template_edited_between_builds_of_one_process_is_read_again(project):
    path = project.templates_dir / "guide.html"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '<h1 class="cover-title">', '<h1 class="cover-title">Edited '), encoding="utf-8")
    assert rebuilt(project) == ["guide.pdf"]
    assert "Edited Fresh" in page_texts(project.out_dir / "guide.pdf")[0]


@pytest.fixture
def markup(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cards whose markup is rendered, by id, as they are."""
    rendered = []

    def counted(*args):
        rendered.append(args[2].id)
        return render_card(*args)

    monkeypatch.setattr(convert, "_render_card", counted)
    return rendered


def edit_first_answer(project: BuildOptions) -> None:
    path = project.content_dir / "guide.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("first answer", "first answer, edited"),
                    encoding="utf-8")


def test_a_watcher_whose_first_build_has_nothing_to_do_is_warmed_for_the_next(project, markup):
    memo = Memo()
    assert build(project, memo=memo).outputs == [] and memo == Memo()
    warm(project, memo)
    assert sorted(card.id for _, card in memo.markup) == ["a", "b"] and markup == ["a", "b"]
    markup.clear()
    edit_first_answer(project)
    assert rebuilt(project, memo) == sorted(ALL_FILES)
    assert markup == ["a"]  # the card that changed; the other's markup was kept by the warm-up


@pytest.mark.parametrize(("kept", "rendered_again"), [("as built", ["a"]), ("damaged", ["a", "b"])])
def test_a_new_process_renders_the_markup_of_the_cards_that_changed(kept, rendered_again, project, markup):
    if kept == "damaged":
        (project.out_dir / ".cache" / "markup.json").write_text("{not json", encoding="utf-8")
    edit_first_answer(project)
    assert rebuilt(project) == sorted(ALL_FILES)  # a new memory, as a new process has
    assert markup == rendered_again


def test_a_changed_option_rebuilds_exactly_what_it_shapes(project):
    assert rebuilt(replace(project, paper="letter")) == ["flashcards.pdf", "guide.pdf"]
    assert rebuilt(replace(project, paper="letter", theme="dark")) == ["quiz.pdf", "tablet.pdf"]


def test_a_changed_card_rebuilds_everything(project):
    guide = project.content_dir / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("first answer", "new answer"),
                     encoding="utf-8")
    assert len(rebuilt(project)) == len(ALL)


def test_a_changed_or_deleted_output_is_built_again(project):
    (project.out_dir / "guide.pdf").write_bytes(b"tampered")
    (project.out_dir / "flashcards.tsv").unlink()
    assert rebuilt(project) == ["flashcards.tsv", "guide.pdf"]


def test_rebuild_builds_everything(project):
    assert len(rebuilt(replace(project, rebuild=True))) == len(ALL)


def test_formulas_drawn_once_are_kept_for_the_next_run(project, monkeypatch):
    from studyguide.markup import formulas as tex

    guide = project.content_dir / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("The first answer.", "It is $x^2 + y_k$."),
                     encoding="utf-8")
    build(project)
    saved = (project.out_dir / ".cache" / "formulas.json").read_text(encoding="utf-8")
    assert "inline:x^2 + y_k" in saved

    monkeypatch.setattr(tex, "_drawings", {})  # a new process: nothing in memory

    def no_drawing(latex, display):
        raise AssertionError(f"drew {latex} again")

    monkeypatch.setattr(tex, "_draw", no_drawing)
    assert rebuilt(replace(project, rebuild=True)) == sorted(
        ["guide.pdf", "tablet.pdf", "quiz.pdf", "flashcards.pdf", "flashcards.apkg", "flashcards.tsv",
         "flashcards.csv"])


def test_outputs_are_readable_like_any_file(project):
    assert (project.out_dir / "guide.pdf").stat().st_mode & 0o044 == 0o044


def test_an_output_folder_inside_the_content_is_not_content(project):
    inside = replace(project, out_dir=project.content_dir / "output")
    build(inside)
    assert build(inside).outputs == []


def test_links_and_special_files_in_the_content_are_not_read_to_fingerprint(project):
    import os

    (project.content_dir / "memory").symlink_to("/proc/self/mem")
    os.mkfifo(project.content_dir / "pipe")
    assert build(project).outputs != []  # the folder changed: two new names
    assert build(project).outputs == []


def test_a_planted_formula_drawing_is_not_trusted(tmp_path, monkeypatch):
    import json

    from studyguide.markup import formulas as tex

    monkeypatch.setattr(tex, "_drawings", {})
    cache = tmp_path / "formulas.json"
    def saved(svg: str, width: object = 1.0) -> dict[str, object]:
        return {"svg": svg, "width_em": width, "height_em": 1.0}

    drawn = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M 0 0"/></svg>'
    cache.write_text(json.dumps({"version": tex._version(), "drawings": {
        "inline:x": saved('<svg viewBox="0 0 1 1"><script>alert(1)</script></svg>'),
        "inline:y": saved('<svg viewBox="0 0 1 1"><image href="file:///etc/passwd"/></svg>'),
        "inline:w": saved(drawn, width="1em"),  # a size is a number
        "inline:v": drawn,  # a drawing without its size
        "inline:z": saved(drawn)}}), encoding="utf-8")
    tex.load_drawings(cache)
    assert set(tex._drawings) == {"inline:z"}
    assert tex.drawing_of(tex._drawings["inline:z"].opening).width_em == 1.0


def test_the_dark_theme_stylesheet_is_a_dependency_of_the_dark_editions(project):
    dark = replace(project, theme="dark")
    build(dark)
    sheet = project.templates_dir / "theme-dark.css"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert rebuilt(dark) == ["quiz.pdf", "tablet.pdf"]
    assert rebuilt(project) == ["quiz.pdf", "tablet.pdf"]  # back to light: built from light again


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A copy of the package, which freshness takes for its own code."""
    from studyguide.build import freshness

    copy = tmp_path / "studyguide"
    shutil.copytree(freshness._CODE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(freshness, "_CODE_DIR", copy)
    return copy


@pytest.mark.parametrize("edited", ["importers/fields.py", "content/catalogs/de.yaml", "markup/convert.py"])
def test_editing_any_file_of_the_package_changes_the_fingerprint(package, edited):
    from studyguide.build.freshness import code_digest

    before = code_digest()
    path = package / edited
    original = path.read_bytes()
    path.write_bytes(original + b"\n# edited\n")
    assert code_digest() != before
    path.write_bytes(original)
    assert code_digest() == before


def test_a_module_in_a_new_subpackage_changes_the_fingerprint(package):
    from studyguide.build.freshness import code_digest

    before = code_digest()
    (package / "flashcards_pkg").mkdir()
    (package / "flashcards_pkg" / "__init__.py").write_text("", encoding="utf-8")
    assert code_digest() != before


def test_bytecode_is_not_part_of_the_fingerprint(package):
    from studyguide.build.freshness import code_digest

    before = code_digest()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "markup.cpython-311.pyc").write_bytes(b"\0")
    assert code_digest() == before


def pinned(requirements: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in requirements.read_text(encoding="utf-8").splitlines())
    return {line.split("==")[0].lower() for line in lines if line}


def test_the_version_of_every_requirement_is_part_of_the_fingerprint(monkeypatch):
    from importlib import metadata

    from studyguide.build import freshness

    names = freshness.requirements()
    assert set(names) == pinned(ROOT / "requirements.txt") and "ziafont" in names
    before = freshness.code_digest()
    version = metadata.version
    for name in names:
        monkeypatch.setattr(metadata, "version", lambda library, name=name: "0.0.0" if library == name
                            else version(library))
        assert freshness.code_digest() != before, name


def test_an_installed_package_reads_its_requirements_from_its_metadata(monkeypatch, tmp_path):
    from importlib import metadata

    from studyguide.build import freshness

    monkeypatch.setattr(freshness, "_REQUIREMENTS", tmp_path / "requirements.txt")  # no checkout here
    monkeypatch.setattr(metadata, "requires", lambda name: ["Jinja2==3.1.6", "ziafont==0.11",
                                                            'pytest==8; extra == "test"'])
    assert freshness.requirements() == ("jinja2", "ziafont")


# For every option of the table, a value other than its default that still builds.
OTHER = {
    "content_dir": None,  # a copy of the content: the same files elsewhere
    "out_dir": Path("elsewhere"),
    "paper": "letter",
    "part_breaks": "page",
    "only": ("guide",),
    "selection.tags": ("none",),
    "selection.sections": ("One",),
    "selection.difficulties": ("hard",),
    "selection.ids": ("a",),
    "tablet_ratio": (10, 16),
    "theme": "dark",
    "shuffle_seed": 7,
    "cards.card_size": "poker",
    "cards.duplex": "fold",
    "cards.back_offset": (1.5, -0.5),
    "cards.safe_margin": 5.0,
    "cards.cut_lines": True,
    "cards.strict": True,
    "worksheet.answer_space": "dots",
    "worksheet.pick": Pick(2, 5),
    "limits.jobs": 1,
    "limits.seconds": 60.0,
    "rebuild": True,
    "tagged": False,
    "emit_html": True,
    "limits.memory_mb": 1024,
    "language": "de",
}


def other_value(option: Option, folder: Path) -> object:
    if option.field == "content_dir":
        return shutil.copytree(folder / "content", folder.parent / f"{folder.name}-copy", dirs_exist_ok=True)
    value = OTHER[option.field]
    assert value != option.default
    return value


def test_every_option_has_another_value_to_try():
    assert set(OTHER) == set(OPTION)


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.field)
def test_an_option_makes_stale_exactly_the_outputs_it_affects(built, option):
    every = replace(options_for(built), only=OUTPUT_NAMES)
    before = _fingerprints(every)
    after = _fingerprints(options_with({option.field: other_value(option, built)}, every))
    assert {name for name in after if after[name] != before[name]} == option.affects


def test_a_changed_option_rebuilds_what_it_affects_and_reports_the_rest_unchanged(project, capsys):
    theme = OPTION["theme"]
    argv = ["build", "--content", str(project.content_dir), "--out", str(project.out_dir),
            theme.flags[0].name, OTHER[theme.field]]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    unchanged = sorted(Path(line.split()[0]).name for line in lines if line.endswith("  unchanged"))
    rebuilt = sorted(Path(line.split()[0]).name for line in lines if not line.endswith("  unchanged"))
    assert rebuilt == sorted(OUTPUTS[name].filename for name in theme.affects)
    assert unchanged == sorted(OUTPUTS[name].filename for name in ALL if name not in theme.affects)


_HOLDERS = {BuildOptions: "", CardOptions: "cards.", Selection: "selection.", Limits: "limits.",
            WorksheetOptions: "worksheet."}


@contextmanager
def reads_recorded():
    """The fields of the options read in the block. A copy that an output makes with replace()
    counts as the options it was copied from, but for the fields it set itself."""
    read: set[str] = set()
    set_by_copy: dict[int, set[str]] = {}
    copies = []  # kept alive, so that no other object takes a copy's id

    def recording(prefix: str):
        def get(self, name: str):
            if (sys._getframe(1).f_globals.get("__name__") != "dataclasses"
                    and name not in set_by_copy.get(id(self), ())):
                read.add(prefix + name)
            return object.__getattribute__(self, name)
        return get

    def copying(original, **changes):
        copy = replace(original, **changes)
        set_by_copy[id(copy)] = set_by_copy.get(id(original), set()) | set(changes)
        copies.append(copy)
        return copy

    with pytest.MonkeyPatch.context() as patch:
        for holder, prefix in _HOLDERS.items():
            patch.setattr(holder, "__getattribute__", recording(prefix), raising=False)
        patch.setattr(outputs, "replace", copying)
        yield read


def rendered_here(steps: Steps) -> Rendered:
    """An output's render steps run in this process, one task after the other."""
    results = None
    try:
        while True:
            results = {name: task() for name, task in steps.send(results).items()}
    except StopIteration as done:
        return done.value


@pytest.fixture(scope="module")
def reads(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """For each output, the options its preparing and rendering read, with the defaults and with
    every other value (the selection aside: the pipeline applies it before any output)."""
    plain = options_for(built)
    # the folders stay: the content is the built one, and the outputs' files go beside the built ones
    kept_apart = ("content_dir", "out_dir")
    changed = options_with({field: value for field, value in OTHER.items()
                            if not field.startswith("selection.") and field not in kept_apart}, plain)
    found: dict[str, set[str]] = {name: set() for name in OUTPUTS}
    for options in (plain, changed):
        guide = _load(options, Collector())
        resources = Resources(guide.content_dir,
                              (guide.content_dir, options.templates_dir, *fonts.font_dirs()))
        cache = PartCache(tmp_path_factory.mktemp("parts"), "", reading=False)
        for name, output in OUTPUTS.items():
            job = Job(guide, options, PageRenderer(options.templates_dir, Collector()), resources, cache)
            with reads_recorded() as read:
                rendered = rendered_here(output.render_steps(job, output.prepare(job)))
            # where the file goes (a joined PDF is written beside it) is not what it holds
            found[name] |= read & set(OPTION) - {"out_dir"}
            if rendered.html is not None:  # the pipeline writes it beside the file with --emit-html
                found[name].add("emit_html")
    return found


def undeclared(reads: dict[str, set[str]], options: tuple[Option, ...]) -> list[str]:
    """What the table gets wrong: an option an output reads but is not said to shape, or one
    said to shape an output that never reads it (but for those that shape every output)."""
    table = {option.field: option.affects for option in options}
    missing = [f"{field} shapes {name}" for name, fields in reads.items() for field in fields
               if name not in table[field]]
    extra = [f"{field} does not shape {name}" for field, affects in table.items() if affects != EVERY_OUTPUT
             for name in affects if field not in reads[name]]
    return sorted(missing + extra)


def test_the_table_says_which_outputs_each_option_shapes(reads):
    assert undeclared(reads, OPTIONS) == []


def test_an_option_that_forgets_an_output_it_shapes_is_caught(reads):
    forgetful = tuple(replace(option, affects=option.affects - {"quiz"}) if option.field == "theme"
                      else option for option in OPTIONS)
    assert undeclared(reads, forgetful) == ["theme shapes quiz"]


def test_a_second_build_into_a_folder_being_written_is_refused_and_changes_nothing(project, capsys):
    from studyguide.build import outfolder

    out = project.out_dir

    def files() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}

    with outfolder.held(out):
        before = files()
        code = main(["build", "--content", str(project.content_dir), "--out", str(out), "--rebuild",
                     "--only", "tsv"])
        assert files() == before
    assert code == 1
    assert f"another build is writing into {out}" in capsys.readouterr().err


def test_a_manifest_that_cannot_be_written_leaves_the_new_file_said_to_be_written(project, capsys):
    from studyguide.build.freshness import MANIFEST

    out = project.out_dir
    (out / MANIFEST).unlink()
    (out / MANIFEST).mkdir()  # a manifest that cannot be replaced
    (out / "flashcards.tsv").write_bytes(b"stale")
    code = main(["build", "--content", str(project.content_dir), "--out", str(out), "--only", "tsv"])
    printed = capsys.readouterr()
    assert code == 0
    assert (out / "flashcards.tsv").read_bytes() != b"stale"
    assert f"{out / 'flashcards.tsv'}  2 cards" in printed.out
    assert (f"warning: flashcards.tsv was written, but not recorded as up to date (cannot write "
            f"{out / MANIFEST}: Is a directory); the next build makes it again") in printed.err
    assert "nothing was written" not in printed.err
