"""prepare: rewrites of the primal IR that the argument kinds decide, before it
is differentiated: a function value called, `*args` packed, a dict's methods, a
loop over a sequence, a method of a known object, copies before writes."""
