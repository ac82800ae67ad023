"""`coach next --json` says how each block is measured (`blocks[].measure`), and the text
renderer shows each block the way the JSON says."""

from __future__ import annotations

import json

from coach.cli.main import cli


def test_next_json_blocks_say_distance_or_time(runner, sqlite_url):
    assert runner.invoke(cli, ["init", "--db", sqlite_url, "--name", "Ana",
                               "--recent-race", "5k=20:30@2026-11-01"]).exit_code == 0
    args = ["next", "--db", sqlite_url, "--date", "2026-11-19"]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    blocks = json.loads(result.stdout)["session"]["blocks"]
    assert all(b["measure"] in ("distance", "time") for b in blocks)
    warmup = blocks[0]
    main = next(b for b in blocks if b["phase"] == "main")
    # the warm-up asks for minutes (its distance follows from the pace), the repeats for metres
    assert (warmup["measure"], warmup["duration_s"]) == ("time", 720.0) and warmup["distance_m"]
    assert (main["measure"], main["distance_m"]) == ("distance", 400.0) and main["duration_s"]
    text = runner.invoke(cli, args).output
    assert "12 min" in text and f"{main['repeat']} x 400 m" in text
