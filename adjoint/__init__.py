"""adjoint: differentiate Python functions by transforming their source code.

    >>> import adjoint
    >>> def f(x, y):
    ...     return x * y + y
    >>> adjoint.grad(f, wrt=(0, 1))(2.0, 3.0)   # doctest: +SKIP
    (3.0, 3.0)
"""

from adjoint.api import Derivative, grad, ir, source, value_and_grad
from adjoint.display import Code
from adjoint.forward_mode import derivative, jvp, linearize
from adjoint.jacobians import hessian, hvp, jacfwd, jacobian, jacrev
from adjoint.pullbacks import vjp
from adjoint.hooks import insert_grad_of, stop_gradient
from adjoint.rules import jvp_rule, nondifferentiable, vjp_rule
from transforms.core.errors import (AdjointError, BackendError, InternalError,
                                    NonScalarOutputError, NoSourceError, SourceError,
                                    UndefinedNameError, UnknownCallableError,
                                    UnsupportedSyntaxError)

__version__ = '0.1.0'

__all__ = [
    'AdjointError', 'BackendError', 'Code', 'Derivative', 'InternalError', 'NoSourceError',
    'NonScalarOutputError', 'SourceError', 'UndefinedNameError', 'UnknownCallableError',
    'UnsupportedSyntaxError', 'derivative', 'grad', 'hessian', 'hvp', 'insert_grad_of',
    'ir', 'jacfwd', 'jacobian', 'jacrev', 'jvp', 'jvp_rule', 'linearize',
    'nondifferentiable', 'source', 'stop_gradient', 'value_and_grad', 'vjp', 'vjp_rule',
]
