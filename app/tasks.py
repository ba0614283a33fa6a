"""Every domain's job functions, imported in one place so workers and the in-process runner know them."""

from app.core.jobs import TASKS

__all__ = ["TASKS"]
