"""The check helper of every Python test (the shell tests' one is tests/lib/checks.sh),
and the checkout's root.

check(condition, message) raises Failure when the condition is false: a change-capture
scenario stops at its first failed check, and the script prints the message and exits 1.

Tally.check(name, condition, detail) prints "ok   NAME" or "FAIL NAME" and the detail, and
the run goes on: the CLI tests (tests/cli/cli_tests.py) report every check, then
Tally.summary prints the counts and gives the exit status.
"""

import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Tally:
    """Named checks that do not stop the run, counted."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}", flush=True)
            for line in str(detail).splitlines()[:40]:
                print(f"     {line}", flush=True)

    def summary(self, what):
        """Prints "WHAT: N passed, M failed"; returns the exit status (1 if any failed)."""
        print(f"\n{what}: {self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 else 1
