from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .models import LevelOfAssurance
from .selectors import eid_login_available, login_assurance


def assurance_required(level: LevelOfAssurance):
    """Let a view through only for a login of at least `level`; explain otherwise (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            current = login_assurance(request=request)
            if current is None or current < level:
                context = {
                    "required_level": level,
                    "current_level": current,
                    "eid_available": eid_login_available(),
                }
                return render(request, "accounts/assurance_required.html", context, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
