"""The public check page `/pruefen/` and its JSON API: no login, nothing stored, nothing logged.

Answers are never cached (`no-store`): a revocation must show at the next scan, and the
answer holds the holder's printed details. The token arrives in the URL path because that is
what a phone camera opens; Rathaus never logs request paths (see docs/verification.md).
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.core.ratelimit import rate_limit_consume, rate_limit_response

from .forms import TokenForm
from .selectors import CheckResult, token_check
from .tokens import TokenSyntaxError, token_normalize

RATE_ACTION = "verification_check"


def _private(view):
    """No caching, no search engines. The site's `Referrer-Policy: same-origin` already keeps
    the address (which holds the token) from other sites; `no-referrer` would make browsers
    send `Origin: null` with the form, which fails the CSRF check."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _over_limit(request) -> bool:
    return not rate_limit_consume(
        request, action=RATE_ACTION, rate=settings.RATHAUS_VERIFICATION_RATE_LIMIT
    )


def _page(request, *, form: TokenForm, result: CheckResult | None = None, status: int = 200):
    return render(
        request, "verification/check.html", {"form": form, "result": result}, status=status
    )


@_private
@require_http_methods(["GET", "HEAD", "POST"])
def check(request):
    """The form to type or paste a code; a POST checks it (the code stays out of the URL)."""
    if request.method != "POST":
        return _page(request, form=TokenForm())
    if _over_limit(request):
        return rate_limit_response(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=422)  # as every invalid form on the site
    result = token_check(token=form.cleaned_data["code"])
    return _page(request, form=TokenForm(), result=result)


@_private
@require_GET
def check_token(request, token: str):
    """What the QR code opens: the answer at once, then a form to check another code."""
    if _over_limit(request):
        return rate_limit_response(request)
    form = TokenForm(data={"code": token})
    if not form.is_valid():
        # Not even shaped like a code: say what is wrong with it, as for a typed one.
        return _page(request, form=form, status=400)
    result = token_check(token=form.cleaned_data["code"])
    return _page(request, form=TokenForm(), result=result)


@_private
@require_GET
def check_api(request, token: str):
    """`GET /pruefen/api/<TOKEN>`: status, explanation and printed details as JSON.

    A plain GET without credentials; no CORS headers, so only our own pages and non-browser
    clients (an enforcement app) read it, never a third-party web page.
    """
    if _over_limit(request):
        response = JsonResponse(
            {"status": "rate_limited", "message": _("Too many checks. Please wait a minute.")},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    try:
        token = token_normalize(token)
    except TokenSyntaxError as exc:
        return JsonResponse(
            {"status": "unreadable", "valid": False, "message": str(exc.message)}, status=400
        )
    return JsonResponse(token_check(token=token).as_json())
