"""Background work of rewards (django-tasks; `manage.py db_worker` runs it)."""

from typing import Any

from django_tasks import task

from kwamdee.rewards.models import Redemption
from kwamdee.rewards.redemptions import redemption_expire, redemptions_expire_due


@task()
def redemption_expire_task(redemption_id: int) -> dict[str, Any]:
    """Booked for a code's expiry when it is given: if the counter has not confirmed it by then,
    its points and stock go back to the person and the privilege."""
    redemption = Redemption.objects.filter(pk=redemption_id).first()
    released = bool(redemption and redemption_expire(redemption=redemption))
    return {"redemption": redemption_id, "released": released}


@task()
def redemptions_expire_task() -> dict[str, Any]:
    """A sweep of every code past its time (`manage.py redemptions_expire` runs it too): for codes
    whose booked task was lost, such as a queue emptied by hand."""
    return {"released": redemptions_expire_due()}
