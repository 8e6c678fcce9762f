"""Public pages: upcoming events, an event with its sign-up form, the cancellation link."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rathaus.core.ratelimit import rate_limit_consume, rate_limit_response

from . import selectors, services
from .forms import RegistrationForm
from .ics import event_ics
from .models import RegistrationStatus

RATE_ACTION = "events_signup"


def event_list(request):
    return render(request, "workshops/list.html", {"events": selectors.events_upcoming()})


def _event(slug: str):
    event = selectors.event_public(slug=slug)
    if event is None:
        raise Http404
    return event


def _detail(request, event, *, form: RegistrationForm, refusal: str = "", status: int = 200):
    closed = ""
    try:
        services.registration_window_check(event=event)
    except services.EventError as exc:
        closed = exc.message
    context = {
        "event": event,
        "form": form,
        "closed": closed,
        "refusal": refusal,
    }
    return render(request, "workshops/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, slug: str):
    event = _event(slug)
    if request.method != "POST":
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
        return _detail(request, event, form=RegistrationForm(initial=initial))
    if not rate_limit_consume(
        request, action=RATE_ACTION, rate=settings.RATHAUS_EVENTS_SIGNUP_RATE_LIMIT
    ):
        return rate_limit_response(request)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _detail(request, event, form=form, status=422)
    try:
        registration = services.registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            accessibility_needs=form.cleaned_data["accessibility_needs"],
        )
    except services.EventError as exc:
        return _detail(request, event, form=form, refusal=exc.message, status=409)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            _("Your seat is confirmed. We have sent you an e-mail with a calendar entry."),
        )
    else:
        messages.info(
            request,
            _(
                "All seats are taken: you are on the waiting list, in place %(position)d. "
                "If a seat becomes free, you get it automatically and we write to you."
            )
            % {"position": services.waiting_position(registration=registration)},
        )
    return redirect("events:detail", slug=event.slug)


def event_calendar(request, slug: str):
    """The event as a calendar file (without the online link, which only participants get)."""
    event = _event(slug)
    response = HttpResponse(
        event_ics(event=event, with_online_link=False), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token: str):
    """The link from the e-mail: a page that asks, and a button that cancels (a GET never
    cancels, as mail scanners open links)."""
    try:
        registration = services.registration_for_token(token=token)
    except services.EventError as exc:
        status = 404 if exc.code == "bad_token" else 410
        response = render(request, "workshops/cancel.html", {"error": exc.message}, status=status)
        add_never_cache_headers(response)
        return response
    context = {"registration": registration, "event": registration.event}
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except services.EventError as exc:
            context["error"] = exc.message
            response = render(request, "workshops/cancel.html", context, status=409)
        else:
            context["done"] = True
            response = render(request, "workshops/cancel.html", context)
    else:
        response = render(request, "workshops/cancel.html", context)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
