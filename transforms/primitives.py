"""The callables behind Python syntax that is not a call: `(a, b)`, `x.attr`, `t.pop()`.

The IR represents every operation as a call of some object. Operators use the
`operator` module (`a * b` is `operator.mul(a, b)`); the few forms below have no
`operator` equivalent. The emitter prints all of them back as Python syntax.
"""

import operator


def make_tuple(*items):
    """`(a, b, ...)`"""
    return items


def make_list(*items):
    """`[a, b, ...]`"""
    return list(items)


def call_method(obj, name, *args, **kwargs):
    """`obj.name(*args, **kwargs)`"""
    return getattr(obj, name)(*args, **kwargs)


def push(tape, value):
    """`tape.append(value)`: save a value for the backward sweep."""
    tape.append(value)


def pop(tape):
    """`tape.pop()`: take back the last saved value."""
    return tape.pop()


def new_tape():
    """`[]`: an empty tape."""
    return []


# How each operator prints: binary and unary operator symbols, comparisons.
BINARY = {
    operator.add: '+', operator.sub: '-', operator.mul: '*', operator.truediv: '/',
    operator.floordiv: '//', operator.mod: '%', operator.pow: '**',
    operator.matmul: '@', operator.and_: '&', operator.or_: '|', operator.xor: '^',
    operator.lshift: '<<', operator.rshift: '>>',
}
UNARY = {operator.neg: '-', operator.pos: '+', operator.not_: 'not ', operator.invert: '~'}
COMPARE = {
    operator.lt: '<', operator.le: '<=', operator.gt: '>', operator.ge: '>=',
    operator.eq: '==', operator.ne: '!=', operator.is_: 'is', operator.is_not: 'is not',
}

# Names the IR printer uses for these callables: `mul(x, y)`.
IR_NAMES = {fn: fn.__name__.rstrip('_') for fn in (*BINARY, *UNARY, *COMPARE)}
IR_NAMES.update({operator.getitem: 'getitem', operator.contains: 'contains',
                 getattr: 'getattr', make_tuple: 'tuple', make_list: 'list',
                 call_method: 'method', push: 'push', pop: 'pop', new_tape: 'new_tape'})

# Effects: statements calling these are never removed as dead code.
EFFECTFUL = frozenset({push, pop})
