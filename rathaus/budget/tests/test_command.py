"""`manage.py budget_results`: anyone can recompute a published result from its .pb file."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rathaus.budget.pabulib import MAX_BYTES, election_parse, election_write

from .elections import SAMPLES, pabulib_file
from .test_equal_shares import MAJORITY


@pytest.fixture(autouse=True)
def _english_messages(english):
    """These tests assert the (English) source wording of the messages."""


@pytest.fixture
def majority_file(tmp_path):
    path = tmp_path / "majority.pb"
    path.write_bytes(election_write(election=MAJORITY))
    return path


def _run(*args) -> str:
    out = StringIO()
    call_command("budget_results", *map(str, args), stdout=out)
    return out.getvalue()


def test_equal_shares_prints_the_winners_as_one_json_line(majority_file):
    out = _run(majority_file, "--rule", "equal-shares")
    assert out.count("\n") == 1
    assert json.loads(out) == ["X1", "X2", "Y1"]  # in the order of selection


def test_equal_shares_without_add1_on_request(majority_file):
    # Plain MES leaves money unspent here; add1 spends it on X2.
    assert json.loads(_run(majority_file, "--rule", "equal-shares", "--no-add1")) == ["X1", "Y1"]


def test_greedy_prints_its_winners_and_takes_its_variant(majority_file, tmp_path):
    assert json.loads(_run(majority_file, "--rule", "greedy")) == ["X1", "X2", "X3"]
    election = election_parse(data=(SAMPLES / "approval.pb").read_bytes())
    path = tmp_path / "sample.pb"
    path.write_bytes(election_write(election=election))
    # p1 (4 votes, 600), p2 (3 votes, 400.50: 1000.50 in all), p3 (2 votes, no money left).
    assert json.loads(_run(path, "--rule", "greedy")) == ["p1", "p2"]
    assert json.loads(_run(path, "--rule", "greedy", "--variant", "stop")) == ["p1", "p2"]
    assert json.loads(_run(path, "--rule", "greedy", "--min-votes", "4")) == ["p1"]
    # 3 of 6 voters are 50 %: p2 is in, p3 (2 of 6) is not.
    assert json.loads(_run(path, "--rule", "greedy", "--min-votes", "50%")) == ["p1", "p2"]
    assert json.loads(_run(path, "--rule", "greedy", "--min-votes", "50.1%")) == ["p1"]


def test_ids_keep_their_letters(tmp_path):
    path = tmp_path / "umlaut.pb"
    text = (SAMPLES / "choose-1.pb").read_text().replace("\nA;", "\nÄ;").replace("v1;A", "v1;Ä")
    path.write_text(text.replace("v3;A", "v3;Ä"), encoding="utf-8")
    assert _run(path, "--rule", "greedy") == '["Ä"]\n'


def test_warsaw_2026_gives_the_city_result_with_its_threshold():
    path = pabulib_file("Poland_Warszawa_2026.pb")
    election = election_parse(data=path.read_bytes())
    official = {p.project_id for p in election.projects if p.selected == 1}
    winners = json.loads(_run(path, "--rule", "greedy", "--min-votes", "3000"))
    assert set(winners) == official


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rule", "equal-shares", "--variant", "stop"], "apply to the greedy rule only"),
        (["--rule", "equal-shares", "--min-votes", "3"], "apply to the greedy rule only"),
        (["--rule", "greedy", "--min-votes", "lots"], "must be a number of votes or a percentage"),
        (["--rule", "greedy", "--min-votes", "-3"], "must be a number of votes or a percentage"),
        (["--rule", "greedy", "--min-votes", "120%"], "must be a number of votes or a percentage"),
        (["--rule", "greedy", "--min-votes", "2.5"], "whole number of votes"),
        (["--rule", "greedy", "--min-votes", "NaN"], "must be a number of votes or a percentage"),
        (["--rule", "greedy", "--no-add1"], "applies to the equal-shares rule only"),
    ],
)
def test_bad_options_are_refused(majority_file, args, message):
    with pytest.raises(CommandError, match=message):
        _run(majority_file, *args)


def test_an_unknown_rule_is_refused(majority_file):
    with pytest.raises(CommandError, match="invalid choice: 'phragmen'"):
        _run(majority_file, "--rule", "phragmen")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.pb cannot be read \(No such file"):
        _run(tmp_path / "missing.pb", "--rule", "greedy")


def test_a_broken_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.pb"
    path.write_text((SAMPLES / "choose-1.pb").read_text().replace("v2;B", "v2;Q"))
    with pytest.raises(
        CommandError, match=r"broken\.pb: line 20: the vote names the unknown project Q"
    ):
        _run(path, "--rule", "equal-shares")


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.pb"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES * 4)  # sparse: 200 MB of zeros that take no disk space
    with pytest.raises(CommandError, match=r"huge\.pb: The file is larger than 50 MB"):
        _run(path, "--rule", "greedy")


def test_ballots_the_rules_cannot_count_are_refused():
    with pytest.raises(CommandError, match="this election has cumulative ballots"):
        _run(SAMPLES / "cumulative.pb", "--rule", "greedy")


def test_the_help_says_the_order_is_that_of_selection(capsys):
    with pytest.raises(SystemExit):
        call_command("budget_results", "--help")
    assert "in the order the rule selected them" in " ".join(capsys.readouterr().out.split())
