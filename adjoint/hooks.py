"""Functions user code calls inside a differentiated function."""

import sys

from adjoint.rules.registry import nondifferentiable, shaped_like


def stop_gradient(x):
    """The value of `x`, with no derivative flowing through it.

    Outside differentiation it is the identity. Inside, `y = stop_gradient(x)`
    makes `y` a constant: the gradient ignores every path through it, as
    `jax.lax.stop_gradient` and PyTorch's `.detach()` do.

    Args:
        x: any value: a number, an array, a container of them.
    """
    return x


class insert_grad_of:  # noqa: N801 - used like a function, as in Tangent
    """A hook on the backward sweep: `with adjoint.insert_grad_of(h) as g: ...`.

    Inside a differentiated function, the body of the `with` block runs in the
    backward sweep, at the point where it stands, with `g` bound to the adjoint
    of `h` accumulated from everything after it; whatever `g` holds at the end of
    the block replaces that adjoint. So the block can print it, clip it, or call
    `breakpoint()`. Outside differentiation, the block does nothing.

        for step in range(n):
            y = f(y)
            with adjoint.insert_grad_of(y) as g:
                g = np.clip(g, -1.0, 1.0)

    Args:
        value: `h`, a value of the differentiated function, named by a variable.
    """

    __adjoint_hook__ = True

    def __init__(self, value):
        self.value = value
        self._saved = None

    def __enter__(self):
        # Python has no way to skip a `with` body but an exception raised at its
        # first line; a trace function on the caller's frame raises it.
        frame = sys._getframe(1)
        self._saved = (sys.gettrace(), frame.f_trace)
        if sys.gettrace() is None:
            sys.settrace(_no_trace)
        frame.f_trace = _skip_body
        return None

    def __exit__(self, kind, error, traceback):
        global_trace, frame_trace = self._saved
        sys._getframe(1).f_trace = frame_trace
        if global_trace is None:
            sys.settrace(None)
        return kind is _SkipBody


class _SkipBody(Exception):
    """Raised at the first line of an `insert_grad_of` body run outside AD."""


def _skip_body(frame, event, arg):
    if event == 'line':
        raise _SkipBody
    return _skip_body


def _no_trace(frame, event, arg):
    return None


nondifferentiable(stop_gradient, kind=lambda args, kwargs: args[0] if args else None)
shaped_like(0, stop_gradient)  # x - stop_gradient(np.max(x, 1, keepdims=True)) has x's shape
