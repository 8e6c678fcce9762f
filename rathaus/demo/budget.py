"""The demo's citizens' budget: "Bürgerbudget Wuppertal 2027", in its voting phase.

Created once by slug and never changed afterwards (safe to run again). The dates are set
relative to the first run so that voting is open for a month after it; proposals in every
state (feasible, not feasible, hidden by moderation). The ballots come from the voting part
(`rathaus.budget.voting`), which may add them after this.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.models import Department, User
from rathaus.budget.models import BudgetProcess, BudgetUnit, Proposal, ProposalStatus

SLUG = "wuppertal-2027"
DEPARTMENT_CODE = "104"

# (unit district, title, description, place, latitude, longitude, estimated cost, status,
#  city cost, public reason, hidden reason)
PROPOSALS = [
    (
        "",
        "Trinkbrunnen in der Innenstadt",
        "Drei Trinkbrunnen für heiße Sommertage, an Plätzen mit vielen Menschen.",
        "Von-der-Heydt-Platz",
        "51.256800",
        "7.147400",
        45000,
        ProposalStatus.FEASIBLE,
        52000,
        "",
        "",
    ),
    (
        "",
        "Mehr Fahrradbügel an Schwebebahnhaltestellen",
        "Sichere Abstellplätze für Fahrräder an fünf Haltestellen.",
        "Schwebebahn, Haltestelle Döppersberg",
        "51.254300",
        "7.149900",
        30000,
        ProposalStatus.FEASIBLE,
        28000,
        "",
        "",
    ),
    (
        "",
        "Kostenloses WLAN in allen Bussen",
        "WLAN in jedem Bus der Stadtwerke.",
        "",
        None,
        None,
        400000,
        ProposalStatus.NOT_FEASIBLE,
        None,
        "Die Busse betreiben die Stadtwerke; das Bürgerbudget kann dort nicht investieren.",
        "",
    ),
    (
        "",
        "Sitzbänke entlang der Nordbahntrasse",
        "Alle 500 Meter eine Bank zum Ausruhen.",
        "Nordbahntrasse",
        "51.266000",
        "7.180000",
        60000,
        ProposalStatus.FEASIBLE,
        64000,
        "",
        "",
    ),
    (
        "Elberfeld",
        "Spielplatz am Arrenberg erneuern",
        "Neue Schaukeln und ein Klettergerüst.",
        "Arrenberg, Simonsstraße",
        "51.251000",
        "7.126000",
        18000,
        ProposalStatus.FEASIBLE,
        19500,
        "",
        "",
    ),
    (
        "Elberfeld",
        "Blühwiese im Nordpark",
        "Eine Wiese mit heimischen Blumen für Insekten.",
        "Nordpark",
        "51.270000",
        "7.155000",
        6000,
        ProposalStatus.FEASIBLE,
        5000,
        "",
        "",
    ),
    (
        "Elberfeld",
        "Werbung für mein Geschäft",
        "Besucht meinen Laden!",
        "",
        None,
        None,
        1000,
        ProposalStatus.SUBMITTED,
        None,
        "",
        "Werbung, kein Vorschlag für die Stadt.",
    ),
    (
        "Barmen",
        "Beleuchtung am Werth",
        "Hellere Laternen in der Fußgängerzone.",
        "Werth",
        "51.272500",
        "7.200000",
        15000,
        ProposalStatus.FEASIBLE,
        17000,
        "",
        "",
    ),
    (
        "Barmen",
        "Seilbahn zum Toelleturm",
        "Eine Seilbahn vom Barmer Bahnhof zum Toelleturm.",
        "Toelleturm",
        "51.262000",
        "7.214000",
        25000,
        ProposalStatus.NOT_FEASIBLE,
        None,
        "Eine Seilbahn kostet ein Vielfaches des Budgets des Stadtbezirks.",
        "",
    ),
]

AUTHORS = ["lena.schaefer@example.org", "aylin.demir@example.org"]


@transaction.atomic
def demo_budget_load() -> BudgetProcess:
    existing = BudgetProcess.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    day = datetime.timedelta(days=1)
    process = BudgetProcess.objects.create(
        slug=SLUG,
        title="Bürgerbudget Wuppertal 2027",
        description=(
            "Wuppertal gibt 300.000 Euro in die Hände seiner Bürgerinnen und Bürger: für die "
            "ganze Stadt und für die Stadtbezirke Elberfeld und Barmen."
        ),
        department=Department.objects.get(code=DEPARTMENT_CODE),
        proposals_open=now - 70 * day,
        proposals_close=now - 40 * day,
        review_close=now - 10 * day,
        voting_opens=now - 3 * day,
        voting_closes=now + 30 * day,
        max_projects=5,
        rule="equal-shares",
    )
    units = {
        "": BudgetUnit.objects.create(process=process, name="Gesamte Stadt", budget=200_000),
        "Elberfeld": BudgetUnit.objects.create(
            process=process, name="Stadtbezirk Elberfeld", district="Elberfeld", budget=50_000
        ),
        "Barmen": BudgetUnit.objects.create(
            process=process, name="Stadtbezirk Barmen", district="Barmen", budget=50_000
        ),
    }
    authors = list(User.objects.filter(email__in=AUTHORS))
    numbers: dict[str, int] = {}
    for index, row in enumerate(PROPOSALS):
        district, title, text, place, lat, lon, cost, status, city_cost, reason, hidden = row
        numbers[district] = numbers.get(district, 0) + 1
        Proposal.objects.create(
            unit=units[district],
            number=numbers[district],
            title=title,
            description=text,
            address=place,
            latitude=lat,
            longitude=lon,
            estimated_cost=cost,
            author=authors[index % len(authors)] if authors else None,
            status=status,
            city_cost=city_cost,
            review_reason=reason,
            reviewed_at=process.review_close - day if status != ProposalStatus.SUBMITTED else None,
            hidden_at=process.proposals_close if hidden else None,
            hidden_reason=hidden,
        )
    return process
