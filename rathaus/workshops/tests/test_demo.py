import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from rathaus.workshops.models import Event

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_the_workshop_and_the_digital_day_once(settings):
    settings.DEBUG = True
    call_command("demo_city", stdout=io.StringIO())
    call_command("demo_city", stdout=io.StringIO())
    assert Event.objects.count() == 2
    workshop = Event.objects.get(series="smart.wuppertal")
    local = ZoneInfo("Europe/Berlin")
    assert workshop.starts_at == datetime.datetime(2027, 3, 13, 10, tzinfo=local)
    assert workshop.ends_at == datetime.datetime(2027, 3, 13, 15, tzinfo=local)
    assert "Kolpingstraße 8, 42103 Wuppertal" in workshop.place
    assert (workshop.capacity, workshop.waiting_list, workshop.published) == (10, True, True)
    assert workshop.department.code == "403"
    assert Event.objects.filter(title__startswith="Digitaltag", published=True).exists()
