"""Helpers for the book *CNNs Demystified*: numerics, data, figures, widgets and models.

Import the module you need, e.g. ``from helpers import ops, data``.
"""
