"""Addresses of the site's pages without a `reverse()` each: a page listing a few hundred
indicators (or ~150 areas) would otherwise spend much of its time resolving the same pattern.

`address(name, *args)` gives what `reverse(name, args=args)` gives for slug and number arguments
(which need no quoting): the pattern is reversed once per name and script prefix, with marks in
place of the arguments, and filled in by string formatting after that."""

import functools

from django.urls import get_script_prefix, reverse

_MARK = "zq{}mark"
_NUMBER_MARK = 987654320


@functools.lru_cache(maxsize=64)
def _template(name, kinds, prefix):
    marks = [_NUMBER_MARK + i if kind == "n" else _MARK.format(i) for i, kind in enumerate(kinds)]
    url = reverse(name, args=marks).replace("{", "{{").replace("}", "}}")
    for i, mark in enumerate(marks):
        url = url.replace(str(mark), f"{{{i}}}", 1)
    return url


def address(name, *args):
    kinds = tuple("n" if isinstance(arg, int) else "s" for arg in args)
    return _template(name, kinds, get_script_prefix()).format(*args)
