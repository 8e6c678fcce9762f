from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.services import login_assurance_record

DEMO_EID_PIN = "123456"


class DemoEidForm(forms.Form):
    pin = forms.CharField(
        label=_("PIN of your online ID card"),
        help_text=_("In this demo the PIN is 123456."),
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_pin(self) -> str:
        if self.cleaned_data["pin"] != DEMO_EID_PIN:
            raise forms.ValidationError(_("The PIN is not correct."), code="pin")
        return self.cleaned_data["pin"]


@login_required
@require_http_methods(["GET", "POST"])
def demo_eid(request):
    """Stand-in for the eID in the local demo only: confirms the login at level high."""
    if not settings.DEBUG:
        raise Http404
    form = DemoEidForm(request.POST if request.method == "POST" else None)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        login_assurance_record(request=request, level=LevelOfAssurance.HIGH)
        return redirect(next_url or "accounts:profile")
    return render(request, "demo/eid.html", {"form": form}, status=422 if form.errors else 200)
