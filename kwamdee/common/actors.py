"""Who does a thing. A person (a signed-in user) or the system itself, named.

Services never accept `actor=None`: work the system does on its own (loading the default catalog,
seeding the demo, a background task) passes a `SystemActor`, and the audit row names it."""

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    """What services need of whoever acts: an identity and a permission check."""

    pk: Any

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


class SystemActor:
    """The system acting on its own, under a name that the audit log keeps."""

    pk = None
    is_authenticated = True
    is_active = True
    is_system = True

    def __init__(self, name: str) -> None:
        self.name = name

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # The system is trusted: its work is written in code, reviewed, and audited by name.
        return True

    def __repr__(self) -> str:
        return f"SystemActor({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SystemActor) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("system", self.name))


def is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)


def person_or_none(actor: Actor) -> Any:
    """The person behind `actor`, for a foreign key to people (None when the system acted)."""
    return None if is_system(actor) else actor
