"""UNFINISHED SKELETON: being written (issue 11). Every view below must be replaced."""

from django.http import Http404


def privileges(request, public_id=None):
    raise Http404


def levels(request, public_id=None):
    raise Http404


def my_redemptions(request, public_id=None):
    raise Http404


def privilege_detail(request, public_id=None):
    raise Http404


def privilege_photo(request, public_id=None):
    raise Http404


def redeem(request, public_id=None):
    raise Http404


def redemption_detail(request, public_id=None):
    raise Http404


def redemption_cancel_view(request, public_id=None):
    raise Http404
