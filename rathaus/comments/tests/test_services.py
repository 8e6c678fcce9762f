import datetime

import pytest
from django.utils import timezone

from rathaus.accounts.tests.factories import MembershipFactory, UserFactory
from rathaus.audit.models import AuditEntry
from rathaus.comments import selectors, services
from rathaus.comments.models import Comment
from rathaus.comments.services import CommentError
from rathaus.core.retention import purgers

pytestmark = pytest.mark.django_db


def test_post_stores_the_trimmed_text(thread, citizen):
    comment = services.comment_post(target=thread.target, author=citizen, body="  Gute Idee!\r\n ")
    assert comment.body == "Gute Idee!"
    assert comment.target == thread.target
    assert list(selectors.comments_public(thread.target)) == [comment]


@pytest.mark.parametrize(
    ("body", "code"), [("", "empty"), ("   \n ", "empty"), ("x" * 2001, "too_long")]
)
def test_bad_text_is_refused_and_nothing_stored(thread, citizen, body, code):
    with pytest.raises(CommentError) as exc:
        services.comment_post(target=thread.target, author=citizen, body=body)
    assert exc.value.code == code
    assert str(exc.value.message)
    assert Comment.objects.count() == 0


def test_exactly_2000_characters_are_fine(thread, citizen):
    services.comment_post(target=thread.target, author=citizen, body="x" * 2000)
    assert Comment.objects.count() == 1


def test_a_closed_thread_takes_no_comments(thread, citizen):
    thread.open = False
    with pytest.raises(CommentError) as exc:
        services.comment_post(target=thread.target, author=citizen, body="Zu spät?")
    assert exc.value.code == "closed"
    assert Comment.objects.count() == 0


def test_an_object_that_did_not_opt_in_is_refused(citizen):
    with pytest.raises(TypeError):
        services.comment_post(target=citizen, author=citizen, body="Hallo")


def test_inactive_users_cannot_post(thread, citizen):
    citizen.is_active = False
    with pytest.raises(CommentError):
        services.comment_post(target=thread.target, author=citizen, body="Hallo")


def test_hide_needs_a_moderator_and_a_reason(thread, citizen, moderator):
    comment = services.comment_post(target=thread.target, author=citizen, body="Unsinn")
    other_staff = MembershipFactory().user
    with pytest.raises(CommentError) as exc:
        services.comment_hide(comment=comment, staff=other_staff, reason="Beleidigung")
    assert exc.value.code == "forbidden"
    with pytest.raises(CommentError) as exc:
        services.comment_hide(comment=comment, staff=moderator, reason="   ")
    assert exc.value.code == "reason"
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert not AuditEntry.objects.filter(action="comment.hidden").exists()


def test_hide_and_restore_are_audited(thread, citizen, moderator):
    comment = services.comment_post(target=thread.target, author=citizen, body="Unsinn")
    services.comment_hide(comment=comment, staff=moderator, reason="Beleidigung")
    comment.refresh_from_db()
    assert comment.hidden_reason == "Beleidigung"
    assert comment.hidden_by == moderator
    with pytest.raises(CommentError):
        services.comment_hide(comment=comment, staff=moderator, reason="noch einmal")
    entry = AuditEntry.objects.get(action="comment.hidden")
    assert entry.actor == moderator
    assert entry.data["reason"] == "Beleidigung"
    services.comment_restore(comment=comment, staff=moderator)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    assert AuditEntry.objects.filter(action="comment.restored").count() == 1
    with pytest.raises(CommentError):
        services.comment_restore(comment=comment, staff=moderator)


def test_public_thread_keeps_hidden_comments_as_placeholders(thread, citizen, moderator):
    first = services.comment_post(target=thread.target, author=citizen, body="Eins")
    second = services.comment_post(target=thread.target, author=citizen, body="Zwei")
    services.comment_hide(comment=first, staff=moderator, reason="Werbung")
    public = list(selectors.comments_public(thread.target))
    assert [c.pk for c in public] == [first.pk, second.pk]
    assert public[0].is_hidden
    assert selectors.comments_visible_count(thread.target) == 1


def test_author_labels_are_privacy_friendly(thread, citizen, moderator, english):
    anonymous = UserFactory(first_name="", last_name="")
    comments = [
        services.comment_post(target=thread.target, author=author, body="Hallo")
        for author in (citizen, anonymous, moderator)
    ]
    labels = [selectors.comment_author_label(c) for c in selectors.comments_public(thread.target)]
    assert labels == ["Lena S.", "Resident", "City administration"]
    citizen.delete()
    comments[0].refresh_from_db()
    assert comments[0].author is None
    assert selectors.comment_author_label(comments[0]) == "Deleted account"


def test_purger_deletes_old_comments_and_orphans(thread, citizen, settings):
    settings.RATHAUS_COMMENT_RETENTION_DAYS = 30
    old = services.comment_post(target=thread.target, author=citizen, body="Alt")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    services.comment_post(target=thread.target, author=citizen, body="Neu")
    other = MembershipFactory().department
    orphan = services.comment_post(target=other, author=citizen, body="Weg")
    Comment.objects.filter(pk=orphan.pk).update(target_id=other.pk + 1000)
    purger = {p.name: p for p in purgers()}["comments.comments"]
    assert purger.purge() == 2
    assert list(Comment.objects.values_list("body", flat=True)) == ["Neu"]
