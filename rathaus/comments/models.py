"""A comment thread any participation object can have (a project, a budget proposal...).

A target model opts in by defining `comments_open()`, `comments_moderator(user)` and
`get_absolute_url()`; see docs/comments.md.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BODY_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class Comment(models.Model):
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("type of the commented object")
    )
    target_id = models.PositiveBigIntegerField(_("id of the commented object"))
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.CharField(_("text"), max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=REASON_MAX_LENGTH, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="comment_target_idx"
            ),
            models.Index(fields=["created_at"], name="comment_created_idx"),
        ]
        constraints = [
            # A hidden comment always says why (the reason is shown in the thread).
            models.CheckConstraint(
                condition=models.Q(hidden_at__isnull=True) | ~models.Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_type.app_label}.{self.target_type.model}:{self.target_id} #{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"
