"""Staff set up citizens' budget processes here; the lock on the rule is `process_update`'s."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import BudgetProcessAdminForm
from .models import BudgetProcess, BudgetUnit, Proposal
from .processes import LOCKED_FIELDS, process_update


class BudgetUnitInline(admin.TabularInline):
    model = BudgetUnit
    extra = 1
    fields = ["name", "district", "budget"]

    # Once voting opened, the units (their budgets are the ballots' cost caps) stay as they are.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.rule_locked())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.rule_locked())

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.rule_locked())


@admin.register(BudgetProcess)
class BudgetProcessAdmin(admin.ModelAdmin):
    form = BudgetProcessAdminForm
    inlines = [BudgetUnitInline]
    list_display = ["title", "slug", "department", "proposals_open", "voting_opens", "rule"]
    list_filter = ["rule", "department"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "department"]}),
        (
            _("Phases"),
            {
                "fields": [
                    "proposals_open",
                    "proposals_close",
                    "review_close",
                    "voting_opens",
                    "voting_closes",
                    "results_published_at",
                ]
            },
        ),
        (_("Eligibility"), {"fields": ["minimum_age", "assurance"]}),
        (
            _("Ballot and rule"),
            {"fields": ["min_projects", "max_projects", "cost_cap", "rule", "rule_parameters"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return list(LOCKED_FIELDS) if obj and obj.rule_locked() else []

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data}
        try:
            process_update(process=obj, data=data, actor=request.user)
        except ValidationError as exc:
            # The form refused it already; a race with the clock ends here.
            messages.error(request, " ".join(exc.messages))
            raise


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """A read-only view: proposals change through the review and moderation pages."""

    list_display = ["number", "title", "unit", "status", "hidden_at"]
    list_filter = ["status", "unit__process"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
