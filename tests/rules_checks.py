"""What the registry sweep (test_rules.py) checks for each primitive, and where.

`CHECKS` maps a primitive to one `Check` or a tuple of them: a call as source, the
domain of each argument and the array shapes to try. Python operators, builtins,
`math` and NumPy's elementwise functions are here; reductions, linear algebra,
shape operations and the runtime helpers are in numpy_checks.py.
"""

import builtins
import math
import operator
from dataclasses import dataclass

import numpy as np


# ---------------------------------------------------------------- domains


@dataclass(frozen=True)
class Domain:
    """Where a primitive is smooth: (low, high), or |x| in (low, high) if `signed`.

    `diagonal` is added to the diagonal of square matrices (the last two axes), to
    keep them well conditioned for `np.linalg`.
    """

    low: float
    high: float
    signed: bool = False
    diagonal: float = 0.0

    def sample(self, rng, shape):
        """A Python float for shape (), else a float64 array of that shape."""
        a = rng.uniform(self.low, self.high, size=shape)
        if self.signed:
            a = a * rng.choice([-1.0, 1.0], size=shape)
        if self.diagonal and len(shape) >= 2 and shape[-1] == shape[-2]:
            a = a + self.diagonal * np.eye(shape[-1])
        return float(a) if shape == () else a

    def ints(self):
        """The Python ints inside the domain."""
        inside = [k for k in range(math.floor(self.low), math.ceil(self.high) + 1)
                  if self.low < k < self.high]
        return sorted(set(inside + [-k for k in inside])) if self.signed else inside


REAL = Domain(-2.0, 2.0)
POSITIVE = Domain(0.3, 3.0)
NONZERO = Domain(0.3, 2.0, signed=True)
OPEN_UNIT = Domain(-0.9, 0.9)  # asin, acos, arctanh: (-1, 1)
ABOVE_ONE = Domain(1.2, 3.0)  # arccosh
ABOVE_MINUS_ONE = Domain(-0.7, 2.0)  # log1p
TAN = Domain(-1.2, 1.2)  # between the poles at ±pi/2
EXPONENT = Domain(-2.0, 2.0)  # with a POSITIVE base
MATRIX = Domain(-1.0, 1.0, diagonal=4.0)  # invertible, for np.linalg
BELOW = Domain(-1.5, -0.5)  # a lower bound for np.clip of REAL values
ABOVE = Domain(0.5, 1.5)  # an upper bound

# Array shapes: one argument, and pairs that broadcast (() is a Python float).
UNARY_SHAPES = ((3,), (2, 3))
BINARY_SHAPES = (((3,), (3,)), ((3,), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)),
                 ((), (2, 3)), ((2, 3), ()))


@dataclass(frozen=True)
class Check:
    """How to check one primitive.

    Args:
        call: the primitive applied to `x` (and `y`, `z`), as source.
        domains: the `Domain` of each argument.
        shapes: array shapes to check, one tuple per case (a shape per argument);
            empty for primitives of Python scalars only.
        ints: Python int arguments to check, if not drawn from the domains (where
            ints sit on a jump, or NumPy rejects them); () for none.
        scalars: whether to check the primitive on Python floats (and ints).
    """

    call: str
    domains: tuple
    shapes: tuple = ()
    ints: tuple = None
    scalars: bool = True

    @property
    def params(self):
        return ('x', 'y', 'z')[:len(self.domains)]

    def int_point(self, rng):
        if self.ints is not None:
            return self.ints
        return tuple(int(rng.choice(domain.ints())) for domain in self.domains)


def unary(call, domain=REAL, arrays=True, ints=None):
    return Check(call, (domain,), tuple((s,) for s in UNARY_SHAPES) if arrays else (), ints)


def binary(call, x=REAL, y=REAL, arrays=True, ints=None):
    return Check(call, (x, y), BINARY_SHAPES if arrays else (), ints)


def arrays(call, *shapes, domains=None):
    """A check on arrays only: `shapes` has one tuple per case, a shape per argument."""
    return Check(call, domains or (REAL,) * len(shapes[0]), tuple(shapes), scalars=False)


PYTHON_CHECKS = {
    operator.add: binary('x + y'),
    operator.sub: binary('x - y'),
    operator.mul: binary('x * y'),
    operator.truediv: binary('x / y', y=NONZERO),
    operator.pow: binary('x ** y', x=POSITIVE, y=EXPONENT),
    operator.mod: binary('x % y', y=POSITIVE, ints=(-7, 3)),
    operator.neg: unary('-x'),
    operator.pos: unary('+x'),
    builtins.abs: unary('abs(x)', NONZERO),
    builtins.pow: binary('pow(x, y)', x=POSITIVE, y=EXPONENT),
    builtins.float: unary('float(x)', arrays=False),
    math.sin: unary('math.sin(x)', arrays=False),
    math.cos: unary('math.cos(x)', arrays=False),
    math.tan: unary('math.tan(x)', TAN, arrays=False),
    math.exp: unary('math.exp(x)', arrays=False),
    math.log: unary('math.log(x)', POSITIVE, arrays=False),
    math.log1p: unary('math.log1p(x)', ABOVE_MINUS_ONE, arrays=False),
    math.sqrt: unary('math.sqrt(x)', POSITIVE, arrays=False),
    math.tanh: unary('math.tanh(x)', arrays=False),
    math.sinh: unary('math.sinh(x)', arrays=False),
    math.cosh: unary('math.cosh(x)', arrays=False),
    math.asin: unary('math.asin(x)', OPEN_UNIT, arrays=False),
    math.acos: unary('math.acos(x)', OPEN_UNIT, arrays=False),
    math.atan: unary('math.atan(x)', arrays=False),
    math.atan2: binary('math.atan2(x, y)', x=NONZERO, arrays=False),
    math.pow: binary('math.pow(x, y)', x=POSITIVE, y=EXPONENT, arrays=False),
    math.hypot: binary('math.hypot(x, y)', arrays=False),
    builtins.sum: Check('sum(x)', (REAL,), ((4,), (2, 3)), scalars=False),
    math.log2: unary('math.log2(x)', POSITIVE, arrays=False),
    math.log10: unary('math.log10(x)', POSITIVE, arrays=False),
    math.exp2: unary('math.exp2(x)', arrays=False),
    math.cbrt: unary('math.cbrt(x)', NONZERO, arrays=False),
    math.degrees: unary('math.degrees(x)', arrays=False),
    math.radians: unary('math.radians(x)', arrays=False),
    math.fabs: unary('math.fabs(x)', NONZERO, arrays=False),
    math.copysign: binary('math.copysign(x, y)', x=NONZERO, y=NONZERO, arrays=False),
    math.asinh: unary('math.asinh(x)', arrays=False),
    math.acosh: unary('math.acosh(x)', ABOVE_ONE, arrays=False),
    math.atanh: unary('math.atanh(x)', OPEN_UNIT, arrays=False),
    # Of a list of numbers, of an array's items, with a zero among them, with `start`.
    math.prod: (binary('math.prod([x, y, x * y])', arrays=False),
                arrays('math.prod(x)', ((4,),)),
                binary('math.prod((x, 0.0, y), start=2.5)', arrays=False, ints=()),
                binary('math.prod([x, y], start=y)', arrays=False)),
    math.dist: (binary('math.dist([x, y], [y, 1.5])', arrays=False),
                arrays('math.dist(x, y)', ((3,), (3,)))),
}

ELEMENTWISE_CHECKS = {
    np.add: binary('np.add(x, y)'),
    np.subtract: binary('np.subtract(x, y)'),
    np.multiply: binary('np.multiply(x, y)'),
    np.divide: binary('np.divide(x, y)', y=NONZERO),
    np.negative: unary('np.negative(x)'),
    np.positive: unary('np.positive(x)'),
    np.square: unary('np.square(x)'),
    np.reciprocal: unary('np.reciprocal(x)', NONZERO),
    np.sin: unary('np.sin(x)'),
    np.cos: unary('np.cos(x)'),
    np.tan: unary('np.tan(x)', TAN),
    np.exp: unary('np.exp(x)'),
    np.exp2: unary('np.exp2(x)'),
    np.expm1: unary('np.expm1(x)'),
    np.log: unary('np.log(x)', POSITIVE),
    np.log2: unary('np.log2(x)', POSITIVE),
    np.log10: unary('np.log10(x)', POSITIVE),
    np.log1p: unary('np.log1p(x)', ABOVE_MINUS_ONE),
    np.sqrt: unary('np.sqrt(x)', POSITIVE),
    np.cbrt: unary('np.cbrt(x)', NONZERO),
    np.tanh: unary('np.tanh(x)'),
    np.sinh: unary('np.sinh(x)'),
    np.cosh: unary('np.cosh(x)'),
    np.arcsin: unary('np.arcsin(x)', OPEN_UNIT),
    np.arccos: unary('np.arccos(x)', OPEN_UNIT),
    np.arctan: unary('np.arctan(x)'),
    np.arcsinh: unary('np.arcsinh(x)'),
    np.arccosh: unary('np.arccosh(x)', ABOVE_ONE),
    np.arctanh: unary('np.arctanh(x)', OPEN_UNIT),
    np.arctan2: binary('np.arctan2(x, y)', x=NONZERO),
    np.power: binary('np.power(x, y)', x=POSITIVE, y=EXPONENT, ints=(2, 3)),
    np.hypot: binary('np.hypot(x, y)'),
    np.abs: unary('np.abs(x)', NONZERO),
    np.fabs: unary('np.fabs(x)', NONZERO),
    # Random points never tie; ties are tested in test_numpy_rules.py.
    np.maximum: (binary('np.maximum(x, y)', ints=(2, -1)),
                 unary('np.maximum(x, 0.0)', ints=(2,))),
    np.minimum: (binary('np.minimum(x, y)', ints=(2, -1)),
                 unary('np.minimum(x, 0)', ints=(-1,))),
    np.clip: (unary('np.clip(x, -0.5, 0.7)', ints=(1,)), unary('np.clip(x, None, 0.5)'),
              Check('np.clip(x, y, z)', (REAL, BELOW, ABOVE),
                    (((2, 3), (3,), ()), ((3,), (3,), (3,))), ints=(2, -1, 1))),
    np.where: Check('np.where(x > 0.0, x * y, y)', (REAL, REAL), BINARY_SHAPES,
                    scalars=False),
    np.full: arrays('np.full((2, 3), x)', ((),)),
    np.full_like: arrays('np.full_like(np.ones(3), x)', ((),)),
    np.copy: unary('np.copy(x)'),
}

# Each non-differentiable primitive, used next to `3.0 * x`: the gradient must be 3.0.
NONDIFFERENTIABLE = {
    operator.floordiv: 'x // 0.7',
    operator.lt: 'x < 0.5', operator.le: 'x <= 0.5', operator.gt: 'x > 0.5',
    operator.ge: 'x >= 0.5', operator.eq: 'x == 0.5', operator.ne: 'x != 0.5',
    operator.not_: 'not x', operator.is_: 'x is None', operator.is_not: 'x is not None',
    operator.contains: 'x in (1.0, 2.0)',
    builtins.len: 'len((x, x))', builtins.int: 'int(x)', builtins.round: 'round(x)',
    builtins.range: 'len(range(int(x)))', builtins.bool: 'bool(x)',
    builtins.isinstance: 'isinstance(x, float)',
    math.floor: 'math.floor(x)', math.ceil: 'math.ceil(x)', math.trunc: 'math.trunc(x)',
    math.isfinite: 'math.isfinite(x)', math.isinf: 'math.isinf(x)',
    math.isnan: 'math.isnan(x)', math.isclose: 'math.isclose(x, 0.5)',
    np.sign: 'np.sign(x)', np.floor: 'np.floor(x)', np.ceil: 'np.ceil(x)',
    np.round: 'np.round(x, 1)', np.around: 'np.around(x, 1)', np.trunc: 'np.trunc(x)',
    np.rint: 'np.rint(x)', np.fix: 'np.fix(x)',
    np.isnan: 'np.isnan(x)', np.isinf: 'np.isinf(x)', np.isfinite: 'np.isfinite(x)',
    np.signbit: 'np.signbit(x)', np.isclose: 'np.isclose(x, 0.5)',
    np.logical_not: 'np.logical_not(x)', np.logical_and: 'np.logical_and(x, x > 0.5)',
    np.logical_or: 'np.logical_or(x > 1.0, x < 0.5)',
    np.allclose: 'np.allclose(x, 0.5)', np.array_equal: 'np.array_equal(x, 0.5)',
    np.argmax: 'np.argmax(np.array([x, 0.5]))', np.argmin: 'np.argmin(np.array([x, 0.5]))',
    np.argsort: 'np.sum(np.argsort(np.array([x, 0.5])))',
    np.nonzero: 'len(np.nonzero(np.array([x, 0.0]))[0])',
    np.count_nonzero: 'np.count_nonzero(x)',
    np.searchsorted: 'np.searchsorted(np.array([0.0, 1.0]), x)',
    np.zeros_like: 'np.sum(np.zeros_like(x))', np.ones_like: 'np.sum(np.ones_like(x))',
    np.empty_like: 'np.size(np.empty_like(x))',
    np.zeros: 'np.sum(np.zeros(int(abs(x)) + 1))', np.ones: 'np.sum(np.ones(int(abs(x))))',
    np.empty: 'np.size(np.empty(int(abs(x)) + 1))', np.eye: 'np.sum(np.eye(int(abs(x))))',
    np.identity: 'np.sum(np.identity(int(abs(x)) + 1))',
    np.shape: 'len(np.shape(x))', np.ndim: 'np.ndim(x)', np.size: 'np.size(x)',
    ('attr', 'shape'): 'len(np.asarray(x).shape)', ('attr', 'ndim'): 'np.asarray(x).ndim',
    ('attr', 'size'): 'np.asarray(x).size', ('attr', 'dtype'): 'np.asarray(x).dtype == float',
    ('method', 'argmax'): 'np.array([x, 0.5]).argmax()',
    ('method', 'argmin'): 'np.array([x, 0.5]).argmin()',
    ('method', 'argsort'): 'np.sum(np.array([x, 0.5]).argsort())',
    ('method', 'nonzero'): 'len(np.array([x, 0.0]).nonzero()[0])',
}
