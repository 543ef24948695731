"""Registry-sweep checks for `math`'s special functions and their runtime helper
(the `Check` tables of rules_checks.py and numpy_checks.py, continued).
"""

import math

from adjoint.rules import numpy_helpers
from tests.numpy_checks import HELPER_CHECKS
from tests.rules_checks import (NONZERO, POSITIVE, PYTHON_CHECKS, REAL, Check, Domain, arrays,
                                binary, unary)

NEGATIVE = Domain(-2.8, -2.2)  # gamma between its poles at -3 and -2

MORE_LINALG_CHECKS = {
    # math
    math.erf: unary('math.erf(x)', arrays=False),
    math.erfc: unary('math.erfc(x)', arrays=False),
    math.gamma: (unary('math.gamma(x)', POSITIVE, arrays=False),
                 Check('math.gamma(x)', (NEGATIVE,), ints=())),
    math.lgamma: (unary('math.lgamma(x)', POSITIVE, arrays=False),
                  Check('math.lgamma(x)', (NEGATIVE,), ints=())),
    math.expm1: unary('math.expm1(x)', arrays=False),
    math.fsum: (binary('math.fsum([x, y, x * y])', arrays=False),
                arrays('math.fsum(x)', ((4,),))),
    math.hypot: (PYTHON_CHECKS[math.hypot], unary('math.hypot(x)', NONZERO, arrays=False),
                 Check('math.hypot(x, y, z)', (REAL, REAL, REAL))),
}

MORE_HELPER_CHECKS = {
    numpy_helpers.polygamma: (unary('numpy_helpers.polygamma(x)', POSITIVE, arrays=False),
                              Check('numpy_helpers.polygamma(x, 1)', (NEGATIVE,), ints=()),
                              Check('numpy_helpers.polygamma(x, 3)', (POSITIVE,), ints=())),
}

MORE_LINALG_CHECKS.update(MORE_HELPER_CHECKS)

MORE_NONDIFFERENTIABLE = {}

assert not set(MORE_HELPER_CHECKS) & set(HELPER_CHECKS)
