"""The development evaluation over several seeds: figures of each seed and pooled."""

import json

import pytest

from bench.intake import classifier_seeds
from rathaus.classifier import training


def test_seeds_are_read_as_ranges_and_single_seeds():
    assert classifier_seeds.seeds_parse("8-11,13, 15-15") == [8, 9, 10, 11, 13, 15]


@pytest.mark.parametrize("seeds", ["", "9-8", "acht", "8,"])
def test_seeds_that_are_none_are_refused_with_a_usage_error(seeds, capsys):
    with pytest.raises(SystemExit) as refused:
        classifier_seeds.main(["--seeds", seeds])
    assert refused.value.code == 2
    assert "--seeds" in capsys.readouterr().err


@pytest.mark.parametrize("floors", ["1.5", "-0.1", "0.6,x", ""])
def test_floors_that_are_none_are_refused_with_a_usage_error(floors, capsys):
    with pytest.raises(SystemExit) as refused:
        classifier_seeds.main(["--seeds", "3", "--floors", floors])
    assert refused.value.code == 2
    assert "--floors" in capsys.readouterr().err


def test_a_seed_meets_the_targets_only_with_all_three():
    assert classifier_seeds.meets_targets(macro_f1=0.95, coverage=0.85, precision=0.98)
    assert not classifier_seeds.meets_targets(macro_f1=0.99, coverage=0.849, precision=1.0)
    assert not classifier_seeds.meets_targets(macro_f1=0.99, coverage=0.95, precision=0.979)
    assert not classifier_seeds.meets_targets(macro_f1=0.949, coverage=0.95, precision=1.0)


def test_the_figures_of_each_seed_and_pooled(capsys):
    floor = training.MIN_THRESHOLD
    arguments = ["--seeds", "3-4", "--train", "120", "--eval", "36", "--workers", "2"]
    figures = classifier_seeds.main([*arguments, "--errors", "--floors", f"0.3,{floor},0.95"])
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
    # Each seed's verdict, and how many reach the targets.
    verdicts = [line for line in out if line.split()[:1] in (["3"], ["4"])]
    met = sum(1 for line in verdicts if line.endswith(" met") and "NOT" not in line)
    assert figures["seeds_meeting_targets"] == met
    # The floors: the method's own floor gives the figures above; a higher floor routes no more
    # letters, and at 0.95 hardly any.
    low, own, high = figures["floors"]
    assert [row["floor"] for row in figures["floors"]] == [0.3, floor, 0.95]
    assert own["coverage"] == figures["coverage"]
    assert own["routed_wrong"] == figures["routed_wrong"]
    assert low["coverage"] >= own["coverage"] >= high["coverage"]
    assert low["routed_wrong"] >= own["routed_wrong"] >= high["routed_wrong"]
    assert all(0 <= row["seeds_meeting_targets"] <= 2 for row in figures["floors"])
