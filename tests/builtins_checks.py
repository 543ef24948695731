"""Registry-sweep checks for Python's builtins that pick, order or copy the items
of their arguments (`max`, `min`, `sorted`, `list`, `tuple`, `dict`), and for the
helpers their rules call (the `Check` tables of rules_checks.py, continued).

Random points never tie, and ints are given where they would (Python ints from a
domain of width 4 often do); ties are tested in test_builtins_more.py. A list
result goes through `np.array` before the sweep weights it: `xs * w` of a list
`xs` would repeat it.
"""

import builtins

from adjoint.rules import numpy_helpers
from tests.rules_checks import REAL, Check, arrays, binary

THREE = (REAL, REAL, REAL)
FLOATS3 = ((), (), ())


def extrema(name):
    """The calls of `max` or `min` to check: of two and three numbers, of one
    list, tuple or vector, with a constant among the numbers or the items."""
    return (binary(f'{name}(x, y)', arrays=False, ints=(2, -1)),
            Check(f'{name}(x, y, z)', THREE, ints=(2, -1, 0)),
            Check(f'{name}(x, 0.5, y)', (REAL, REAL), ints=(2, -1)),
            Check(f'{name}([x, y, z])', THREE, ints=(2, -1, 0)),
            Check(f'{name}((y, x))', (REAL, REAL), ints=(2, -1)),
            Check(f'{name}([x, y], default=0.0)', (REAL, REAL), ints=(2, -1)),
            Check(f'{name}([], default=x)', (REAL,), ints=(2,)),
            arrays(f'{name}(x)', ((4,),)),
            arrays(f'{name}(x, y)', ((), ())))


BUILTIN_CHECKS = {
    builtins.max: extrema('max'),
    builtins.min: extrema('min'),
    builtins.sorted: (arrays('np.array(sorted([x, y, z]))', FLOATS3),
                      arrays('np.array(sorted((x, y, z), reverse=True)[1:])', FLOATS3),
                      arrays('np.array(sorted(x))', ((5,),)),
                      arrays('np.array(sorted(x, reverse=True))', ((4,),)),
                      arrays('max(sorted([x, y])) * sorted([y, x])[0]', ((), ()))),
    builtins.list: (arrays('np.array(list(sorted((x, y, z))))', FLOATS3),  # list((x, y)) is [x, y]
                    arrays('np.array(list(x))', ((3,),), ((2, 3),)),
                    arrays('sum(list(x)) * list(x)[0]', ((4,),))),
    builtins.tuple: (arrays('np.array(tuple(sorted([x, y, z])))', FLOATS3),
                     arrays('np.array(tuple(x))', ((3,),), ((2, 3),)),
                     arrays('max(tuple(x)) * tuple(x)[1]', ((4,),))),
    # `dict(a=x)` is a dict literal; these are of pairs, and of a mapping.
    builtins.dict: (Check('dict([("a", x), ("b", y), ("a", 2.0 * y)])["a"] * x', (REAL, REAL),
                          ints=(2, -1)),
                    Check('dict({"a": x, "b": y})["b"] * x', (REAL, REAL), ints=(2, -1)),
                    arrays('dict([("a", x), ("b", y)])["b"] * x', ((3,), (3,)))),
    # The helpers of their rules, which second derivatives differentiate.
    numpy_helpers.shared_tangent: (
        Check('numpy_helpers.shared_tangent(x, 0.5)', (REAL,)),
        arrays('numpy_helpers.shared_tangent(x, np.array([0.25, 0.0, 0.75]))', ((3,),)),
        arrays('numpy_helpers.shared_tangent([x, y], np.array([0.0, 1.0]))', ((), ()))),
    numpy_helpers.items_like: (
        arrays('numpy_helpers.items_like([x, y], np.ones(2))', ((), ())),
        arrays('np.array(numpy_helpers.items_like(x, (1.0, 2.0, 3.0)))', ((3,),)),
        arrays('numpy_helpers.items_like(x, np.ones(3))', ((3,),))),
    numpy_helpers.pairs_cotangent: (
        Check('numpy_helpers.pairs_cotangent({"a": x, "b": y}, [("a", 1.0), ("b", 2.0), '
              '("a", 3.0)])[2][1] * y', (REAL, REAL)),
        Check('numpy_helpers.pairs_cotangent({"a": x}, {"a": 1.0})["a"] * x', (REAL,))),
    numpy_helpers.pairs_tangent: (
        Check('numpy_helpers.pairs_tangent([(0.0, x), (0.0, y)], [("a", 1.0), ("b", 2.0)])["b"]'
              ' * x', (REAL, REAL)),
        Check('numpy_helpers.pairs_tangent({"a": x}, {"a": 1.0})["a"] * x', (REAL,))),
    numpy_helpers.permuted: (
        arrays('np.array(numpy_helpers.permuted([x, y, z], [2, 0, 1]))', FLOATS3),
        arrays('np.array(numpy_helpers.permuted(x, [1, 2, 0]))', ((3,),))),
    numpy_helpers.unpermuted: (
        arrays('np.array(numpy_helpers.unpermuted([x, y, z], [2, 0, 1], [1.0, 2.0, 3.0]))',
               FLOATS3),
        arrays('numpy_helpers.unpermuted(x, [1, 2, 0], np.ones(3))', ((3,),))),
}

BUILTIN_NONDIFFERENTIABLE = {
    numpy_helpers.extremum_shares: 'numpy_helpers.extremum_shares(max(x, 0.5), x, y=0.5)[0]',
    numpy_helpers.sort_order: 'numpy_helpers.sort_order([x, 0.5])[0]',
}
