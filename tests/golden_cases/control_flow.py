"""Control-flow golden cases: the adjoint of each kind of structured control flow.

- `branch_piecewise`: an `if`/`else` (the backward sweep branches on the saved
  condition; nothing is taped outside loops);
- `for_accumulate`: a `for` over a range with an accumulator (the backward loop
  walks the range in reverse and recomputes the index);
- `while_doubling`: a `while` with a data-dependent trip count (the forward loop
  counts its trips, the backward loop runs that many times);
- `nested_loop_sum`: a loop nest (the inner trip counts come from the index);
- `for_break`: a `for` with a `break` (lowered to a `while` on `not broke`).

Add new cases at the end: the generated code cites line numbers of this file.
"""

ARGS = {
    'branch_piecewise': [(1.5,), (-0.5,)],
    'for_accumulate': [(0.7, 4), (1.3, 0)],
    'while_doubling': [(1.3,), (0.3,)],
    'nested_loop_sum': [(0.7, 3), (1.2, 2)],
    'for_break': [(0.7, 6), (2.3, 6)],
}


def branch_piecewise(x):
    if x > 0.0:
        y = x * x
    else:
        y = -2.0 * x
    return y + x


def for_accumulate(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + i
    return s


def while_doubling(x):
    s = x
    while s < 10.0:
        s = s * 2.0 + x
    return s


def nested_loop_sum(x, n):
    s = 0.0
    for i in range(n):
        for j in range(i, n):
            s = s + x ** j
    return s


def for_break(x, n):
    s = 0.0
    for i in range(n):
        if s > 3.0:
            break
        s = s + x * i
    return s
