"""API of the goodness bank (issue 12)."""

from ninja import Router

router = Router(tags=["loans"])
