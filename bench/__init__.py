"""Benchmarks: each ``bench/<name>.py`` module has a ``main()`` that prints one JSON line.

``python -m bench`` (``make bench``) runs them all; ``python -m bench <name> ...`` runs some.
"""
