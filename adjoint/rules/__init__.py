"""The built-in rule library: importing this package registers every rule."""

from adjoint.rules import (builtins_rules, containers, helper_rules,  # noqa: F401
                           linalg_helper_rules, linearity, math_rules, numpy_fft,
                           numpy_linalg, numpy_nondifferentiable, numpy_reductions,
                           numpy_rules, numpy_selection, numpy_shapes, operators)
from adjoint.rules.registry import TABLE, jvp_rule, nondifferentiable, registered, vjp_rule

__all__ = ['TABLE', 'jvp_rule', 'nondifferentiable', 'registered', 'vjp_rule']
