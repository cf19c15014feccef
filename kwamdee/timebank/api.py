"""API of the time bank (issue 12)."""

from ninja import Router

router = Router(tags=["timebank"])
