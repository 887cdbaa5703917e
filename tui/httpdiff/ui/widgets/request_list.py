"""The requests to pick from (the demo samples, or those given on start): a simple sidebar.

Picking one posts ``Picked`` with the request; the app loads it into the editor.
Names are shown as plain ``Text``: a request name can come from a file.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from httpdiff.model import RequestSpec


def request_label(spec: RequestSpec) -> Text:
    label = Text(f"{spec.method:<6} ", style="bold")
    label.append(spec.name or spec.url or "(untitled)")
    return label


class RequestList(OptionList):
    """A list of requests; Enter or a click picks one."""

    class Picked(Message):
        def __init__(self, spec: RequestSpec) -> None:
            super().__init__()
            self.spec = spec

    def __init__(self, requests: Sequence[RequestSpec] = (), *, id: str | None = None) -> None:
        self.requests = list(requests)
        super().__init__(*(Option(request_label(spec)) for spec in self.requests), id=id)
        self.border_title = "Requests"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.requests):
            self.post_message(self.Picked(self.requests[event.option_index]))
