"""The exercises of Part IV (chapters 17-19, modern CNNs on Fashion-MNIST photos): each expected
value computed or read from a recorded experiment, never typed. One section per chapter."""

from __future__ import annotations

from .registry import exercise  # noqa: F401 - each chapter's section registers with it
