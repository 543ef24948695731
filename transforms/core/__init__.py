"""core: what every pass shares: the IR (`ir.py`) with its printer and verifier,
generated names, the compiler's errors, the primitives generated code calls,
substitution, the rule-table protocol and the checks of what code read."""
