"""The benchmark runs at a tiny size, so that it cannot rot."""

from __future__ import annotations

import json
import shutil

from benchmarks import phases
from benchmarks.run import main

from .conftest import CONTENT


def test_benchmark_measures_every_figure_at_a_tiny_size(tmp_path, capsys):
    assert main(["--sizes", "3", "--json", str(tmp_path / "results.json")]) == 0
    summary = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert summary["seed_build_s"] > 0
    for key in ("seed_render_s", "seed_guide_over_render", "seed_all_over_render"):
        assert summary[key] > 0, key
    assert summary["seed_watch_all_guide_s"] < summary["seed_watch_all_s"]  # the guide is not held back
    [result] = summary["results"]
    for key in ("cold_build_s", "guide_overhead", "cards_overhead", "noop_share", "watch_share",
                "cached_share", "jobs_ratio", "peak_rss_mb", "tagging_cost", "guide_pages_per_s",
                "guide_build_s"):
        assert result[key] > 0, key
    assert "guide_overhead" in capsys.readouterr().out


def test_the_profile_splits_an_edit_by_phase(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    profile = phases.profile_edit(content, tmp_path / "out", ("guide", "cards"))
    assert {"load the YAML", "markup and formulas", "prepare (templates checked)", "WeasyPrint layout",
            "WeasyPrint PDF write", "join", "files written"} <= profile.phases.keys()
    calls, seconds = profile.phases["files written"]
    assert calls == 2 and 0 < seconds < profile.wall
    assert "Profiled" in (content / "guide.yaml").read_text(encoding="utf-8")  # the edit was made
    table = phases.table("edit", profile)
    assert table.startswith("edit: ") and "WeasyPrint layout" in table
