"""The callables behind Python syntax that is not a call: `(a, b)`, `x.attr`, `t.pop()`.

The IR represents every operation as a call of some object. Operators use the
`operator` module (`a * b` is `operator.mul(a, b)`); the few forms below have no
`operator` equivalent. The emitter prints all of them back as Python syntax.
"""

import operator
import sys

from transforms.core.errors import AdjointError

# A callable with this attribute set makes the same function of the same
# arguments, and nothing else (`adjoint.grad`): a call of it with constant
# arguments is made when compiling too, so that what it makes is known
# (`function_values.py`), and the frontend rejects it on a function made where
# it is called (`ssa_expressions.py`).
FOLDS = '__adjoint_folds__'


def key_order(keys, reverse=False):
    """The indices of `keys` in the order of Python's stable sort of them: where
    `sorted(items, key=..., reverse=reverse)` takes its items from (`keyed.py`)."""
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)


def key_argmax(keys):
    """The index of the first largest key: the item `max(items, key=...)` returns
    (an empty `keys` raises `max`'s ValueError)."""
    return max(range(len(keys)), key=keys.__getitem__)


def key_argmin(keys):
    """The index of the first smallest key (see `key_argmax`)."""
    return min(range(len(keys)), key=keys.__getitem__)


def make_tuple(*items):
    """`(a, b, ...)`"""
    return items


def make_list(*items):
    """`[a, b, ...]`"""
    return list(items)


def make_dict(*items):
    """`{k1: v1, k2: v2, ...}` from alternating keys and values."""
    return dict(zip(items[::2], items[1::2]))


def setitem(container, index, value):
    """`container[index] = value`, as an operation whose result is the updated
    container. The emitter writes in place when the old version is dead after it,
    and writes into a copy otherwise."""
    container[index] = value
    return container


def append(items, value):
    """`items.append(value)`, as an operation whose result is the longer list."""
    items.append(value)
    return items


def drop_last(items):
    """`items.pop()` for its effect: the list without its last item (the item is
    read first, as `items[-1]`)."""
    items.pop()
    return items


def copy(container):
    """A shallow copy of an array, list or dict: copy on first write."""
    return container.copy()


def index_add(buffer, index, value):
    """`buffer[index] += value`: accumulate a cotangent into an adjoint buffer."""
    buffer[index] += value


def index_set(buffer, index, value):
    """`buffer[index] = value`: the first cotangent written into a buffer of zeros."""
    buffer[index] = value


def index_clear(buffer, index):
    """`buffer[index] = 0.0`: an overwritten element gets no cotangent."""
    buffer[index] = 0.0


class _NoItem:
    """What `item_before` returns for a key a dict does not hold yet."""

    def __repr__(self):
        return 'NO_ITEM'


NO_ITEM = _NoItem()


def item_before(container, index):
    """The item `container[index] = v` replaces, read just before the write, or
    `NO_ITEM` for a key the write adds to a dict: the write's adjoint clears the
    item's cotangent to a zero of its shape (see `reverse_containers.item_before`)."""
    if isinstance(container, dict) and index not in container:
        return NO_ITEM
    return container[index]


def grow(items, value):
    """`items.append(value)` on an adjoint buffer (the adjoint of `pop`)."""
    items.append(value)


def list_pop(items):
    """`items.pop()`: the cotangent of the last appended element."""
    return items.pop()


def sequence_of(xs):
    """What `for x in xs` walks by index (see `normalize`): the keys of a dict, as
    a list, as Python iterates them; any other sequence itself. Kept in generated
    code only where the kind of `xs` is not known (see `iteration.py`)."""
    return list(xs) if isinstance(xs, dict) else xs


def keys_of(mapping):
    """`list(d)`: the keys `for k in d` walks, in order."""
    return list(mapping)


def assert_true(test, *message):
    """`assert test, message`: kept in the primal sweep, so a derivative raises the
    AssertionError its function raises, where it raises it. Emitted as the
    `assert` statement itself (which `python -O` leaves out, as of the function)."""
    if not test:
        raise AssertionError(*message)


_NO_CAUSE = object()


def raise_error(error, cause=_NO_CAUSE):
    """`raise error` (`raise error from cause`): kept in the primal sweep, so a
    derivative raises what its function raises, where it raises it. Emitted as
    the `raise` statement itself."""
    if cause is _NO_CAUSE:
        raise error
    raise error from cause


def check_unpack(items, count):
    """`a, b = items`: raise as Python does where `items` has not `count` items
    (the names are then read by index, which would take the first ones)."""
    try:
        found = len(items)
    except TypeError:  # an iterable without a length: Python walks it
        found = len(tuple(items))
    if found > count:
        got = f', got {found}' if sys.version_info >= (3, 13) else ''
        raise ValueError(f'too many values to unpack (expected {count}{got})')
    if found < count:
        raise ValueError(f'not enough values to unpack (expected {count}, got {found})')


def check_aux(result, name):
    """`has_aux=True`: raise where function `name` did not return a pair
    `(output, aux)`, as `jax.grad` does (the pair is then read by index)."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        what = f'a {type(result).__name__} of {len(result)} items' \
            if isinstance(result, (tuple, list)) else f'a {type(result).__name__}'
        raise AdjointError(f'has_aux=True needs `{name}` to return a pair (output, aux), '
                           f'but it returned {what}; return `loss, aux`, or leave '
                           f'has_aux out')


class _Unbound:
    """The type of `UNBOUND`."""

    def __repr__(self):
        return 'UNBOUND'


# What a variable first assigned inside a loop holds before the loop: read after a
# loop that ran no iteration, it is unbound in Python (see `check_bound`).
UNBOUND = _Unbound()


def check_bound(value, name):
    """Raise the UnboundLocalError Python raises for reading the variable `name`
    (which holds `value`) if it is still `UNBOUND`."""
    if value is UNBOUND:
        raise UnboundLocalError(f"cannot access local variable '{name}' where it is "
                                f"not associated with a value")


def call_method(obj, name, *args, **kwargs):
    """`obj.name(*args, **kwargs)`"""
    return getattr(obj, name)(*args, **kwargs)


def call_value(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` of a function held in a variable (a parameter, `act =
    np.tanh if relu else np.sin`): `function_values` resolves it to a call of the
    function itself, once the kinds say which one it holds."""
    return fn(*args, **kwargs)


def call_with(fn, options, *args, **kwargs):
    """`fn(*args, **options, **kwargs)` where `options` is a dict not built in the
    function (a `**kwargs` parameter passed on): `packing` spreads it once the
    kinds say its keys."""
    return fn(*args, **options, **kwargs)


def zip_list(*sequences):
    """`zip(*sequences)` consumed where it is made (`a, b = zip(*pairs)`, see
    `iterators`): its items, as a list."""
    return list(zip(*sequences))


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
                 call_method: 'method', call_value: 'call', call_with: 'call_with',
                 push: 'push', pop: 'pop', new_tape: 'new_tape',
                 make_dict: 'dict', setitem: 'setitem', append: 'append', copy: 'copy',
                 index_add: 'index_add', index_set: 'index_set', index_clear: 'index_clear',
                 item_before: 'item_before',
                 list_pop: 'list_pop', drop_last: 'drop_last', grow: 'grow',
                 sequence_of: 'sequence_of', keys_of: 'keys_of', assert_true: 'assert',
                 check_unpack: 'check_unpack', check_aux: 'check_aux',
                 raise_error: 'raise_error'})

# What `normalize` writes for a compiler primitive, which `ssa` resolves; not a
# name a user's program can mean.
NORMALIZED = {'__adjoint_sequence_of__': ('sequence_of', sequence_of),
              '__adjoint_zip__': ('zip_list', zip_list)}

# Effects on adjoint buffers: never removed as dead code, even when the value
# they return is unused (popping keeps a list adjoint as long as its list).
EFFECTFUL = frozenset({index_add, index_set, index_clear, list_pop, grow})

# Operations that mutate their first argument when emitted in place.
MUTATING = frozenset({setitem, append, drop_last})
