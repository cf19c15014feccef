"""What deeds announce to the layers above them (rewards pays sponsors' bonuses on it).

Sent inside the verifying transaction, after the deed's own credit is posted: a receiver's
writes commit or roll back with the verification. Arguments: `deed`, `rule` (the rule version
that priced it), `weights` (its split across virtues), `actor`."""

from django.dispatch import Signal

deed_verified = Signal()
