from .definition import text
from .models import Service


def services_listed(*, query: str = "") -> list[Service]:
    """Active services, filtered by a search over title, summary and description."""
    services = list(
        Service.objects.filter(active=True, current_version__isnull=False).select_related(
            "current_version", "department"
        )
    )
    words = query.casefold().split()
    if words:

        def haystack(service: Service) -> str:
            d = service.current_version.definition
            return " ".join(
                text(d[key], language)
                for key in ("title", "summary", "description")
                for language in ("de", "en")
            ).casefold()

        services = [s for s in services if all(w in haystack(s) for w in words)]
    return sorted(services, key=lambda s: s.current_version.title.casefold())


def service_active(*, slug: str) -> Service | None:
    return (
        Service.objects.filter(slug=slug, active=True, current_version__isnull=False)
        .select_related("current_version", "department")
        .first()
    )
