from django.core.management.base import BaseCommand

from rathaus.cases.services import cases_deadline_run


class Command(BaseCommand):
    help = "Daily: deemed approvals (§ 42a VwVfG) and escalation of overdue cases to the lead."

    def handle(self, *args, **options) -> None:
        result = cases_deadline_run()
        self.stdout.write(
            f"{result['deemed_approvals']} deemed approvals, {result['escalated']} escalated"
        )
