"""guidance/addresses.py gives what `reverse()` gives, under any script prefix."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from guidance.addresses import address

ADDRESSES = [
    ("guidance:authority", "north-shire"),
    ("guidance:level", "north-shire", 3),
    ("guidance:indicator", "north-shire", 12345),
    ("guidance:section", "north-shire", "working-together"),
    ("guidance:present", "dudley", 7),
]


@pytest.mark.parametrize("prefix", ["/", "/thresholds/"])
@pytest.mark.parametrize("name_and_args", ADDRESSES)
def test_address_is_what_reverse_gives(name_and_args, prefix):
    name, *args = name_and_args
    set_script_prefix(prefix)
    try:
        assert address(name, *args) == reverse(name, args=args)
        assert address(name, *args).startswith(prefix)
        assert address(name, *args) != address(
            name, *[f"{a}9" if isinstance(a, str) else a + 1 for a in args]
        )
    finally:
        clear_script_prefix()
