"""User functions for the call tests, split across two modules on purpose."""
