import logging

from django_tasks import task

from rathaus.core.schedule import daily

from .selectors import audit_verify

logger = logging.getLogger(__name__)


@daily(name="audit.verify")
@task()
def audit_verify_task() -> dict:
    """Check the hash chain every day; a damaged chain is logged as an error for operations."""
    report = audit_verify()
    if not report.ok:
        # Sequence numbers and reasons only: the entries themselves may hold personal data.
        logger.error(
            "audit trail damaged: %s problem(s), first at entry %s",
            len(report.problems),
            report.problems[0].sequence,
        )
    return {"checked": report.checked, "problems": len(report.problems)}
