"""`{% comment_thread target as thread %}`: what `comments/thread.html` needs to render."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from .. import selectors
from ..forms import CommentForm, HideForm

register = template.Library()

FORM_ANCHOR = "comment-form"
# The error summary: a redirect to it lets the browser focus it, so it is read out first.
ERROR_ANCHOR = "comment-error"


def stash_key(target) -> str:
    content_type = ContentType.objects.get_for_model(target)
    return f"comments:{content_type.pk}:{target.pk}"


@register.simple_tag(takes_context=True)
def comment_thread(context, target) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    stash = {}
    if request is not None and hasattr(request, "session"):
        stash = request.session.pop(stash_key(target), None) or {}
    is_moderator = bool(user and user.is_authenticated and target.comments_moderator(user))
    comments = (
        selectors.comments_for_staff(target) if is_moderator else selectors.comments_public(target)
    )
    # The field is named "body"; its id is unique on a page with other forms.
    form = CommentForm(initial={"body": stash.get("body", "")}, auto_id="id_comment-%s")
    if stash.get("error"):
        # Bound with what was typed, so the field shows the problem next to the text.
        form = CommentForm({"body": stash.get("body", "")}, auto_id="id_comment-%s")
        form.full_clean()
        form.errors.clear()
        form.add_error("body", stash["error"])
    content_type = ContentType.objects.get_for_model(target)
    items = list(comments)
    for comment in items:
        comment.author_label = selectors.comment_author_label(comment)
        if is_moderator:
            # One form per comment, with ids of its own; the field is still named "reason".
            comment.hide_form = HideForm(auto_id=f"id_hide-{comment.pk}-%s")
            if str(comment.pk) == stash.get("comment") and stash.get("moderation_error"):
                comment.hide_form = HideForm({"reason": ""}, auto_id=f"id_hide-{comment.pk}-%s")
                comment.hide_form.full_clean()
                comment.hide_form.errors.clear()
                comment.hide_form.add_error("reason", stash["moderation_error"])
    back = target.get_absolute_url()
    return {
        "comments": items,
        "visible_count": sum(1 for comment in items if not comment.is_hidden),
        "open": target.comments_open(),
        "form": form,
        "error": stash.get("error", ""),
        "moderation_error": stash.get("moderation_error", ""),
        "is_moderator": is_moderator,
        "post_url": reverse(
            "comments:create",
            args=[f"{content_type.app_label}.{content_type.model}", target.pk],
        ),
        "login_url": f"{reverse('account_login')}?{urlencode({'next': back})}",
        "form_anchor": FORM_ANCHOR,
        "error_anchor": ERROR_ANCHOR,
    }
