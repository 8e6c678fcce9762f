import pytest

from rathaus.accounts.models import Role

from .factories import DepartmentFactory, MembershipFactory, UserFactory, totp_enable


def administrator_make(**kwargs):
    """An administrator who has set up TOTP (the staff MFA middleware demands it)."""
    user = UserFactory(is_superuser=True, is_staff=True, **kwargs)
    totp_enable(user)
    return user


def staff_make(department, role=Role.CASEWORKER, **kwargs):
    user = MembershipFactory(department=department, role=role, **kwargs).user
    totp_enable(user)
    return user


@pytest.fixture
def administrator(db):
    return administrator_make(email="andrea.schulz@stadt.example", first_name="Andrea")


@pytest.fixture
def traffic(db):
    return DepartmentFactory(code="104", slug="verkehr", name="Straßen und Verkehr")


@pytest.fixture
def citizens_office(db):
    return DepartmentFactory(code="102", slug="buergerservice", name="Bürgerservice")
