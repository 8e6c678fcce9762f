from django.core.management.base import BaseCommand

from rathaus.workshops.services import event_reminders_send


class Command(BaseCommand):
    help = "Daily: remind confirmed participants of their event (once per registration)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{event_reminders_send()} reminders queued")
