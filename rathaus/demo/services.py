import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.accounts.services import department_ensure, membership_set
from rathaus.registry.services import ImportReport, registry_import

from .people import CITIZENS, DATA_DIR, DEMO_PASSWORD, DEPARTMENTS, STAFF


class DemoCityRefusedError(Exception):
    """The demo city was not loaded: it would put accounts with public passwords into production."""


@dataclass(frozen=True)
class DemoCityReport:
    departments: int
    users_created: int
    register: ImportReport


def _user_ensure(
    *, email: str, first_name: str, last_name: str, administrator: bool = False
) -> tuple[User, bool]:
    """The demo user with a verified primary address; an existing account is left as it is."""
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            is_staff=administrator,
            is_superuser=administrator,
        )
    # Mandatory e-mail verification would otherwise block every demo login.
    address, _created = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])
    return user, created


@transaction.atomic
def demo_city_load(*, force: bool = False) -> DemoCityReport:
    """Load the demo departments, staff, citizens and resident register; safe to run again."""
    if not (settings.DEBUG or force):
        raise DemoCityRefusedError(
            _(
                "The demo city creates accounts whose password is public. It only runs with "
                "DEBUG on (RATHAUS_DEBUG=1) or with --force, never on a production database."
            )
        )
    departments = {
        spec.code: department_ensure(
            code=spec.code, slug=spec.slug, name=spec.name, email=spec.email
        )
        for spec in DEPARTMENTS
    }
    users_created = 0
    for spec in STAFF:
        user, created = _user_ensure(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            administrator=spec.department_code is None,
        )
        users_created += created
        if spec.department_code is not None and spec.role is not None:
            membership_set(user=user, department=departments[spec.department_code], role=spec.role)
        # Staff must use TOTP; a fixed secret lets `demo_totp` print their current code.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, spec.totp_secret)
    for spec in CITIZENS:
        user, created = _user_ensure(
            email=spec.email, first_name=spec.first_name, last_name=spec.last_name
        )
        users_created += created
        if not user.register_id:
            # The demo's stand-in for an eID login that matched the person in the register.
            user.register_id = spec.register_id
            user.save(update_fields=["register_id"])
    with (
        (DATA_DIR / "addresses.csv").open(encoding="utf-8", newline="") as addresses,
        (DATA_DIR / "residents.csv").open(encoding="utf-8", newline="") as residents,
        (DATA_DIR / "vehicles.csv").open(encoding="utf-8", newline="") as vehicles,
    ):
        register = registry_import(addresses=addresses, residents=residents, vehicles=vehicles)
    _demo_events_ensure()
    from .budget import demo_budget_load
    from .budget_ballots import demo_budget_ballots_load

    demo_budget_ballots_load(demo_budget_load())
    from rathaus.consultations.demo import consultation_demo_ensure

    consultation_demo_ensure()
    return DemoCityReport(
        departments=len(departments), users_created=users_created, register=register
    )


WUPPERTAL = ZoneInfo("Europe/Berlin")

# The demo's events (rathaus/workshops): created once by slug, never changed afterwards.
DEMO_EVENTS = [
    {
        "slug": "smart-wuppertal-workshop-2027-03",
        "department_code": "403",
        "series": "smart.wuppertal",
        "title": "Workshop „Gemeinsam machen wir Wuppertal smart“",
        "title_en": "Workshop “Together we make Wuppertal smart”",
        "description": (
            "In der Reihe smart.wuppertal sammeln wir mit Bürgerinnen und Bürgern Ideen für eine "
            "digitale Stadt: Wo helfen Sensoren, offene Daten oder Online-Dienste im Alltag, und "
            "was brauchen Sie dafür? Vorwissen ist nicht nötig.\n\n"
            "Die Stadtbibliothek ist barrierefrei zugänglich. Für Getränke und einen Imbiss ist "
            "gesorgt. Die Teilnahme ist kostenlos. Sind alle Plätze vergeben, kommen Sie auf die "
            "Warteliste; wird ein Platz frei, rücken Sie automatisch nach."
        ),
        "description_en": (
            "In the smart.wuppertal series, we collect ideas for a digital city together with "
            "residents: where do sensors, open data or online services help in everyday life, "
            "and what do you need for that? No previous knowledge is needed.\n\n"
            "The city library has step-free access. Drinks and a snack are provided. Taking part "
            "is free of charge. If all seats are taken, you go on the waiting list and move up "
            "automatically when a seat becomes free."
        ),
        "starts_at": datetime.datetime(2027, 3, 13, 10, 0, tzinfo=WUPPERTAL),
        "ends_at": datetime.datetime(2027, 3, 13, 15, 0, tzinfo=WUPPERTAL),
        "place": "Stadtbibliothek Wuppertal\nKolpingstraße 8, 42103 Wuppertal",
        "capacity": 10,
        "waiting_list": True,
        "published": True,
    },
    {
        "slug": "digitaltag-2027",
        "department_code": "403",
        "series": "",
        "title": "Digitaltag 2027 im Rathaus Barmen",
        "title_en": "Digital Day 2027 at Barmen town hall",
        "description": (
            "Zum bundesweiten Digitaltag zeigt die Stadt, was digital schon geht: Anträge von "
            "zu Hause, die Online-Ausweisfunktion ausprobieren, offene Daten der Stadt und "
            "Beratung für alle, die mit dem Smartphone noch unsicher sind."
        ),
        "description_en": (
            "For Germany's Digital Day the city shows what already works digitally: applying "
            "from home, trying the online ID card, the city's open data, and advice for everyone "
            "who is still unsure with a smartphone."
        ),
        "starts_at": datetime.datetime(2027, 6, 18, 14, 0, tzinfo=WUPPERTAL),
        "ends_at": datetime.datetime(2027, 6, 18, 18, 0, tzinfo=WUPPERTAL),
        "place": "Rathaus Barmen\nJohannes-Rau-Platz 1, 42275 Wuppertal",
        "capacity": 80,
        "waiting_list": False,
        "published": True,
    },
]


def _demo_events_ensure() -> int:
    from rathaus.workshops.services import event_ensure

    return sum(event_ensure(**spec)[1] for spec in DEMO_EVENTS)


@dataclass(frozen=True)
class DemoCasesReport:
    cases: int
    documents: int
    print_batches: int


# The demo's example cases: (citizen's e-mail, service, raw form input per step as a browser
# posts it, level of assurance, and what a caseworker decides where the rules cannot).
DEMO_CASES = [
    (
        # Approved automatically: receipt, parking permit and fee notice in Lena's postbox.
        "lena.schaefer@example.org",
        "bewohnerparkausweis",
        {
            "residence": {"residence_type": "main"},
            "address": {
                "address__street": "Luisenstraße",
                "address__house_number": "71",
                "address__postcode": "42103",
                "address__town": "Wuppertal",
            },
            "vehicles": {"plate_1": "W-LS 1403", "plate_2": "", "plate_3": ""},
            "keeper": {"registered_to_applicant": "yes"},
            "request": {"request_type": "new"},
            "declaration": {"truthful": "on"},
        },
        3,
        None,
    ),
    (
        # Approved automatically, by post: the certificate and fee notice go to central print.
        "thomas.krueger@example.org",
        "meldebescheinigung",
        {"certificate": {"certificate_type": "simple"}, "delivery": {"delivery": "post"}},
        3,
        None,
    ),
    (
        # The plate is not in the register: waits in the inbox of 104 for a caseworker.
        "aylin.demir@example.org",
        "bewohnerparkausweis",
        {
            "residence": {"residence_type": "main"},
            "address": {
                "address__street": "Briller Straße",
                "address__house_number": "9",
                "address__postcode": "42105",
                "address__town": "Wuppertal",
            },
            "vehicles": {"plate_1": "W-AD 2024", "plate_2": "", "plate_3": ""},
            "keeper": {"registered_to_applicant": "yes"},
            "request": {"request_type": "new"},
            "declaration": {"truthful": "on"},
        },
        2,
        None,
    ),
    (
        # Decided by the tax office's caseworker; Jürgen wants his letters by post as well.
        "juergen.weiss@example.org",
        "hundesteuer-anmeldung",
        {
            "dog": {"dog_name": "Anton", "breed": "Dackel"},
            "acquisition": {"date_acquired": "{today-20}"},
            "listed_dog": {"listed_dog": "no"},
            "household": {"dogs_in_household": "1"},
            "exemption": {"exemption_reason": "none"},
            "payment": {"direct_debit": "no"},
            "declaration": {"truthful": "on"},
        },
        1,
        ("sabine.koch@stadt.example", "approved", "Der Hund ist ab dem Erwerb angemeldet."),
    ),
]


def demo_cases_load(*, force: bool = False) -> DemoCasesReport:
    """Example cases from submission to sealed documents, and a print batch: the whole path at
    once. Runs once (nothing happens when the demo citizens already have cases)."""
    from rathaus.cases.models import Case
    from rathaus.outbox.services import print_batch_create

    if not (settings.DEBUG or force):
        raise DemoCityRefusedError(_("The demo cases only load with DEBUG on or with --force."))
    emails = [email for email, *_rest in DEMO_CASES]
    if Case.objects.filter(applicant__email__in=emails).exists():
        return DemoCasesReport(cases=0, documents=0, print_batches=0)
    cases = [_demo_case(*spec) for spec in DEMO_CASES]
    batch = print_batch_create(actor=None)
    return DemoCasesReport(
        cases=len(cases),
        documents=sum(case.documents.count() for case in cases),
        print_batches=int(batch is not None),
    )


def _demo_case(email: str, slug: str, steps: dict, assurance: int, decision):
    import datetime
    import uuid

    from django.utils import timezone

    from rathaus.applications.forms import StepForm
    from rathaus.applications.services import (
        application_start,
        application_step_save,
        application_submit,
    )
    from rathaus.cases.services import case_assign, case_automate, case_decide
    from rathaus.catalog.models import Service
    from rathaus.documents.issuing import documents_issue

    user = User.objects.get(email=email)
    if email == "juergen.weiss@example.org":
        user.letters_by_post = True
        user.save(update_fields=["letters_by_post"])
    application = application_start(user=user, service=Service.objects.get(slug=slug))
    spec = application.service_version.spec
    for step in spec.visible_steps(application.answers):
        data = dict(steps.get(step["id"], {}))
        for key, value in data.items():
            if isinstance(value, str) and value.startswith("{today-"):
                days = int(value[len("{today-") : -1])
                data[key] = (timezone.localdate() - datetime.timedelta(days=days)).strftime(
                    "%d.%m.%Y"
                )
        form = StepForm(
            data, definition=spec, step=step, answers=application.answers, attachments={}
        )
        if not form.is_valid():
            raise ValueError(f"demo case {slug}/{step['id']}: {form.errors.as_json()}")
        application = application_step_save(
            application=application, step_id=step["id"], answers=form.answers_of_step(), uploads={}
        )
    case = application_submit(
        application=application, idempotency_key=str(uuid.uuid4()), assurance=assurance
    )
    # The worker would do this in the background; the demo wants it done before it starts.
    case = case_automate(case_id=case.pk)
    if decision is not None:
        worker_email, outcome, reason = decision
        worker = User.objects.get(email=worker_email)
        case_assign(case=case, assignee=worker, actor=worker)
        case_decide(
            case=case,
            actor=worker,
            outcome=outcome,
            reason=reason,
            legal_basis=spec.data.get("legal_basis", ""),
        )
    documents_issue(case_id=case.pk, trigger="submitted")
    documents_issue(case_id=case.pk, trigger="decided")
    return case
