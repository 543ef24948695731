"""Every generated name comes from here, so generated code reads consistently.

- SSA versions keep the user's name: `s`, `s_1`, `s_2`.
- Temporaries for subexpressions: `t1`, `t2`, ...
- The adjoint of `x` is `bx` (b for "bar", the usual notation x̄); its tangent `dx`.
- The tape that saves `x` once per loop iteration is `tape_x`.
"""

import re

_VERSION = re.compile(r'_\d+$')


def base_name(name):
    """The user's name behind an SSA version: `s_2` -> `s`."""
    return _VERSION.sub('', name)


def adjoint_name(name):
    return 'b' + base_name(name)


def tangent_name(name):
    return 'd' + base_name(name)


def tape_name(name):
    return 'tape_' + base_name(name)


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
