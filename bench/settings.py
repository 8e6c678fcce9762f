"""Production settings plus the floor view, for `make bench` only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
