"""Strict records and the immutable Dataset. Imports no I/O library (see tests/test_architecture.py)."""
