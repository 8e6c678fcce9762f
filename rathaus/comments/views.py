"""Posting and moderating comments. Every action redirects back to the commented object."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.core.ratelimit import rate_limit_consume, rate_limit_response

from . import services
from .models import Comment
from .templatetags.comment_threads import ERROR_ANCHOR, FORM_ANCHOR, stash_key


def _target(target_type: str, target_id: int):
    app_label, _dot, model = target_type.partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model_class = content_type.model_class()
    if model_class is None or not services.target_accepts_comments(model_class):
        raise Http404
    target = model_class._default_manager.filter(pk=target_id).first()
    if target is None:
        raise Http404
    return target


def _stash(request, target, **values) -> None:
    """Keep what the user typed and the problem for the thread to show after the redirect."""
    request.session[stash_key(target)] = {key: str(value) for key, value in values.items()}


@require_POST
def comment_create(request, target_type: str, target_id: int):
    target = _target(target_type, target_id)
    back = target.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(f"{back}#{FORM_ANCHOR}")
    body = request.POST.get("body", "")
    if not rate_limit_consume(
        request, action="comment_post", rate=settings.RATHAUS_COMMENT_RATE_LIMIT
    ):
        _stash(
            request,
            target,
            body=body,
            error=_("You have written many comments in a short time. Please try again later."),
        )
        return rate_limit_response(request)
    try:
        comment = services.comment_post(target=target, author=request.user, body=body)
    except services.CommentError as exc:
        _stash(request, target, body=body, error=exc.message)
        return redirect(f"{back}#{ERROR_ANCHOR}")
    messages.success(request, _("Your comment has been published."))
    return redirect(f"{back}#{comment.anchor}")


def _comment(pk: int) -> Comment:
    comment = Comment.objects.select_related("target_type").filter(pk=pk).first()
    if comment is None or comment.target is None:
        raise Http404
    return comment


def _moderate(request, pk: int, action):
    if not request.user.is_authenticated:
        raise PermissionDenied
    comment = _comment(pk)
    target = comment.target
    if not target.comments_moderator(request.user):
        raise PermissionDenied
    try:
        action(comment)
    except services.CommentError as exc:
        _stash(request, target, moderation_error=exc.message, comment=comment.pk)
        return redirect(f"{target.get_absolute_url()}#{ERROR_ANCHOR}")
    return redirect(f"{target.get_absolute_url()}#{comment.anchor}")


@require_POST
def comment_hide(request, pk: int):
    def hide(comment):
        services.comment_hide(
            comment=comment, staff=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The comment is hidden."))

    return _moderate(request, pk, hide)


@require_POST
def comment_restore(request, pk: int):
    def restore(comment):
        services.comment_restore(comment=comment, staff=request.user)
        messages.success(request, _("The comment is visible again."))

    return _moderate(request, pk, restore)
