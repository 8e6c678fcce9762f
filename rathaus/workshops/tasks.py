from django_tasks import task

from rathaus.core.schedule import daily

from . import services


@daily(name="workshops.reminders")
@task()
def event_reminders_task() -> int:
    """Remind confirmed participants of their event (RATHAUS_EVENTS_REMINDER_DAYS before)."""
    return services.event_reminders_send()
