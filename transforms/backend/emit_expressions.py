"""Printing the IR's operations as Python expressions (a mixin of `emit._Printer`).

Operators print as operators (`operator.mul` as `a * b`), the compiler's own
primitives as the syntax they stand for (`make_tuple` as `(a, b)`, `push` as
`tape.append(x)`), globals by the name they are bound to in the generated code's
namespace, and constants as literals, or as a name in that namespace when they have
no literal (an array default).
"""

import ast
import math
import operator

from transforms.core import ir, primitives


def _literal(value):
    """Whether `value` prints as a literal of its own type: a NumPy scalar (a
    subclass of float) prints as `np.float64(3.0)` under NumPy 2, a name the
    generated code's module may not bind, and `3.0` would lose its type (`x / 0`
    would raise ZeroDivisionError, not warn)."""
    return type(value) in (int, float, str, bool, type(None)) and not (
        type(value) is float and not math.isfinite(value))


class ExpressionPrinter:
    """Atoms, constants and `Let` expressions as `ast` nodes. Requires `self.name`,
    `self.global_name`, `self.namespace` and `self.dotted_names` (a dict) of the
    printer."""

    def atom(self, a):
        if isinstance(a, ir.Var):
            return ast.Name(self.name(a.name), ast.Load())
        if isinstance(a, ir.Global):
            return self.dotted(self.global_name(a))
        return self.constant(a.value)

    def dotted(self, path):
        """The `ast` node of a dotted name, `np.linalg.norm` (parsed once per name:
        `ast.unparse` leaves it as it is)."""
        if path not in self.dotted_names:
            self.dotted_names[path] = ast.parse(path, mode='eval').body
        return self.dotted_names[path]

    def expression_text(self, stmt):
        """`ast.unparse(self.expression(stmt))`, written directly for the most common
        operations, a binary operator or a call of a global, on names and numbers
        (text that `ast.unparse` writes the same, as the golden files check)."""
        fn = stmt.fn.value
        if not stmt.kwargs and isinstance(stmt.fn, ir.Global):
            if fn in _BINARY_TEXT and len(stmt.args) == 2:
                left, right = (self.simple_text(a) for a in stmt.args)
                if left is not None and right is not None and \
                        not left.startswith('-') and not right.startswith('-'):
                    return f'{left} {_BINARY_TEXT[fn]} {right}'
            elif not is_syntax(fn) and fn is not getattr:
                args = [self.simple_text(a) for a in stmt.args]
                if None not in args:
                    return f'{ast.unparse(self.dotted(self.global_name(stmt.fn)))}' \
                           f'({", ".join(args)})'
        return ast.unparse(self.expression(stmt))

    def simple_text(self, a):
        """The text of a name or of a finite int or float constant, else None."""
        if isinstance(a, ir.Var):
            return self.name(a.name)
        if isinstance(a, ir.Const) and type(a.value) in (int, float) and \
                math.isfinite(a.value):
            return repr(a.value)
        return None

    def constant(self, value):
        if isinstance(value, tuple):
            return ast.Tuple([self.constant(v) for v in value], ast.Load())
        if isinstance(value, slice):
            parts = [None if p is None else self.constant(p)
                     for p in (value.start, value.stop, value.step)]
            return ast.Slice(*parts)
        if type(value) is float and not math.isfinite(value):
            return ast.Call(ast.Name('float', ast.Load()), [ast.Constant(repr(value))], [])
        if _literal(value):
            return ast.Constant(value)
        name = f'const_{len(self.namespace)}'
        self.namespace[name] = value
        return ast.Name(name, ast.Load())

    def expression(self, stmt):
        """The Python expression of a `Let`'s operation."""
        fn, raw = stmt.fn.value, [self.atom(a) for a in stmt.args]
        args = [_as_value(a) for a in raw]  # a slice is `a:b` only inside [...]
        kwargs = [ast.keyword(k, _as_value(self.atom(a))) for k, a in stmt.kwargs]
        if fn in primitives.BINARY and len(args) == 2:
            return ast.BinOp(args[0], _OPS[fn](), args[1])
        if fn in primitives.UNARY and len(args) == 1:
            return ast.UnaryOp(_OPS[fn](), args[0])
        if fn in primitives.COMPARE:
            return ast.Compare(args[0], [_OPS[fn]()], [args[1]])
        if fn is primitives.make_tuple:
            return ast.Tuple(args, ast.Load())
        if fn is primitives.make_list:
            return ast.List(args, ast.Load())
        if fn is primitives.make_dict:
            return ast.Dict(args[::2], args[1::2])
        if fn is primitives.copy:
            return _method(args[0], 'copy', [])
        if fn is primitives.keys_of:
            return ast.Call(ast.Name('list', ast.Load()), args, [])
        if fn is primitives.list_pop:
            return _method(args[0], 'pop', [])
        if fn is primitives.new_tape:
            return ast.List([], ast.Load())
        if fn in (primitives.push, primitives.grow):
            return _method(args[0], 'append', [args[1]])
        if fn is primitives.pop:
            return _method(args[0], 'pop', [])
        if fn is getattr and isinstance(stmt.args[1], ir.Const):
            return ast.Attribute(args[0], stmt.args[1].value, ast.Load())
        if fn is primitives.call_method:
            return _method(args[0], stmt.args[1].value, args[2:], kwargs)
        if fn is primitives.call_value:
            return ast.Call(args[0], args[1:], kwargs)
        if fn is primitives.call_with:
            return ast.Call(args[0], args[2:], kwargs + [ast.keyword(None, args[1])])
        if fn is _getitem:
            return ast.Subscript(args[0], raw[1], ast.Load())
        if fn is _contains:
            return ast.Compare(args[1], [ast.In()], [args[0]])
        func = self.dotted(self.global_name(stmt.fn))
        return ast.Call(func, args, kwargs)


_getitem = operator.getitem
_contains = operator.contains
_OPS = {
    operator.add: ast.Add, operator.sub: ast.Sub, operator.mul: ast.Mult,
    operator.truediv: ast.Div, operator.floordiv: ast.FloorDiv, operator.mod: ast.Mod,
    operator.pow: ast.Pow, operator.matmul: ast.MatMult, operator.and_: ast.BitAnd,
    operator.or_: ast.BitOr, operator.xor: ast.BitXor, operator.lshift: ast.LShift,
    operator.rshift: ast.RShift, operator.neg: ast.USub, operator.pos: ast.UAdd,
    operator.not_: ast.Not, operator.invert: ast.Invert, operator.lt: ast.Lt,
    operator.le: ast.LtE, operator.gt: ast.Gt, operator.ge: ast.GtE,
    operator.eq: ast.Eq, operator.ne: ast.NotEq, operator.is_: ast.Is,
    operator.is_not: ast.IsNot,
}


_BINARY_TEXT = {operator.add: '+', operator.sub: '-', operator.mul: '*',
                operator.truediv: '/', operator.floordiv: '//', operator.mod: '%',
                operator.matmul: '@'}

_SYNTAX = frozenset({
    primitives.make_tuple, primitives.make_list, primitives.make_dict, primitives.new_tape,
    primitives.push, primitives.pop, primitives.call_method, primitives.call_value,
    primitives.call_with, primitives.setitem, primitives.append, primitives.copy,
    primitives.index_add, primitives.index_set, primitives.index_clear, primitives.assert_true,
    primitives.list_pop, primitives.drop_last, primitives.grow, primitives.keys_of, getattr,
    _getitem, _contains})


def is_syntax(fn):
    return fn in _OPS or fn in _SYNTAX


def _as_value(node):
    """A constant slice outside a subscript, written `slice(a, b, c)` (as in
    `add_at(bx, (slice(None, None, None), 0), g)`): `a:b` is only valid in `[...]`."""
    if isinstance(node, ast.Slice):
        parts = [ast.Constant(None) if p is None else p
                 for p in (node.lower, node.upper, node.step)]
        return ast.Call(ast.Name('slice', ast.Load()), parts, [])
    if isinstance(node, ast.Tuple):
        return ast.Tuple([_as_value(item) for item in node.elts], ast.Load())
    return node


def _method(obj, name, args, kwargs=()):
    return ast.Call(ast.Attribute(obj, name, ast.Load()), list(args), list(kwargs))
