from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from .selectors import user_has_mfa, user_is_staff

# Pages a member of staff may still reach before setting up two-factor authentication.
ALLOWED_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "set_language",
}


class StaffMFARequiredMiddleware:
    """Members of staff must set up TOTP before they can use anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self._allowed(request.path_info)
            and user_is_staff(user=user)
            and not user_has_mfa(user=user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return True
        return match.url_name in ALLOWED_URL_NAMES or match.app_name == "frontend"
