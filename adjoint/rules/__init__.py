"""The built-in rule library: importing this package registers every rule."""

from adjoint.rules import builtins_rules, math_rules, numpy_rules, operators  # noqa: F401
from adjoint.rules.registry import TABLE, jvp_rule, nondifferentiable, registered, vjp_rule

__all__ = ['TABLE', 'jvp_rule', 'nondifferentiable', 'registered', 'vjp_rule']
