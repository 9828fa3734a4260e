"""What every change-capture test shares: the checkout's root and the failed-check
exception (the scripts print it and exit 1)."""

import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
