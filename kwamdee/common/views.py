"""The home page."""

from django.shortcuts import render

from kwamdee.catalog.models import DeedType
from kwamdee.catalog.selectors import virtue_list


def home(request):
    return render(
        request,
        "home.html",
        {
            "virtues": virtue_list(),
            "deed_type_count": DeedType.objects.filter(is_active=True).count(),
        },
    )
