"""The allowed state changes of a case, in one table (after Signalen's explicit state machine).

Every change goes through `rathaus.cases.services.case_transition`, which refuses anything not
listed here. The states also map to the national submission states of FIT-Connect / ZBP.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    IN_REVIEW = "in_review", _("in review")
    WAITING_FOR_CITIZEN = "waiting_for_citizen", _("waiting for the applicant's answer")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Action(models.TextChoices):
    START_REVIEW = "start_review", _("start review")
    REQUEST_INFORMATION = "request_information", _("request information")
    CITIZEN_ANSWERED = "citizen_answered", _("citizen answered")
    DECIDE = "decide", _("decide")
    DECIDE_AUTOMATICALLY = "decide_automatically", _("decide automatically")
    CLOSE = "close", _("close")
    WITHDRAW = "withdraw", _("withdraw")


S = CaseStatus
TRANSITIONS: dict[Action, tuple[frozenset[CaseStatus], CaseStatus]] = {
    Action.START_REVIEW: (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    Action.REQUEST_INFORMATION: (frozenset({S.IN_REVIEW}), S.WAITING_FOR_CITIZEN),
    Action.CITIZEN_ANSWERED: (frozenset({S.WAITING_FOR_CITIZEN}), S.IN_REVIEW),
    Action.DECIDE: (frozenset({S.IN_REVIEW}), S.DECIDED),
    Action.DECIDE_AUTOMATICALLY: (frozenset({S.SUBMITTED}), S.DECIDED),
    Action.CLOSE: (frozenset({S.DECIDED}), S.CLOSED),
    Action.WITHDRAW: (
        frozenset({S.SUBMITTED, S.IN_REVIEW, S.WAITING_FOR_CITIZEN}),
        S.WITHDRAWN,
    ),
}

# FIT-Connect / Zustellung: submitted, received, processing, action required, completed.
NATIONAL_STATUS = {
    S.SUBMITTED: "received",
    S.IN_REVIEW: "processing",
    S.WAITING_FOR_CITIZEN: "action_required",
    S.DECIDED: "completed",
    S.CLOSED: "completed",
    S.WITHDRAWN: "completed",
}

# States in which the processing deadline runs (it pauses while waiting for the citizen).
OPEN_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW})


def allowed_actions(status: str) -> list[Action]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]
