"""reverse: reverse mode, a primal function to its adjoint (`reverse.reverse`);
calls, containers, regions and uniform cotangents in modules of their own."""
