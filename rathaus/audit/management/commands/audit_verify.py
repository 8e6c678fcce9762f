from django.core.management.base import BaseCommand, CommandError

from rathaus.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Check that the audit trail is complete and unchanged (exit status 1 if it is not)."

    def handle(self, *args, **options) -> None:
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"audit trail intact: {report.checked} entries")
            return
        for problem in report.problems:
            self.stdout.write(f"entry {problem.sequence}: {problem.reason}")
        raise CommandError(
            f"audit trail damaged: {len(report.problems)} problem(s) in {report.checked} entries"
        )
