from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

from rathaus.outbox.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now, send through the task queue: a slow mail server never blocks a page."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        email_queue(message=self.render_mail(template_prefix, email, ctx))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        """Take the name the eID provider asserts; nothing else of the identity data is stored."""
        user = super().populate_user(request, sociallogin, data)
        claims = sociallogin.account.extra_data.get("id_token") or {}
        user.first_name = claims.get("given_name", user.first_name or "")[:150]
        user.last_name = claims.get("family_name", user.last_name or "")[:150]
        return user
