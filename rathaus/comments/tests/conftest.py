"""A stand-in commented object: a department that opts in to comments for the test."""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from rathaus.accounts.models import Department
from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory, totp_enable


@dataclass
class Thread:
    target: Department
    open: bool = True
    moderators: set = field(default_factory=set)


@pytest.fixture
def thread(db, monkeypatch):
    state = Thread(target=DepartmentFactory(code="104", name="Straßen und Verkehr"))
    monkeypatch.setattr(Department, "comments_open", lambda self: state.open, raising=False)
    monkeypatch.setattr(
        Department,
        "comments_moderator",
        lambda self, user: user.pk in state.moderators,
        raising=False,
    )
    monkeypatch.setattr(
        Department,
        "get_absolute_url",
        lambda self: reverse("comments_test:page", args=[self.pk]),
        raising=False,
    )
    return state


@pytest.fixture
def citizen(db):
    return UserFactory(first_name="Lena", last_name="Schäfer")


@pytest.fixture
def moderator(thread):
    from rathaus.accounts.tests.factories import MembershipFactory

    user = MembershipFactory(department=thread.target).user
    totp_enable(user)
    thread.moderators.add(user.pk)
    return user
