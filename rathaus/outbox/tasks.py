from django_tasks import task

from . import services


@task()
def email_send(*, email_id: int) -> bool:
    return services.email_deliver(email_id=email_id)
