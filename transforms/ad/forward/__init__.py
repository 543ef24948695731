"""forward: forward mode, a primal function to its tangent function
(`forward.forward`); calls, containers, regions and jvp rules in modules of their own."""
