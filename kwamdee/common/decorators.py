"""View decorators: who may open a page."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def permission_required(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A signed-out visitor goes to sign in; a signed-in person without `perm` gets the site's
    403 page. (Django's own decorator sends both to sign-in, and sign-in sends a signed-in
    person straight back: a redirect loop.)"""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def checked(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator
