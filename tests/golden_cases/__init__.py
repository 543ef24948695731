"""Functions whose IR and generated derivatives are kept as golden files.

Every public function of every module here is a case; `tests/test_golden.py`
describes the conventions (ARGS, KINDS, WRT, GENERIC).
"""
