"""The built-in rule library: importing this package registers every rule."""

from adjoint.rules import (builtins_rules, containers, math_rules,  # noqa: F401
                           numpy_rules, operators)
from adjoint.rules.registry import TABLE, jvp_rule, nondifferentiable, registered, vjp_rule

__all__ = ['TABLE', 'jvp_rule', 'nondifferentiable', 'registered', 'vjp_rule']
