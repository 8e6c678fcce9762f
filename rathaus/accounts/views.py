from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .decorators import administrator_required
from .forms import (
    DepartmentForm,
    MembershipForm,
    MembershipRoleForm,
    ProfileForm,
    StaffInviteForm,
    StaffSearchForm,
)
from .models import Department, Membership, User


@login_required
def profile(request):
    context = {
        "level": selectors.login_assurance(request=request),
        "has_mfa": selectors.user_has_mfa(user=request.user),
        "memberships": request.user.memberships.select_related("department"),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "letters_by_post": user.letters_by_post,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


# --- Staff administration (/amt/verwaltung/): administrators only ------------------------------


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@administrator_required
def staff_people(request):
    departments = Department.objects.order_by("code")
    form = StaffSearchForm(request.GET or None, departments=departments)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.staff_list(
        query=filters.get("q", ""), department_code=filters.get("department", "")
    )
    page = Paginator(people, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "accounts/staff/people.html", context)


@administrator_required
@require_http_methods(["GET", "POST"])
def staff_new(request):
    departments = Department.objects.order_by("code")
    form = StaffInviteForm(
        request.POST if request.method == "POST" else None, departments=departments
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.staff_invite(
                actor=request.user,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                department_code=form.cleaned_data["department"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The account has been opened and the invitation has been sent.")
            )
            return redirect("staff_admin:person", person.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "has_departments": departments.exists()}
    return render(request, "accounts/staff/person_new.html", context, status=status)


def _person_context(request, person: User, **bound_forms) -> dict:
    memberships = list(person.memberships.select_related("department").order_by("department__code"))
    member_of = {m.department_id for m in memberships}
    rows = []
    for membership in memberships:
        code = membership.department.code
        role_form = bound_forms.get(f"role-{code}") or MembershipRoleForm(
            initial={"role": membership.role},
            department=membership.department,
            prefix=f"role-{code}",
        )
        rows.append({"membership": membership, "role_form": role_form})
    free = [d for d in Department.objects.order_by("code") if d.pk not in member_of]
    membership_form = bound_forms.get("membership") or MembershipForm(
        departments=free, prefix="membership"
    )
    return {
        "person": person,
        "rows": rows,
        "membership_form": membership_form,
        "has_errors": any(form.errors for form in bound_forms.values()),
        "is_self": person.pk == request.user.pk,
        "has_password": person.has_usable_password(),
        "has_mfa": selectors.user_has_mfa(user=person),
    }


@administrator_required
def staff_person(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    return render(request, "accounts/staff/person.html", _person_context(request, person))


def _person_with_errors(request, person: User, **bound_forms):
    context = _person_context(request, person, **bound_forms)
    return render(request, "accounts/staff/person.html", context, status=422)


@administrator_required
@require_POST
def staff_membership_add(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    member_of = person.memberships.values("department")
    free = Department.objects.exclude(pk__in=member_of).order_by("code")
    form = MembershipForm(request.POST, departments=free, prefix="membership")
    if form.is_valid():
        try:
            services.staff_membership_set(
                actor=request.user,
                user=person,
                department_code=form.cleaned_data["department"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The person has been added to the department."))
            return redirect("staff_admin:person", person.pk)
    return _person_with_errors(request, person, membership=form)


def _membership(person: User, code: str) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("department"), user=person, department__code=code
    )


@administrator_required
@require_POST
def staff_membership_role(request, pk: int, code: str):
    person = get_object_or_404(User, pk=pk)
    membership = _membership(person, code)
    prefix = f"role-{code}"
    form = MembershipRoleForm(request.POST, department=membership.department, prefix=prefix)
    if form.is_valid():
        try:
            services.staff_membership_set(
                actor=request.user,
                user=person,
                department_code=code,
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The role has been changed."))
            return redirect("staff_admin:person", person.pk)
    return _person_with_errors(request, person, **{prefix: form})


@administrator_required
@require_POST
def staff_membership_remove(request, pk: int, code: str):
    person = get_object_or_404(User, pk=pk)
    _membership(person, code)
    try:
        services.staff_membership_remove(actor=request.user, user=person, department_code=code)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The person has been removed from the department."))
    return redirect("staff_admin:person", person.pk)


@administrator_required
@require_POST
def staff_deactivate(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    try:
        services.user_deactivate(actor=request.user, user=person)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The account has been deactivated and logged out."))
    return redirect("staff_admin:person", person.pk)


@administrator_required
@require_POST
def staff_reactivate(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    services.user_reactivate(actor=request.user, user=person)
    messages.success(request, _("The account has been reactivated."))
    return redirect("staff_admin:person", person.pk)


@administrator_required
@require_POST
def staff_administrator(request, pk: int, administrator: bool):
    person = get_object_or_404(User, pk=pk)
    try:
        services.user_administrator_set(
            actor=request.user, user=person, administrator=administrator
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        if administrator:
            messages.success(request, _("The person is now an administrator."))
        else:
            messages.success(request, _("The person is no longer an administrator."))
    return redirect("staff_admin:person", person.pk)


@administrator_required
@require_POST
def staff_invitation(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    try:
        services.staff_invitation_send(actor=request.user, user=person)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The invitation has been sent again."))
    return redirect("staff_admin:person", person.pk)


@administrator_required
def departments(request):
    context = {"departments": selectors.department_list()}
    return render(request, "accounts/staff/departments.html", context)


def _department_form_page(request, form, department: Department | None):
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if department is None:
                services.department_create(actor=request.user, **data)
            else:
                services.department_update(actor=request.user, department=department, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The department has been saved."))
            return redirect("staff_admin:departments")
    status = 422 if form.errors else 200
    context = {"form": form, "department": department}
    return render(request, "accounts/staff/department_form.html", context, status=status)


@administrator_required
@require_http_methods(["GET", "POST"])
def department_new(request):
    form = DepartmentForm(request.POST if request.method == "POST" else None)
    return _department_form_page(request, form, None)


@administrator_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int):
    department = get_object_or_404(Department, pk=pk)
    form = DepartmentForm(
        request.POST if request.method == "POST" else None,
        initial={field: getattr(department, field) for field in ("code", "slug", "name", "email")},
        code_locked=selectors.department_in_use(department=department),
    )
    return _department_form_page(request, form, department)
