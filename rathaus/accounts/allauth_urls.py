"""allauth views whose responses we adjust; included before allauth's own URLs."""

from allauth.account import views as allauth_views
from django.http import Http404
from django.urls import re_path


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """An expired, unknown or already used link answers 410 Gone with a page that says so."""

    def get(self, *args, **kwargs):
        response = super().get(*args, **kwargs)
        if self.object is None:
            response.status_code = 410
        return response

    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            response = self.render_to_response(self.get_context_data())
            response.status_code = 410
            return response


class PasswordResetFromKeyView(allauth_views.PasswordResetFromKeyView):
    def render_to_response(self, context, **response_kwargs):
        if context.get("token_fail"):
            response_kwargs["status"] = 410
        return super().render_to_response(context, **response_kwargs)


urlpatterns = [
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$",
        ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
]
