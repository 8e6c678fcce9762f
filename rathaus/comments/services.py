"""Writing to comment threads: post, hide with a reason, restore; and their retention."""

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import User
from rathaus.audit.services import audit_record
from rathaus.core.retention import register_purger

from .models import BODY_MAX_LENGTH, REASON_MAX_LENGTH, Comment

logger = logging.getLogger(__name__)


class CommentError(Exception):
    """A comment action that is not possible; the translated message is shown to the user."""

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def target_accepts_comments(target: object) -> bool:
    """Whether an object opted in to comment threads (see docs/comments.md)."""
    return all(
        callable(getattr(target, name, None))
        for name in ("comments_open", "comments_moderator", "get_absolute_url")
    )


def _body_clean(body: str) -> str:
    # Browsers send CRLF; counting characters the way the reader sees them.
    return (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()


@transaction.atomic
def comment_post(*, target: object, author: User, body: str) -> Comment:
    """Add a comment to the target's thread while the target lets citizens post."""
    if not target_accepts_comments(target):
        raise TypeError(f"{type(target).__name__} does not accept comments")
    if author is None or not author.is_authenticated or not author.is_active:
        raise CommentError(_("Log in to write a comment."), code="login")
    body = _body_clean(body)
    if not body:
        raise CommentError(_("Write your comment before sending it."), code="empty")
    if len(body) > BODY_MAX_LENGTH:
        raise CommentError(
            _("A comment can be at most %(max)d characters long; yours has %(length)d.")
            % {"max": BODY_MAX_LENGTH, "length": len(body)},
            code="too_long",
        )
    if not target.comments_open():
        raise CommentError(_("Comments are closed here."), code="closed")
    return Comment.objects.create(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        author=author,
        body=body,
    )


def _moderator_only(*, comment: Comment, staff: User) -> None:
    target = comment.target
    if target is None or not target.comments_moderator(staff):
        raise CommentError(_("Only the moderators of this thread may do this."), code="forbidden")


def _audit(*, comment: Comment, staff: User, action: str, data: dict) -> None:
    audit_record(
        actor=staff,
        action=action,
        object_type="comments.comment",
        object_id=str(comment.pk),
        data={
            "target": f"{comment.target_type.app_label}.{comment.target_type.model}",
            "target_id": comment.target_id,
            **data,
        },
    )


@transaction.atomic
def comment_hide(*, comment: Comment, staff: User, reason: str) -> Comment:
    """Hide a comment from the public thread; the reason is shown in its place."""
    _moderator_only(comment=comment, staff=staff)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CommentError(_("Give a reason for hiding the comment."), code="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise CommentError(
            _("The reason can be at most %(max)d characters long.") % {"max": REASON_MAX_LENGTH},
            code="reason",
        )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_hidden:
        raise CommentError(_("This comment is already hidden."), code="state")
    comment.hidden_at = timezone.now()
    comment.hidden_reason = reason
    comment.hidden_by = staff
    comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    # The reason is the moderator's own public statement, so it goes into the trail.
    _audit(comment=comment, staff=staff, action="comment.hidden", data={"reason": reason})
    return comment


@transaction.atomic
def comment_restore(*, comment: Comment, staff: User) -> Comment:
    """Show a hidden comment again."""
    _moderator_only(comment=comment, staff=staff)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not comment.is_hidden:
        raise CommentError(_("This comment is not hidden."), code="state")
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    _audit(comment=comment, staff=staff, action="comment.restored", data={})
    return comment


@register_purger(
    name="comments.comments",
    description="comments past their retention period, and comments whose object is gone",
)
def comments_purge_expired() -> int:
    cutoff = timezone.now() - datetime.timedelta(days=settings.RATHAUS_COMMENT_RETENTION_DAYS)
    deleted, _counts = Comment.objects.filter(created_at__lt=cutoff).delete()
    # A generic relation does not cascade: comments of deleted objects go here.
    type_ids = Comment.objects.values_list("target_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        model = content_type.model_class()
        orphans = Comment.objects.filter(target_type=content_type)
        if model is not None:
            orphans = orphans.exclude(target_id__in=model._default_manager.values("pk"))
        deleted += orphans.delete()[0]
    return deleted
