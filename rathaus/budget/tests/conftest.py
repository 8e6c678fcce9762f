"""Fixtures shared by the citizens' budget tests, found by pytest in every test module here."""

from .proposal_fixtures import (  # noqa: F401
    citizen,
    clerk,
    department,
    other_department,
    outsider_clerk,
    process,
)
from .voting_fixtures import clerks, lena, paul, stranger, thomas, voting  # noqa: F401
