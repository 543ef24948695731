"""keyed: `sorted`, `max` and `min` with a `key=` function, as code the frontend
inlines (`ssa_expressions.inline_helper`) with the key function bound.

A key decides which item goes where, and no derivative flows through it: the
result is the items, in the order (or the one item) the keys pick. So

    sorted(xs, key=lambda v: -v)

is differentiated as this module's `sorted_with_key`: the keys computed item by
item, the order of Python's stable sort of them (`primitives.key_order`, which
has no derivative), and the items read in that order, whose cotangents go back
to the items they were read from. `max(xs, key=f)` reads the first item of the
largest key, as Python's `max` returns it.

Requires: nothing but Python; the frontend reads this module's source.
"""

from transforms.core.primitives import key_argmax, key_argmin, key_order


def sorted_with_key(iterable, key=None, reverse=False):
    items = list(iterable)
    keys = [key(item) for item in items]
    order = key_order(keys, reverse)
    return [items[k] for k in order]


def max_with_key(iterable, key=None):
    items = list(iterable)
    keys = [key(item) for item in items]
    return items[key_argmax(keys)]


def min_with_key(iterable, key=None):
    items = list(iterable)
    keys = [key(item) for item in items]
    return items[key_argmin(keys)]
