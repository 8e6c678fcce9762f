from django.core.management.base import BaseCommand

from rathaus.core.retention import purgers


class Command(BaseCommand):
    help = "Delete every record whose retention period has passed (run daily)."

    def handle(self, *args, **options) -> None:
        for purger in purgers():
            deleted = purger.purge()
            self.stdout.write(f"{purger.name}: {deleted} deleted ({purger.description})")
