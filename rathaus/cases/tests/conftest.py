import uuid

import pytest

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
    totp_enable,
)
from rathaus.applications.services import (
    application_start,
    application_step_save,
    application_submit,
)
from rathaus.catalog.models import Service
from rathaus.catalog.services import catalog_load
from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service

ADDRESS = {"street": "Luisenstraße", "house_number": "7", "postcode": "42103", "town": "W"}


@pytest.fixture
def department(db, tmp_path):
    department = DepartmentFactory(code="104", slug="verkehr", name="Straßen und Verkehr")
    write_service(tmp_path, SMALL_SERVICE)
    catalog_load(root=tmp_path)
    return department


def staff(department, role=Role.CASEWORKER):
    user = MembershipFactory(department=department, role=role).user
    totp_enable(user)
    return user


@pytest.fixture
def make_case(department):
    def make(applicant=None):
        applicant = applicant or UserFactory()
        application = application_start(user=applicant, service=Service.objects.get())
        application_step_save(
            application=application, step_id="kind", answers={"kind": "new"}, uploads={}
        )
        application = application_step_save(
            application=application, step_id="address", answers={"address": ADDRESS}, uploads={}
        )
        return application_submit(application=application, idempotency_key=str(uuid.uuid4()))

    return make


LUISENSTRASSE = {
    "street": "Luisenstraße",
    "house_number": "71",
    "postcode": "42103",
    "town": "Wuppertal",
}


def submit_parking(user, *, plate="W-LS 1403", assurance=None):
    """A resident parking permit application of the real catalogue, submitted (needs `city`)."""
    from rathaus.accounts.models import LevelOfAssurance

    application = application_start(
        user=user, service=Service.objects.get(slug="bewohnerparkausweis")
    )
    answers = {
        "residence": {"residence_type": "main"},
        "address": {"address": LUISENSTRASSE},
        "vehicles": {"plate_1": plate, "plate_2": "", "plate_3": ""},
        "keeper": {"registered_to_applicant": True},
        "request": {"request_type": "new"},
        "declaration": {"truthful": True},
    }
    for step, values in answers.items():
        application = application_step_save(
            application=application, step_id=step, answers=values, uploads={}
        )
    case = application_submit(
        application=application,
        idempotency_key=str(uuid.uuid4()),
        assurance=int(assurance or LevelOfAssurance.SUBSTANTIAL),
    )
    case.refresh_from_db()
    return case


def submit_certificate(user, *, delivery="postbox"):
    """A registration certificate application at level high, submitted (needs `city`)."""
    from rathaus.accounts.models import LevelOfAssurance

    application = application_start(
        user=user, service=Service.objects.get(slug="meldebescheinigung")
    )
    answers = {"certificate_type": "simple", "delivery": delivery, "purpose": ""}
    for step in application.service_version.spec.steps:
        values = {f["id"]: answers[f["id"]] for f in step["fields"] if f["id"] in answers}
        application = application_step_save(
            application=application, step_id=step["id"], answers=values, uploads={}
        )
    case = application_submit(
        application=application,
        idempotency_key=str(uuid.uuid4()),
        assurance=int(LevelOfAssurance.HIGH),
    )
    case.refresh_from_db()
    return case
