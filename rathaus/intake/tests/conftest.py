import io

import pytest

from rathaus.accounts.models import Role
from rathaus.accounts.tests.factories import MembershipFactory, totp_enable
from rathaus.cases.tests.conftest import department, make_case  # noqa: F401  (fixtures)
from rathaus.intake.models import Channel
from rathaus.intake.pipeline.ocr import OcrBackend
from rathaus.intake.pipeline.ocr_scans import TesseractScanBackend
from rathaus.intake.services import intake_receive

from .corpus import classifier_train_small


@pytest.fixture
def departments(db):
    """The demo city's departments with their addresses (catalog/intake.yaml names them)."""
    from rathaus.accounts.services import department_ensure
    from rathaus.demo.people import DEPARTMENTS

    return {
        spec.code: department_ensure(
            code=spec.code, slug=spec.slug, name=spec.name, email=spec.email
        )
        for spec in DEPARTMENTS
    }


@pytest.fixture(autouse=True)
def _no_model_from_another_test():
    """Each process keeps the active model in memory; a test starts without one."""
    from rathaus.classifier.services import classifier_cache_clear

    classifier_cache_clear()
    yield
    classifier_cache_clear()


@pytest.fixture
def classifier(db):
    """The classifier "intake", trained on a few dozen short letters per type."""
    classifier_train_small()


def staff(unit, role=Role.CASEWORKER):
    user = MembershipFactory(department=unit, role=role).user
    totp_enable(user)
    return user


@pytest.fixture
def post_room(departments):
    return staff(departments["400"])


def receive(data: bytes, name: str = "scan.pdf", **kwargs):
    """Receive a file through the command channel (the pipeline runs at once in tests)."""
    kwargs.setdefault("channel", Channel.COMMAND)
    return intake_receive(file=io.BytesIO(data), file_name=name, **kwargs)


class FlakyOcr(OcrBackend):
    """An OCR engine that fails the first `failures` times (a crashed Tesseract), then works."""

    failures = 0
    calls = 0

    def recognise(self, *, pdf, output):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise OSError("tesseract crashed")
        return TesseractScanBackend().recognise(pdf=pdf, output=output)


class OvertakenOcr(OcrBackend):
    """Tesseract so slow that the lease runs out: meanwhile the reconciliation gives the step
    to another worker, which finishes it (tasks run at once in tests)."""

    overtaken = 0

    def recognise(self, *, pdf, output):
        from rathaus.intake.models import IntakeItem, Step
        from rathaus.intake.services import intake_recover

        result = TesseractScanBackend().recognise(pdf=pdf, output=output)
        if not type(self).overtaken:
            type(self).overtaken += 1
            IntakeItem.objects.filter(step=Step.OCR).update(claimed_until="2000-01-01T00:00Z")
            assert intake_recover() == 1
        return result


@pytest.fixture
def ocr_engine(settings):
    """Swap the OCR engine, an external program: the one boundary these tests replace."""
    from rathaus.core.backends import backend_cache_clear

    def use(engine: type[OcrBackend]) -> type[OcrBackend]:
        settings.RATHAUS_INTAKE_OCR_BACKEND = f"{engine.__module__}.{engine.__qualname__}"
        for name in ("failures", "calls", "overtaken"):
            if hasattr(engine, name):
                setattr(engine, name, 0)
        backend_cache_clear()
        return engine

    yield use
    backend_cache_clear()
