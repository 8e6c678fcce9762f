from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from rathaus.frontend import views as frontend_views
from rathaus.intake import urls as intake_urls

# The admin has no login form of its own: every login goes through the rate-limited,
# MFA-aware account login.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Rathaus"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The scanners' API (rathaus/intake/api.py): JSON, no language prefix.
    path("api/intake/", include(intake_urls.api_urlpatterns)),
]
urlpatterns += i18n_patterns(
    path("", include("rathaus.frontend.urls")),
    path("konto/", include("rathaus.accounts.urls")),
    path("leistungen/", include("rathaus.catalog.urls")),
    path("antraege/", include("rathaus.applications.urls")),
    path("demo/", include("rathaus.demo.urls")),
    path("pruefen/", include("rathaus.verification.urls")),
    path("amt/verwaltung/", include("rathaus.accounts.staff_urls")),
    path("amt/druck/", include("rathaus.outbox.urls")),
    path("", include("rathaus.documents.urls")),
    path("amt/kasse/", include("rathaus.payments.urls")),
    path("amt/post/", include("rathaus.intake.urls")),
    path("kommentare/", include("rathaus.comments.urls")),
    path("beteiligung/", include("rathaus.consultations.urls")),
    path("amt/beteiligung/", include("rathaus.consultations.staff_urls")),
    path("buergerbudget/", include("rathaus.budget.urls")),
    path("amt/buergerbudget/", include("rathaus.budget.staff_urls")),
    path("veranstaltungen/", include("rathaus.workshops.urls")),
    path("amt/veranstaltungen/", include("rathaus.workshops.staff_urls")),
    path("amt/", include("rathaus.cases.urls")),
    path("accounts/", include("rathaus.accounts.allauth_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = frontend_views.bad_request
handler403 = frontend_views.permission_denied
handler404 = frontend_views.page_not_found
handler500 = frontend_views.server_error
handler429 = frontend_views.too_many_requests
