"""What a person sees on their "my data" page."""

from typing import Any

from kwamdee.common.personal_data import Section, personal_data_collect


def my_data(*, person: Any) -> list[Section]:
    return personal_data_collect(person)
