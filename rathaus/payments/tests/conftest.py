import datetime

import pytest

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import DepartmentFactory, MembershipFactory, totp_enable
from rathaus.cases.tests import conftest as cases_conftest
from rathaus.payments.camt_fixtures import camt053_scenario
from rathaus.payments.models import (
    BankEntry,
    BankStatement,
    Clarification,
    Fee,
    FeeCounter,
    Payment,
)
from rathaus.payments.services import fee_create_for_case

# A department with the small test service, and cases of it (the cases app's fixtures).
department = cases_conftest.department
make_case = cases_conftest.make_case

ACCOUNT = "DE48123456780000042026"
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def treasury(db):
    """The city treasury (Stadtkasse), the department RATHAUS_TREASURY_DEPARTMENT names."""
    return DepartmentFactory(code="202", slug="stadtkasse", name="Stadtkasse")


def treasury_staff(treasury, role=Role.CASEWORKER):
    user = MembershipFactory(department=treasury, role=role).user
    totp_enable(user)
    return user


@pytest.fixture
def cashier(treasury):
    return treasury_staff(treasury)


@pytest.fixture
def make_fee(make_case):
    """A fee of a new case; `amount_cents` as given, else the service's 30 euros."""

    def make(amount_cents: int | None = None, **kwargs) -> Fee:
        return fee_create_for_case(case=make_case(), amount_cents=amount_cents, **kwargs)

    return make


def scenario_for(fees: list[Fee], *, seed: int = 7, version: str = "camt.053.001.08", **kwargs):
    return camt053_scenario(
        fees=[(fee.payment_reference, fee.amount_cents) for fee in fees],
        seed=seed,
        account_iban=ACCOUNT,
        day=DAY,
        version=version,
        **kwargs,
    )


def payments_snapshot() -> dict[str, list]:
    """Every payment record, to show that a refused import or action changed none of them."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (BankStatement, BankEntry, Payment, Clarification, Fee, FeeCounter)
    }
