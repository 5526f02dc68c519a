"""python build.py new: a starter guide that builds every output at once."""

from __future__ import annotations

from studyguide.build.options import BuildOptions
from studyguide.cli.main import main
from studyguide.editions.names import OUTPUT_NAMES
from studyguide.editions.registry import OUTPUTS

from ..conftest import build_clean
from ..pdfinfo import page_texts


def test_a_new_guide_builds_every_output_with_no_warning(tmp_path, capsys):
    folder = tmp_path / "my-guide"
    assert main(["new", str(folder)]) == 0
    assert f"{folder / 'guide.yaml'}: a starter guide" in capsys.readouterr().out
    options = BuildOptions(content_dir=folder, out_dir=tmp_path / "out", only=OUTPUT_NAMES)
    report = build_clean(options)
    assert sorted(output.path.name for output in report.outputs) == sorted(
        OUTPUTS[name].filename for name in OUTPUT_NAMES)
    guide = "\n".join(page_texts(tmp_path / "out" / "guide.pdf"))
    assert "How do you reverse a list in Python?" in guide and "{{" not in guide


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert not (tmp_path / "guide.yaml").exists()
