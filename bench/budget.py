"""Benchmark of the citizens' budget rules (`make bench`): ours against pabutools.

Times, in CPU seconds of this one process (pinned to one core where the system allows it):
1. our Method of Equal Shares with the add1 completion on Warsaw 2026 (61,668 voters, 83
   projects), in exact arithmetic: target under 10 seconds;
2. plain Equal Shares, ours and pabutools 1.2.3 (the reference implementation, a test-only
   dependency), on Warsaw 2026 and on smaller elections: target at least 20 times faster;
3. add1, ours and pabutools, on smaller elections. pabutools needs about 11 minutes of CPU
   time for add1 on Warsaw 2026, too long to run here; the figure comes from its record
   (rathaus/budget/tests/data/, made by record_pabutools.py), with the same outcome checked.
Every figure counts only if both give the same projects. Prints a table and, as the last line,
one JSON object with the figures.

Environment: PABULIB_DIR (the real elections, default ../shared/pabulib beside the checkout),
BENCH_REPEAT (runs of ours per figure, the fastest counts; 3).
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PABULIB_DIR = Path(os.environ.get("PABULIB_DIR", ROOT.parent / "shared" / "pabulib"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
WARSAW = "Poland_Warszawa_2026.pb"
PLAIN = [WARSAW, "Poland_Warszawa_2023_Bemowo.pb", "Poland_Swiecie_2023.pb"]
ADD1 = [
    "Netherlands_Assen_2024.pb",
    "Poland_Warszawa_2019_Grochow_Kinowa.pb",
    "France_Toulouse_2022_13_-_Rangueil_Sauzelong_Jules-Julien_Pech-David_Pouvourville.pb",
    "Poland_Swiecie_2023.pb",
]
TARGET_ADD1_SECONDS = 10
TARGET_RATIO = 20


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
    import django

    django.setup()


def _pin_to_one_core() -> str:
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    except (AttributeError, OSError):
        return "not pinned (the system does not allow it)"


def _cpu(function, repeat: int = 1):
    """(result, fastest CPU seconds of `repeat` runs)."""
    best, result = None, None
    for _ in range(repeat):
        started = time.process_time()
        result = function()
        seconds = time.process_time() - started
        best = seconds if best is None else min(best, seconds)
    return result, best


def main() -> None:
    if not (PABULIB_DIR / WARSAW).is_file():
        sys.exit(f"{PABULIB_DIR / WARSAW} is missing: set PABULIB_DIR to the Pabulib folder")
    _setup()
    from rathaus.budget.pabulib import election_parse
    from rathaus.budget.rules import equal_shares_select
    from rathaus.budget.tests.record_pabutools import RECORD, pabutools_rules

    pinned = _pin_to_one_core()
    print(f"Citizens' budget rules, CPU seconds in one process, {pinned} ...", flush=True)

    def ours(election, add1: bool):
        free = {p.project_id for p in election.projects if not p.cost}
        result = equal_shares_select(election=election, add1=add1)
        return result, sorted(pid for pid in result.winners if pid not in free)

    rows, plain, add1 = [], {}, {}
    for name in PLAIN:
        data = (PABULIB_DIR / name).read_bytes()
        election = election_parse(data=data)
        (_, mine), ours_seconds = _cpu(lambda e=election: ours(e, False), REPEAT)
        theirs, their_seconds = _cpu(pabutools_rules(data.decode("utf-8-sig"))["mes"])
        assert mine == sorted(theirs), f"{name}: plain Equal Shares differs from pabutools"
        plain[name] = {
            "voters": len(election.ballots),
            "projects": len(election.projects),
            "ours_s": round(ours_seconds, 3),
            "pabutools_s": round(their_seconds, 2),
            "ratio": round(their_seconds / ours_seconds, 1),
        }
        rows.append(("MES", name, plain[name]))
        print(f"  plain MES {name}: {plain[name]}", flush=True)
    for name in ADD1:
        data = (PABULIB_DIR / name).read_bytes()
        election = election_parse(data=data)
        (_, mine), ours_seconds = _cpu(lambda e=election: ours(e, True), REPEAT)
        theirs, their_seconds = _cpu(pabutools_rules(data.decode("utf-8-sig"))["add1"])
        assert mine == sorted(theirs), f"{name}: Equal Shares with add1 differs from pabutools"
        add1[name] = {
            "voters": len(election.ballots),
            "projects": len(election.projects),
            "ours_s": round(ours_seconds, 3),
            "pabutools_s": round(their_seconds, 2),
            "ratio": round(their_seconds / ours_seconds, 1),
        }
        rows.append(("MES+add1", name, add1[name]))
        print(f"  MES+add1 {name}: {add1[name]}", flush=True)

    warsaw = election_parse(data=(PABULIB_DIR / WARSAW).read_bytes())
    (result, mine), warsaw_seconds = _cpu(lambda: ours(warsaw, True), REPEAT)
    recorded = json.loads(RECORD.read_text())[WARSAW]
    assert mine == sorted(recorded["add1"]), "Warsaw 2026: add1 differs from pabutools' record"
    their_warsaw = recorded["add1_cpu_seconds"]
    official = {p.project_id for p in warsaw.projects if p.selected == 1}
    print(
        f"\n{'rule':9} {'election':58} {'voters':>7} {'ours s':>8} {'pabutools s':>12} {'ratio':>7}"
    )
    for rule, name, figures in rows:
        print(
            f"{rule:9} {name[:58]:58} {figures['voters']:>7} {figures['ours_s']:>8} "
            f"{figures['pabutools_s']:>12} {figures['ratio']:>7}"
        )
    print(
        f"{'MES+add1':9} {WARSAW:58} {len(warsaw.ballots):>7} {round(warsaw_seconds, 2):>8} "
        f"{str(their_warsaw) + ' (rec.)':>12} {round(their_warsaw / warsaw_seconds, 1):>7}"
    )
    print(
        f"\nWarsaw 2026, Equal Shares with add1: {len(result.winners)} projects, every voter's "
        f"share raised by {result.details['add1_increment']} PLN ({result.details['add1_end']}), "
        f"{result.details['mes_runs']} runs of MES, {warsaw_seconds:.2f} CPU seconds "
        f"(target {TARGET_ADD1_SECONDS}); the city's own (greedy) outcome funded "
        f"{len(official)} projects, {len(official & set(result.winners))} of them in ours."
    )
    warsaw_ratio = plain[WARSAW]["ratio"]
    print(
        f"Plain Equal Shares on Warsaw 2026: {warsaw_ratio} times faster than pabutools "
        f"(target {TARGET_RATIO}); load average {os.getloadavg()[0]:.1f}"
    )
    summary = {
        "bench": "budget",
        "warsaw_2026_add1_cpu_seconds": round(warsaw_seconds, 2),
        "warsaw_2026_add1_mes_runs": result.details["mes_runs"],
        "warsaw_2026_add1_increment": result.details["add1_increment"],
        "warsaw_2026_add1_projects": len(result.winners),
        "warsaw_2026_add1_pabutools_recorded_cpu_seconds": their_warsaw,
        "warsaw_2026_plain_mes_ratio": warsaw_ratio,
        "plain_mes": plain,
        "add1": add1,
        "load_average": round(os.getloadavg()[0], 1),
        "target_add1_seconds": TARGET_ADD1_SECONDS,
        "target_ratio": TARGET_RATIO,
        "meets_target": warsaw_seconds < TARGET_ADD1_SECONDS and warsaw_ratio >= TARGET_RATIO,
    }
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()
