"""The development evaluation over several seeds: figures of each seed and pooled."""

import json

import pytest

from bench.intake import classifier_seeds


def test_seeds_are_read_as_ranges_and_single_seeds():
    assert classifier_seeds.seeds_parse("8-11,13, 15-15") == [8, 9, 10, 11, 13, 15]


@pytest.mark.parametrize("seeds", ["", "9-8", "acht", "8,"])
def test_seeds_that_are_none_are_refused_with_a_usage_error(seeds, capsys):
    with pytest.raises(SystemExit) as refused:
        classifier_seeds.main(["--seeds", seeds])
    assert refused.value.code == 2
    assert "--seeds" in capsys.readouterr().err


def test_the_figures_of_each_seed_and_pooled(capsys):
    figures = classifier_seeds.main(
        ["--seeds", "3-4", "--train", "120", "--eval", "36", "--workers", "2", "--errors"]
    )
    out = capsys.readouterr().out.strip().splitlines()

    assert json.loads(out[-1]) == figures
    assert figures["seeds"] == [3, 4]
    assert 0 < figures["coverage"] <= 1 and 0 <= figures["routing_precision"] <= 1
    routed = round(figures["coverage"] * 2 * 36)
    assert figures["routing_precision"] == round((routed - figures["routed_wrong"]) / routed, 4)
    assert figures["worst_precision"] <= figures["routing_precision"]
    rows = [line.split() for line in out if line.split()[:1] in (["3"], ["4"])]
    assert [row[0] for row in rows] == ["3", "4"]
    # Every wrongly routed letter is listed, with its seed.
    listed = [line for line in out if line.startswith(("3/eval-", "4/eval-"))]
    assert len(listed) == figures["routed_wrong"]
