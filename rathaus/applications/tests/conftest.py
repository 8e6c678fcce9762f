import pytest
from django.test import Client

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.selectors import SESSION_ASSURANCE_KEY
from rathaus.accounts.tests.factories import DepartmentFactory, UserFactory
from rathaus.catalog.services import catalog_load
from rathaus.catalog.tests.conftest import SMALL_SERVICE, write_service


@pytest.fixture
def small_service(tmp_path, db):
    DepartmentFactory(code="104", slug="verkehr", name="Straßen und Verkehr")
    write_service(tmp_path, SMALL_SERVICE)
    catalog_load(root=tmp_path)
    from rathaus.catalog.models import Service

    return Service.objects.get(slug="testleistung")


def citizen_client(user=None, level: LevelOfAssurance = LevelOfAssurance.BASIC) -> Client:
    """A logged-in citizen's browser with the given level of assurance."""
    client = Client()
    client.force_login(user or UserFactory())
    session = client.session
    session[SESSION_ASSURANCE_KEY] = int(level)
    session.save()
    return client


@pytest.fixture
def citizen(db):
    return citizen_client()
