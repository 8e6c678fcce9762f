"""Record what pabutools computes for the approval elections in the shared Pabulib folder.

pabutools needs minutes of CPU time for add1 on the larger elections (Warsaw 2026: 11, the two
Warsaw Bemowo elections: 4 and 5; about 25 for all of them), far beyond the test suite's
budget, so its outcomes are recorded once in `data/pabutools-1.2.3.json` with each file's
SHA-256; `test_oracle.py` compares our rules with the record, and with pabutools itself, live,
where it is quick. Re-record after changing the files or the pabutools version (the file name
carries it):

    .venv/bin/python -m rathaus.budget.tests.record_pabutools [FILE.pb ...]

Without arguments it records every approval election of the folder, smallest first; entries
whose file has not changed are kept, so an interrupted run continues where it stopped.
"""

import hashlib
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

from .elections import PABULIB_DIR

RECORD = Path(__file__).resolve().parent / "data" / f"pabutools-{version('pabutools')}.json"


def pabutools_rules(text: str) -> dict:
    """pabutools' parse of a Pabulib text and its rules with our tie-breaking: name -> rule."""
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = parse_pabulib_from_string(text)
    votes = {p.name: profile.approval_score(p) for p in instance}
    # Ours: equal ρ go to the lower cost, then to more votes, then to the lower id; greedy with
    # cost utilities orders by votes (total cost satisfaction / cost), then by this order.
    equal_shares_order = TieBreakingRule(lambda _i, _p, p: (p.cost, -votes[p.name], p.name))
    greedy_order = TieBreakingRule(lambda _i, _p, p: (p.cost, p.name))

    def greedy():
        winners = greedy_utilitarian_welfare(
            instance, profile, sat_class=Cost_Sat, tie_breaking=greedy_order
        )
        # pabutools also funds projects without votes when money is left; we never do.
        return [p.name for p in winners if votes[p.name]]

    def equal_shares(add1: bool):
        winners = method_of_equal_shares(
            instance,
            profile,
            sat_class=Cost_Sat,
            tie_breaking=equal_shares_order,
            voter_budget_increment=1 if add1 else None,
        )
        return [p.name for p in winners]

    return {
        "greedy": greedy,
        "mes": lambda: equal_shares(False),
        "add1": lambda: equal_shares(True),
    }


def main(paths: list[Path]) -> None:
    from rathaus.budget.pabulib import APPROVAL_VOTE_TYPES, election_parse

    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    for path in sorted(paths, key=lambda p: p.stat().st_size):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = record.get(path.name, {})
        if entry.get("sha256") != digest:
            entry = {"sha256": digest}
        if election_parse(data=data).vote_type not in APPROVAL_VOTE_TYPES:
            continue
        rules = pabutools_rules(data.decode("utf-8-sig"))
        for name in ("greedy", "mes", "add1"):
            if name in entry:
                continue
            started = time.process_time()
            entry[name] = rules[name]()
            entry[f"{name}_cpu_seconds"] = round(time.process_time() - started, 2)
            record[path.name] = entry
            RECORD.parent.mkdir(exist_ok=True)
            RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
            print(path.name, name, entry[f"{name}_cpu_seconds"], "s", flush=True)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    main([Path(arg) for arg in sys.argv[1:]] or sorted(PABULIB_DIR.glob("*.pb")))
