from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from rathaus.accounts.models import Department, LevelOfAssurance

from .loader import CatalogError, CatalogProblem, definition_files, definition_read
from .models import Service, ServiceVersion


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def catalog_root() -> Path:
    return Path(settings.RATHAUS_CATALOG_DIR)


def catalog_load(*, root: Path | None = None) -> LoadReport:
    """Load every service definition below `root`; all or nothing.

    A changed definition becomes a new version; applications keep the version they started with.
    """
    root = root or catalog_root()
    loaded, problems = [], []
    for path in definition_files(root):
        try:
            loaded.append(definition_read(path))
        except CatalogError as exc:
            problems.extend(exc.problems)
    departments = {d.code: d for d in Department.objects.all()}
    for definition in loaded:
        if definition.data["department"] not in departments:
            problems.append(
                CatalogProblem(
                    str(definition.path),
                    1,
                    f"unknown department {definition.data['department']!r}; known: "
                    + ", ".join(sorted(departments)),
                )
            )
    if problems:
        raise CatalogError(problems)

    report = LoadReport()
    with transaction.atomic():
        for definition in loaded:
            data = definition.data
            service, created = Service.objects.select_for_update().get_or_create(
                slug=data["slug"], defaults={"department": departments[data["department"]]}
            )
            existing = service.versions.filter(content_hash=definition.content_hash).first()
            if existing and service.current_version_id == existing.pk and service.active:
                report.unchanged.append(service.slug)
                continue
            if existing is None:
                number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
                existing = ServiceVersion.objects.create(
                    service=service,
                    number=number,
                    definition=data,
                    content_hash=definition.content_hash,
                    assurance=LevelOfAssurance[data["assurance"].upper()],
                )
            service.current_version = existing
            service.department = departments[data["department"]]
            service.active = True
            service.save(update_fields=["current_version", "department", "active"])
            (report.created if created else report.updated).append(service.slug)
        slugs = {d.data["slug"] for d in loaded}
        for service in Service.objects.filter(active=True).exclude(slug__in=slugs):
            service.active = False
            service.save(update_fields=["active"])
            report.deactivated.append(service.slug)
    return report
