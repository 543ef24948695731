"""Every generated name comes from here, so generated code reads consistently.

- SSA versions keep the user's name: `s`, `s_1`, `s_2`.
- Temporaries for subexpressions: `t1`, `t2`, ...
- The adjoint of `x` is `bx` (b for "bar", the usual notation x̄); its tangent `dx`.
- The tape that saves `x` once per loop iteration is `tape_x`.
- A user function `layer` that differentiated code calls gets a forward/backward
  pair, `layer_forward` and `layer_backward` (reverse mode), or a tangent function
  `layer_jvp` (forward mode); at the call, `layer_out` is what its forward or
  tangent function returns, `saved_layer` what the backward sweep takes,
  `layer_grads` the cotangents the backward function returns.
"""

import re

_VERSION = re.compile(r'_\d+$')

# A compiler temporary (`t3`); its adjoint, tangent or tape (`bt3`, `dt3`,
# `tape_t3`); and any of these with its versions (`t3_1`), by its parts.
TEMPORARY = re.compile(r't\d+$')
DERIVED = re.compile(r'(b|d|tape_)(t\d+)$')
TEMPORARY_FORM = re.compile(r'(b|d|tape_)?t(\d+)((?:_\d+)*)$')
TEMPORARY_PREFIXES = ('', 'b', 'd', 'tape_')


def base_name(name):
    """The user's name behind an SSA version: `s_2` -> `s`."""
    return _VERSION.sub('', name)


def adjoint_name(name):
    return 'b' + base_name(name)


def tangent_name(name):
    return 'd' + base_name(name)


def tape_name(name):
    return 'tape_' + base_name(name)


def callee_name(fn):
    """The name a user function's generated functions are named after: its own
    (`lambda` for a lambda)."""
    return fn.__name__.replace('<lambda>', 'lambda')


def forward_name(callee):
    return f'{callee}_forward'


def backward_name(callee):
    return f'{callee}_backward'


def jvp_name(callee):
    return f'{callee}_jvp'


def saved_name(callee):
    return f'saved_{callee}'


def out_name(callee):
    return f'{callee}_out'


def grads_name(callee):
    return f'{callee}_grads'


class Namer:
    """Hands out names that are unique within one generated function.

    Args:
        reserved: names the user wrote. A user variable's first version keeps its
            name; no other generated name collides with any of them.
    """

    def __init__(self, reserved=()):
        self.reserved = set(reserved)
        self.taken = set()  # only ever grows
        self._temps = 0
        self._versions = {}  # base -> the last k `fresh` gave it: those below are taken

    def fresh(self, base):
        """`base` itself if free, else `base_1`, `base_2`, ...

        A generated name's own version is dropped first (`bs_1` -> `bs`, then
        `bs_2`), so versions never stack up as `bs_1_1`.
        """
        if base not in self.reserved:
            base = base_name(base) or base
        k = self._versions.get(base, 0)
        name = f'{base}_{k}' if k else base
        while name in self.taken or (k and name in self.reserved):
            k += 1
            name = f'{base}_{k}'
        self._versions[base] = k
        self.taken.add(name)
        return name

    def temp(self):
        """A fresh temporary: `t1`, `t2`, ..."""
        while True:
            self._temps += 1
            name = f't{self._temps}'
            if name not in self.taken and name not in self.reserved:
                self.taken.add(name)
                return name
