"""The built-in rule library: importing this package registers every rule, and
those of an optional library (SciPy) once the program has imported it
(`registry.load_optional_rules`)."""

from adjoint.rules import (builtins_rules, containers, helper_rules,  # noqa: F401
                           linalg_helper_rules, linearity, math_rules, numpy_fft,
                           numpy_linalg, numpy_nondifferentiable, numpy_reductions,
                           numpy_rules, numpy_samples, numpy_selection, numpy_shapes,
                           operators, sample_helper_rules)
from adjoint.rules.registry import (TABLE, jvp_rule, load_optional_rules, nondifferentiable,
                                    registered, vjp_rule)

load_optional_rules()  # SciPy's, if the program imported it before adjoint

__all__ = ['TABLE', 'jvp_rule', 'load_optional_rules', 'nondifferentiable', 'registered',
           'vjp_rule']
