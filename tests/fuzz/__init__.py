"""The differential fuzzer: random programs, every derivative API against finite
differences. `generate.py` writes the programs, `check.py` checks one,
`shrink.py` shrinks a failure, `python -m tests.fuzz` runs a range of seeds
(docs/testing.md)."""
