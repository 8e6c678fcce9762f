from django.http import HttpResponseServerError
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def home(request):
    return render(request, "frontend/pages/home.html")


def imprint(request):
    return render(request, "frontend/pages/imprint.html")


def privacy(request):
    return render(request, "frontend/pages/privacy.html")


def accessibility(request):
    return render(request, "frontend/pages/accessibility.html")


def _error(request, status: int):
    return render(request, f"frontend/errors/{status}.html", status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, 404)


def too_many_requests(request, exception=None):
    return _error(request, 429)


@requires_csrf_token
def server_error(request):
    try:
        return _error(request, 500)
    except Exception:  # the page itself failed (database down?): answer without the layout
        return HttpResponseServerError(
            "<!DOCTYPE html><html lang='de'><title>Fehler</title>"
            "<h1>Es gibt ein Problem mit dem Dienst. / There is a problem with the service.</h1>"
        )


def csrf_failure(request, reason=""):
    return render(request, "frontend/errors/csrf.html", status=403)
