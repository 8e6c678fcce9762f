"""Load benchmark of the service portal on PostgreSQL (`make bench`).

Simulated citizens complete the resident parking permit, step by step, against gunicorn on this
machine; in the same run the same number of clients hit a bare Django view that inserts one row
(the floor). Prints a table and, as the last line, one JSON object with the figures.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/rathaus_bench),
BENCH_USERS (50), BENCH_FLOWS (flows per user, 4), BENCH_THINK (mean seconds a citizen reads and
types before the next page, 2; 0 turns the citizens into a stress test), BENCH_WORKERS,
BENCH_THREADS (gunicorn).
Only 127.0.0.1 is ever contacted.
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
USERS = int(os.environ.get("BENCH_USERS", "50"))
FLOWS = int(os.environ.get("BENCH_FLOWS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
THINK = float(os.environ.get("BENCH_THINK", "2"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rathaus_bench"
)
SERVICE = "bewohnerparkausweis"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(var_dir: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RATHAUS_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        RATHAUS_VAR_DIR=var_dir,
        RATHAUS_SECURE_SSL_REDIRECT="0",
        RATHAUS_SECURE_COOKIES="0",
        RATHAUS_HSTS_SECONDS="0",
        RATHAUS_ALLOWED_HOSTS="127.0.0.1",
        RATHAUS_SECRET_KEY="bench-" + "x" * 60,
        RATHAUS_LOG_LEVEL="WARNING",
        RATHAUS_DB_CONN_MAX_AGE="600",
    )
    return env


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _prepare_database(env: dict) -> list[str]:
    """A fresh database with the demo city, the catalogue and one session per simulated user."""
    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "createcachetable", "-v0")
    _manage(env, "demo_city", "--force")
    _manage(env, "catalog_load")
    _manage(env, "collectstatic", "--noinput", "-v0")
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, note text)")
    script = (
        "import json\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from rathaus.accounts.models import User\n"
        "keys = []\n"
        f"for n in range({USERS}):\n"
        "    user, _ = User.objects.get_or_create(email=f'bench{n}@example.org',"
        " defaults={'register_id': '100001'})\n"
        "    s = SessionStore()\n"
        "    s[SESSION_KEY] = str(user.pk)\n"
        "    s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "    s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "    s['rathaus_level_of_assurance'] = 2\n"
        "    s.create()\n"
        "    keys.append(s.session_key)\n"
        "print(json.dumps(keys))\n"
    )
    return json.loads(_manage(env, "shell", "-c", script).strip().splitlines()[-1])


class Recorder:
    def __init__(self, think: float = 0.0):
        self.think = think
        self.random = random.Random(4711)  # noqa: S311  (pauses, not secrets)
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def call(self, label: str, send, expect: tuple[int, ...] = (200, 302)):
        if self.think:
            with self.lock:
                pause = self.random.uniform(0.5 * self.think, 1.5 * self.think)
            time.sleep(pause)
        started = time.perf_counter()
        try:
            response = send()
        except requests.RequestException:
            with self.lock:
                self.errors[label] += 1
            raise
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.samples[label].append(elapsed)
            if response.status_code not in expect:
                self.errors[label] += 1
        return response


STEP_DATA = {
    "residence": {"residence_type": "main"},
    "address": {
        "address__street": "Luisenstraße",
        "address__house_number": "71",
        "address__postcode": "42103",
        "address__town": "Wuppertal",
    },
    "vehicles": {"plate_1": "W-LS 1403", "plate_2": "", "plate_3": ""},
    "keeper": {"registered_to_applicant": "yes"},
    "request": {"request_type": "new"},
    "declaration": {"truthful": "on"},
}


def _citizen(base: str, session_key: str, recorder: Recorder, submissions: list) -> None:
    http = requests.Session()
    http.cookies.set("sessionid", session_key, domain="127.0.0.1")
    for _ in range(FLOWS):
        try:
            _flow(base, http, recorder, submissions)
        except (requests.RequestException, AttributeError):
            continue  # counted as an error; the citizen starts again


def _flow(base: str, http: requests.Session, recorder: Recorder, submissions: list) -> None:
    page = recorder.call("service page", lambda: http.get(f"{base}/leistungen/{SERVICE}/"))
    token = CSRF.search(page.text).group(1)
    response = recorder.call(
        "start",
        lambda t=token: http.post(
            f"{base}/antraege/neu/{SERVICE}/",
            data={"csrfmiddlewaretoken": t},
            allow_redirects=False,
        ),
    )
    location = response.headers.get("Location", "")
    while "/schritt/" in location:
        step_id = location.rstrip("/").rsplit("/", 1)[1]
        page = recorder.call(f"{step_id} (GET)", lambda u=location: http.get(base + u))
        token = CSRF.search(page.text).group(1)
        data = {**STEP_DATA.get(step_id, {}), "csrfmiddlewaretoken": token}
        response = recorder.call(
            f"{step_id} (POST)",
            lambda u=location, d=data: http.post(base + u, data=d, allow_redirects=False),
        )
        location = response.headers.get("Location", "")
    review = recorder.call("review (GET)", lambda u=location: http.get(base + u))
    token = CSRF.search(review.text).group(1)
    key = KEY.search(review.text).group(1)
    response = recorder.call(
        "submit (POST)",
        lambda u=location, t=token, k=key: http.post(
            base + u,
            data={"csrfmiddlewaretoken": t, "idempotency_key": k},
            allow_redirects=False,
        ),
    )
    confirmation = response.headers.get("Location", "")
    if "/bestaetigung/" in confirmation:
        submissions.append(time.perf_counter())
        recorder.call("confirmation (GET)", lambda u=confirmation: http.get(base + u))


def _floor_client(base: str, recorder: Recorder, requests_per_user: int) -> None:
    http = requests.Session()
    for _ in range(requests_per_user):
        try:
            recorder.call("floor (POST)", lambda: http.post(f"{base}/bench/floor/"), expect=(200,))
        except requests.RequestException:
            continue


def _run_clients(target, args_list) -> float:
    threads = [threading.Thread(target=target, args=args) for args in args_list]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(pick(0.95), 1),
        "p99_ms": round(pick(0.99), 1),
    }


def main() -> None:
    var_dir = tempfile.mkdtemp(prefix="rathaus-bench-")
    env = _environment(var_dir)
    print(f"Preparing {DATABASE_URL} with the demo city and {USERS} citizens ...", flush=True)
    sessions = _prepare_database(env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")

        # Warm up: every worker thread imports, opens its database connection and fills its
        # caches, so the first measured citizens do not pay for it.
        def warm_up(_index: int) -> None:
            http = requests.Session()
            for _ in range(3):
                http.get(f"{base}/leistungen/{SERVICE}/")
                http.post(f"{base}/bench/floor/")

        _run_clients(warm_up, [(n,) for n in range(WORKERS * THREADS * 2)])
        portal, submissions = Recorder(think=THINK), []
        print(
            f"{USERS} citizens x {FLOWS} resident parking permits, about {THINK} s per page ...",
            flush=True,
        )
        portal_seconds = _run_clients(
            _citizen, [(base, key, portal, submissions) for key in sessions]
        )
        # The floor sees the same clients with the same pauses, one request per "page".
        floor = Recorder(think=THINK)
        per_user = max(1, sum(len(v) for v in portal.samples.values()) // USERS)
        print(f"{USERS} clients x {per_user} requests to the floor view ...", flush=True)
        floor_seconds = _run_clients(_floor_client, [(base, floor, per_user) for _ in sessions])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)

    steps = {label: _percentiles(values) for label, values in portal.samples.items()}
    floor_figures = _percentiles(floor.samples["floor (POST)"])
    worst_p99 = max(figures["p99_ms"] for figures in steps.values())
    result = {
        "users": USERS,
        "think_seconds": THINK,
        "workers": WORKERS,
        "threads": THREADS,
        "cores": os.cpu_count(),
        "submissions": len(submissions),
        "submissions_per_second": round(len(submissions) / portal_seconds, 2),
        "portal_seconds": round(portal_seconds, 1),
        "errors": sum(portal.errors.values()) + sum(floor.errors.values()),
        "errors_by_step": dict(portal.errors) | dict(floor.errors),
        "steps": steps,
        "floor": {
            **floor_figures,
            "requests_per_second": round(floor_figures["count"] / floor_seconds, 1),
        },
        "worst_step_p99_ms": worst_p99,
        "worst_step_p99_over_floor_p99": round(worst_p99 / floor_figures["p99_ms"], 2),
        "target_p99_ms": 300,
    }
    print()
    print(f"{'step':<24}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p99/floor':>11}")
    for label, figures in [*steps.items(), ("floor (bare insert)", floor_figures)]:
        ratio = figures["p99_ms"] / floor_figures["p99_ms"]
        print(
            f"{label:<24}{figures['count']:>9}{figures['p50_ms']:>9}{figures['p95_ms']:>9}"
            f"{figures['p99_ms']:>9}{ratio:>11.2f}"
        )
    print(
        f"\n{result['submissions']} submissions in {result['portal_seconds']} s = "
        f"{result['submissions_per_second']} per second; errors: {result['errors']}; "
        f"worst step p99 {worst_p99} ms (target 300 ms)"
    )
    print(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()
