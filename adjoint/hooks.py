"""Functions user code calls inside a differentiated function."""

from adjoint.rules.registry import nondifferentiable


def stop_gradient(x):
    """The value of `x`, with no derivative flowing through it.

    Outside differentiation it is the identity. Inside, `y = stop_gradient(x)`
    makes `y` a constant: the gradient ignores every path through it, as
    `jax.lax.stop_gradient` and PyTorch's `.detach()` do.
    """
    return x


nondifferentiable(stop_gradient, kind=lambda args, kwargs: args[0] if args else None)
