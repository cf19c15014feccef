"""UNFINISHED SKELETON: being written (issue 11). Every view below must be replaced."""

from django.http import Http404


def partners_mine(request, public_id=None):
    raise Http404


def partner_register_view(request, public_id=None):
    raise Http404


def partners_waiting(request, public_id=None):
    raise Http404


def partner_detail(request, public_id=None):
    raise Http404


def partner_decide_view(request, public_id=None):
    raise Http404


def counter(request, public_id=None):
    raise Http404


def partner_report(request, public_id=None):
    raise Http404


def partner_staff(request, public_id=None):
    raise Http404


def partner_tokens_view(request, public_id=None):
    raise Http404


def privilege_offer_view(request, public_id=None):
    raise Http404


def privilege_edit(request, public_id=None):
    raise Http404


def privilege_withdraw_view(request, public_id=None):
    raise Http404


def levels_edit(request, public_id=None):
    raise Http404


def area_report(request, public_id=None):
    raise Http404
