"""The benchmark runs at a tiny size, so that it cannot rot."""

from __future__ import annotations

import json

from benchmarks.run import main


def test_benchmark_measures_every_figure_at_a_tiny_size(tmp_path, capsys):
    assert main(["--sizes", "3", "--json", str(tmp_path / "results.json")]) == 0
    summary = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert summary["seed_build_s"] > 0
    [result] = summary["results"]
    for key in ("cold_build_s", "guide_overhead", "cards_overhead", "noop_share", "watch_share",
                "cached_share", "jobs_ratio", "peak_rss_mb", "tagging_cost", "guide_pages_per_s",
                "guide_build_s"):
        assert result[key] > 0, key
    assert "guide_overhead" in capsys.readouterr().out
