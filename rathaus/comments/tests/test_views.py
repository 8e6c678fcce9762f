import pytest
from django.urls import reverse

from rathaus.accounts.tests.factories import MembershipFactory, totp_enable
from rathaus.comments import services
from rathaus.comments.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.urls("rathaus.comments.tests.urls")]


def _post_url(target) -> str:
    return reverse("comments:create", args=["accounts.department", target.pk])


def _page(target) -> str:
    return target.get_absolute_url()


def test_posting_publishes_and_jumps_to_the_comment(client, thread, citizen):
    client.force_login(citizen)
    response = client.post(_post_url(thread.target), {"body": "Mehr Bäume, bitte."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_page(thread.target)}#comment-{comment.pk}"
    page = client.get(_page(thread.target))
    assert "Mehr Bäume, bitte." in page.content.decode()
    assert "Lena S." in page.content.decode()
    assert "Schäfer" not in page.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, thread):
    response = client.post(_post_url(thread.target), {"body": "Hallo"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert Comment.objects.count() == 0
    page = client.get(_page(thread.target)).content.decode()
    assert f"{reverse('account_login')}?next=" in page


def test_bad_input_shows_the_error_and_keeps_the_text(client, thread, citizen):
    client.force_login(citizen)
    long_text = "Sehr lang. " * 200
    response = client.post(_post_url(thread.target), {"body": long_text})
    assert response["Location"] == f"{_page(thread.target)}#comment-error"
    page = client.get(_page(thread.target)).content.decode()
    assert 'role="alert"' in page
    assert "höchstens 2000 Zeichen" in page or "at most 2000 characters" in page
    assert 'aria-invalid="true"' in page
    assert long_text.strip() in page
    assert Comment.objects.count() == 0
    # Shown once: the next visit has an empty form again.
    assert long_text.strip() not in client.get(_page(thread.target)).content.decode()


def test_empty_comment_and_closed_thread_store_nothing(client, thread, citizen):
    client.force_login(citizen)
    client.post(_post_url(thread.target), {"body": "   "})
    thread.open = False
    client.post(_post_url(thread.target), {"body": "Zu spät"})
    assert Comment.objects.count() == 0
    page = client.get(_page(thread.target)).content.decode()
    assert "Zu spät" in page  # the typed text survives
    assert 'action="/kommentare/' not in page  # no form in a closed thread


def test_only_post_and_only_objects_that_take_comments(client, thread, citizen):
    client.force_login(citizen)
    assert client.get(_post_url(thread.target)).status_code == 405
    assert client.post("/kommentare/accounts.user/1/", {"body": "x"}).status_code == 404
    assert client.post("/kommentare/nichts.da/1/", {"body": "x"}).status_code == 404
    missing = reverse("comments:create", args=["accounts.department", thread.target.pk + 99])
    assert client.post(missing, {"body": "x"}).status_code == 404


def test_rate_limit_per_user(client, thread, citizen, settings):
    settings.RATHAUS_COMMENT_RATE_LIMIT = "3/m/user"
    client.force_login(citizen)
    for number in range(3):
        assert client.post(_post_url(thread.target), {"body": f"Nr. {number}"}).status_code == 302
    response = client.post(_post_url(thread.target), {"body": "Einer zu viel"})
    assert response.status_code == 429
    assert Comment.objects.count() == 3
    # The text waits in the form for later.
    assert "Einer zu viel" in client.get(_page(thread.target)).content.decode()


def test_hide_and_restore_by_a_moderator(client, thread, citizen, moderator):
    comment = services.comment_post(target=thread.target, author=citizen, body="Böser Text")
    client.force_login(moderator)
    staff_page = client.get(_page(thread.target)).content.decode()
    assert reverse("comments:hide", args=[comment.pk]) in staff_page
    response = client.post(reverse("comments:hide", args=[comment.pk]), {"reason": ""})
    assert response["Location"].endswith("#comment-error")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert 'role="alert"' in client.get(_page(thread.target)).content.decode()
    client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "Beleidigung"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "Beleidigung"
    # Moderators still read it; the public sees the reason only.
    assert "Böser Text" in client.get(_page(thread.target)).content.decode()
    client.logout()
    public = client.get(_page(thread.target)).content.decode()
    assert "Böser Text" not in public
    assert "Beleidigung" in public
    assert "Lena S." not in public
    client.force_login(moderator)
    client.post(reverse("comments:restore", args=[comment.pk]))
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_others_may_not_moderate(client, thread, citizen):
    comment = services.comment_post(target=thread.target, author=citizen, body="Text")
    other = MembershipFactory().user
    totp_enable(other)
    for user in (citizen, other):
        client.force_login(user)
        assert (
            client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "weg"}).status_code
            == 403
        )
        assert client.post(reverse("comments:restore", args=[comment.pk])).status_code == 403
    client.logout()
    assert (
        client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "weg"}).status_code
        == 403
    )
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert client.post(reverse("comments:hide", args=[comment.pk + 9])).status_code in (403, 404)
