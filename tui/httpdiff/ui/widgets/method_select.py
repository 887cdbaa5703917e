"""The request method: a compact Select of the common methods, extendable by loaded requests.

A request loaded from a file or a curl command may use a method not in the
list (``PROPFIND``); it is added rather than silently replaced by GET.
"""

from __future__ import annotations

from textual.widgets import Select

METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class MethodSelect(Select[str]):
    """Select one HTTP method; ``method`` reads and writes it."""

    DEFAULT_CSS = """
    MethodSelect { width: 12; }
    """

    def __init__(self, method: str = "GET", *, id: str | None = None) -> None:
        self._methods = list(METHODS)
        if method not in self._methods:
            self._methods.append(method)
        super().__init__(
            [(m, m) for m in self._methods], value=method, allow_blank=False, compact=True, id=id
        )

    @property
    def method(self) -> str:
        value = self.value
        return value if isinstance(value, str) else "GET"

    @method.setter
    def method(self, method: str) -> None:
        method = method.upper()
        if method not in self._methods:
            self._methods.append(method)
            self.set_options([(m, m) for m in self._methods])
        self.value = method
