"""Reading comment threads: the public thread, the moderators' view, author names."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from rathaus.accounts.models import Membership

from .models import Comment


def _thread(target: object) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .select_related("author")
        .annotate(author_is_staff=Exists(Membership.objects.filter(user=OuterRef("author"))))
        .order_by("created_at", "pk")
    )


def comments_public(target: object) -> QuerySet[Comment]:
    """Every comment of the thread, oldest first, hidden ones included.

    A hidden comment stays in the list as a placeholder, so the thread shows that (and why)
    something was removed: render `comment.hidden_reason` in its place, never its body or
    author (`comments/thread.html` does). Use `.filter(hidden_at__isnull=True)` for the
    visible ones only.
    """
    return _thread(target)


def comments_for_staff(target: object) -> QuerySet[Comment]:
    """Every comment of the thread with its body, for moderators (also shows who hid it)."""
    return _thread(target).select_related("hidden_by")


def comments_visible_count(target: object) -> int:
    return _thread(target).filter(hidden_at__isnull=True).count()


def comment_author_label(comment: Comment) -> str:
    """The author as the public sees them: given name and initial, or a neutral word.

    Staff write for the city administration, whose name is shown instead of theirs.
    """
    author = comment.author
    if author is None:
        return _("Deleted account")
    is_staff = getattr(comment, "author_is_staff", None)
    if is_staff is None:
        is_staff = author.memberships.exists()
    if is_staff or author.is_superuser:
        return _("City administration")
    first = author.first_name.strip()
    last = author.last_name.strip()
    if first and last:
        return f"{first} {last[0]}."
    return _("Resident")
