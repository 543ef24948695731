"""ad: the two differentiating passes, `reverse/` and `forward/`, and what they
share: the state of one transformation, rule inlining, calls of user functions
(`calls.Callees`, handed in by the driver) and the check of updates in place."""
