"""htmx partials: the <option>s of the district and subdistrict selects."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kwamdee.areas.selectors import district_options, subdistrict_options


@require_GET
def district_choices(request):
    code = request.GET.get("province", "")
    options = district_options(code) if code.isdigit() else []
    return render(request, "areas/_options.html", {"options": options, "empty": _("Choose a district")})


@require_GET
def subdistrict_choices(request):
    code = request.GET.get("district", "")
    options = subdistrict_options(code) if code.isdigit() else []
    return render(request, "areas/_options.html", {"options": options, "empty": _("Choose a subdistrict")})
