"""Reverse mode in one screen: a tiny tape-based autodiff, then adjoint's version.

    python examples/micrograd_explained.py

A `Value` remembers the values it was made from and how to pass a gradient back to
them (the chain rule for one operation). `backward()` visits the graph from the
output back to the inputs, so each value's gradient is complete before it is
passed on. This is micrograd (Karpathy, 2020), cut to the bone.
"""

import math

import adjoint


class Value:
    def __init__(self, data, parents=(), local_grads=()):
        self.data, self.grad = data, 0.0
        self.parents, self.local_grads = parents, local_grads  # d self / d parent

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __radd__, __rmul__ = __add__, __mul__

    def __neg__(self):
        return self * -1.0

    def exp(self):
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def backward(self):
        order, seen = [], set()

        def visit(v):  # topological order: every value after the values it uses
            if id(v) not in seen:
                seen.add(id(v))
                for p in v.parents:
                    visit(p)
                order.append(v)
        visit(self)
        self.grad = 1.0
        for v in reversed(order):  # the backward sweep: output first
            for p, local in zip(v.parents, v.local_grads):
                p.grad += local * v.grad  # chain rule, accumulated over every use


def f(x, y):
    return x * y + (-(x * x)).exp()


def f_math(x, y):  # the same function, written for adjoint with math.exp
    return x * y + math.exp(-(x * x))


if __name__ == '__main__':
    x, y = Value(0.5), Value(-2.0)
    out = f(x, y)
    out.backward()
    print(f'tape:    f = {out.data:.6f}, df/dx = {x.grad:.6f}, df/dy = {y.grad:.6f}')
    df = adjoint.grad(f_math, wrt=(0, 1))
    dx, dy = df(0.5, -2.0)
    print(f'adjoint:                 df/dx = {dx:.6f}, df/dy = {dy:.6f}')
    # The tape builds the graph at every call and interprets it. adjoint does the
    # same backward sweep once, ahead of time, and writes it down as plain Python:
    # no graph, no `grad = 0.0` to start from, and the two uses of `x` summed in `bx`.
    print(df.source)
