from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from . import services


@receiver(user_logged_in, dispatch_uid="rathaus_login_assurance")
def record_login_assurance(sender, request, user, **kwargs) -> None:
    services.login_assurance_after_login(request=request, sociallogin=kwargs.get("sociallogin"))
