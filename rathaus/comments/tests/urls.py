"""The site's URLs plus a page showing the thread of a department (the stand-in object)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from rathaus.accounts.models import Department

PAGE = """{% extends "frontend/base.html" %}{% block title %}Test{% endblock %}
{% block content %}<h1 class="kern-heading-large">{{ object.name }}</h1>
{% include "comments/thread.html" with target=object %}{% endblock %}"""


def page(request, pk: int):
    template = engines["django"].from_string(PAGE)
    department = get_object_or_404(Department, pk=pk)
    return HttpResponse(template.render({"object": department}, request))


test_patterns = ([path("<int:pk>/", page, name="page")], "comments_test")

urlpatterns = [
    *i18n_patterns(path("testseite/", include(test_patterns)), prefix_default_language=False),
    *site_urlpatterns,
]
