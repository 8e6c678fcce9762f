"""The demo city shows the whole path at once: decided cases, sealed documents, a print batch."""

import pytest
from django.core.management import CommandError, call_command

from rathaus.cases.models import Case
from rathaus.cases.states import CaseStatus
from rathaus.documents.verification import pdf_seal_verify
from rathaus.outbox.models import PrintBatch
from rathaus.payments.models import Fee

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(debug, db):
    from rathaus.catalog.services import catalog_load

    call_command("demo_city")
    catalog_load()


def test_demo_cases_show_every_step_and_load_once(demo, capsys):
    call_command("demo_cases")
    assert "4 demo cases" in capsys.readouterr().out
    cases = {c.applicant.email: c for c in Case.objects.select_related("applicant")}
    lena = cases["lena.schaefer@example.org"]
    assert lena.status == CaseStatus.DECIDED and lena.decision.automated
    assert set(lena.documents.values_list("kind", flat=True)) == {
        "receipt",
        "permit",
        "fee_notice",
    }
    assert Fee.objects.filter(case=lena).exists()
    assert cases["aylin.demir@example.org"].status == CaseStatus.SUBMITTED
    juergen = cases["juergen.weiss@example.org"]
    assert juergen.status == CaseStatus.DECIDED and not juergen.decision.automated
    for document in lena.documents.all():
        with document.file.open("rb") as handle:
            assert pdf_seal_verify(pdf=handle.read()).ok
    batch = PrintBatch.objects.get()
    posted_to = set(batch.letters.values_list("case__applicant__email", flat=True))
    assert posted_to == {"thomas.krueger@example.org", "juergen.weiss@example.org"}
    call_command("demo_cases")
    assert "already" in capsys.readouterr().out
    assert Case.objects.count() == 4 and PrintBatch.objects.count() == 1


def test_demo_cases_refuse_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_cases")
    assert not Case.objects.exists()
