"""Staff pages of the department that owns an event: events, the form, the attendee list."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import department_member_required
from rathaus.audit.services import audit_record
from rathaus.cases.selectors import staff_departments

from . import selectors, services
from .forms import EventForm
from .models import Event


def _event(request, pk: int) -> Event:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return event


@department_member_required
def event_list(request):
    return render(
        request,
        "workshops/staff/list.html",
        {"events": selectors.events_for_staff(user=request.user)},
    )


def _form_page(request, *, form: EventForm, event: Event | None, status: int = 200):
    return render(
        request, "workshops/staff/form.html", {"form": form, "event": event}, status=status
    )


def _save(request, *, event: Event | None):
    departments = staff_departments(user=request.user)
    if request.method != "POST":
        return _form_page(
            request, form=EventForm(instance=event, departments=departments), event=event
        )
    form = EventForm(request.POST, instance=event, departments=departments)
    if not form.is_valid():
        return _form_page(request, form=form, event=event, status=422)
    try:
        saved = services.event_save(
            event=form.save(commit=False), actor=request.user, created=event is None
        )
    except services.EventError as exc:
        form.add_error("capacity", exc.message)
        return _form_page(request, form=form, event=event, status=422)
    messages.success(request, _("The event was saved."))
    return redirect("events_staff:attendees", pk=saved.pk)


@department_member_required
def event_create(request):
    return _save(request, event=None)


@department_member_required
def event_edit(request, pk: int):
    return _save(request, event=_event(request, pk))


@department_member_required
def attendees(request, pk: int):
    event = _event(request, pk)
    # The list names people: who looked at it is recorded, as for every personal record.
    audit_record(
        actor=request.user,
        action="workshops.attendees_viewed",
        object_type="workshops.event",
        object_id=str(event.pk),
    )
    context = {"event": event, **selectors.attendees(event=event)}
    return render(request, "workshops/staff/attendees.html", context)


@department_member_required
def attendees_csv(request, pk: int):
    event = _event(request, pk)
    response = HttpResponse(
        services.attendee_list_export(event=event, actor=request.user),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="teilnehmende-{event.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@department_member_required
@require_POST
def registration_cancel(request, pk: int, registration_pk: int):
    event = _event(request, pk)
    registration = event.registrations.filter(pk=registration_pk).first()
    if registration is None:
        messages.info(request, _("This registration was already cancelled."))
        return redirect("events_staff:attendees", pk=event.pk)
    try:
        promoted = services.registration_cancel(registration=registration, actor=request.user)
    except services.EventError as exc:
        messages.error(request, exc.message)
    else:
        text = _("The registration was cancelled and the person informed by e-mail.")
        if promoted:
            text += " " + _("The first person on the waiting list got the seat.")
        messages.success(request, text)
    return redirect("events_staff:attendees", pk=event.pk)
