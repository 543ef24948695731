"""backend: IR to a live function: out of SSA and naming, Python source with a
comment per source line, and compiling it."""
