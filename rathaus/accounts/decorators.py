from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .models import LevelOfAssurance, User
from .selectors import eid_login_url, login_assurance, user_is_department_member, user_is_staff


def assurance_refusal(request, required: int):
    """None when the login is secure enough, else the page explaining how to log in better."""
    current = login_assurance(request=request)
    if current is not None and current >= required:
        return None
    context = {
        "required_level": LevelOfAssurance(required),
        "current_level": current,
        "eid_url": eid_login_url(next_url=request.get_full_path()),
    }
    return render(request, "accounts/assurance_required.html", context, status=403)


def assurance_required(level: LevelOfAssurance):
    """Let a view through only for a login of at least `level`; explain otherwise (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return assurance_refusal(request, level) or view(request, *args, **kwargs)

        return wrapped

    return decorator


def access_required(test: Callable[[User], bool]):
    """Let a view through for users passing `test`: visitors get the login page, anyone else 403.

    (Django's `user_passes_test` would send a logged-in user without access to the login page.)
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Administrators (superusers) only.
administrator_required = access_required(lambda user: user.is_superuser)
# Members of a department (the case back office and what hangs off it).
department_member_required = access_required(lambda user: user_is_department_member(user=user))
# Members of a department and administrators.
staff_required = access_required(lambda user: user_is_staff(user=user))
