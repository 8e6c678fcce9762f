from django.db.models import Q, QuerySet

from rathaus.cases.models import Case

from .models import Application, ApplicationStatus


def application_of_user(*, public_id, user) -> Application | None:
    return (
        Application.objects.filter(public_id=public_id, applicant=user)
        .select_related("service_version__service")
        .first()
    )


def application_for_download(*, public_id, user) -> Application | None:
    """The application if `user` applied for it or works in the department that handles it."""
    return (
        Application.objects.filter(public_id=public_id)
        .filter(Q(applicant=user) | Q(service_version__service__department__memberships__user=user))
        .distinct()
        .first()
    )


def drafts_of_user(*, user) -> QuerySet[Application]:
    return Application.objects.filter(
        applicant=user, status=ApplicationStatus.DRAFT
    ).select_related("service_version")


def cases_of_user(*, user) -> QuerySet[Case]:
    return (
        Case.objects.filter(applicant=user)
        .select_related("application__service_version")
        .prefetch_related("events")
    )


def case_of_application(*, application: Application) -> Case | None:
    return Case.objects.filter(application=application).first()
