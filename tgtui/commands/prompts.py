"""Plain terminal prompts for the headless commands, replaceable in tests.

`current()` gives the prompts in use: the terminal by default, or whatever a test put
there with `use(...)`. Secrets are read without echo (`getpass`) and never printed.
"""

from __future__ import annotations

import contextlib
import getpass
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Union


class Prompts:
    """Asking a person: `ask` echoes, `secret` does not, `say` writes to stderr."""

    def ask(self, question: str) -> str:
        """A line typed by the user (EOF means they gave up: raises EOFError)."""
        return input(question)

    def secret(self, question: str) -> str:
        """A line typed without echo (api_hash, 2FA password)."""
        return getpass.getpass(question)

    def say(self, text: str) -> None:
        """A line for the person at the terminal (stderr, so stdout stays for data)."""
        print(text, file=sys.stderr, flush=True)


Answer = Union[str, Callable[[str], str]]  # noqa: UP007 - a runtime alias on 3.10


@dataclass
class Scripted(Prompts):
    """Prompts answered from a list, for tests. Records the questions and what was said.

    An answer is a string, "^C" (Ctrl-C), or a function of the question; when the list
    runs out, the next prompt raises EOFError (as input() does at the end of stdin).
    """

    answers: list[Answer]
    asked: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)

    def __init__(self, answers: Iterable[Answer]) -> None:
        self.answers = list(answers)
        self.asked = []
        self.said = []

    def _next(self, question: str) -> str:
        self.asked.append(question)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if answer == "^C":
            raise KeyboardInterrupt
        return answer(question) if callable(answer) else answer

    def ask(self, question: str) -> str:  # noqa: D102
        return self._next(question)

    def secret(self, question: str) -> str:  # noqa: D102
        return self._next(question)

    def say(self, text: str) -> None:  # noqa: D102
        self.said.append(text)


_current: Prompts = Prompts()


def current() -> Prompts:
    """The prompts in use."""
    return _current


@contextlib.contextmanager
def use(prompts: Prompts) -> Iterator[Prompts]:
    """Answer every prompt with `prompts` meanwhile (tests)."""
    global _current
    previous, _current = _current, prompts
    try:
        yield prompts
    finally:
        _current = previous
