import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.tests.factories import DepartmentFactory
from rathaus.cases.tests.conftest import staff
from rathaus.workshops.models import Event


@pytest.fixture
def department(db):
    return DepartmentFactory(
        code="403", slug="it", name="Informationstechnik", email="it@stadt.example"
    )


@pytest.fixture
def make_event(department):
    def make(**overrides) -> Event:
        starts = timezone.now() + datetime.timedelta(days=10)
        fields = {
            "slug": f"workshop-{Event.objects.count() + 1}",
            "title": "Workshop Offene Daten",
            "title_en": "Open data workshop",
            "description": "Wir zeigen, wie man offene Daten nutzt.",
            "description_en": "We show how to use open data.",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3),
            "place": "Stadtbibliothek, Kolpingstraße 8, 42103 Wuppertal",
            "capacity": 2,
            "waiting_list": True,
            "department": department,
            "published": True,
        }
        fields.update(overrides)
        return Event.objects.create(**fields)

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def member(department):
    return staff(department)


def sign_up(event, n: int, **kwargs):
    from rathaus.workshops.services import registration_create

    return registration_create(
        event=event, name=f"Person {n}", email=f"person{n}@example.org", **kwargs
    )
