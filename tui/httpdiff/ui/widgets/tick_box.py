"""A Checkbox whose glyph says its state: a tick when on, an empty box when off.

Textual's Checkbox draws the same "X" either way and tells on from off by colour
alone, which a reader with red-green colour blindness (one of the built-in
themes is for them) or a monochrome terminal cannot see. ``BUTTON_INNER`` is the
class attribute Textual draws the glyph from (RadioButton sets its own), so this
sets it per instance as the value changes; colours and focus stay Textual's.
"""

from __future__ import annotations

from textual.widgets import Checkbox

ON = "✓"
OFF = " "


class TickBox(Checkbox):
    """A Checkbox drawn "▐✓▌" when on and "▐ ▌" when off."""

    BUTTON_INNER = OFF

    def watch_value(self) -> None:
        self.BUTTON_INNER = ON if self.value else OFF
        super().watch_value()


__all__ = ["OFF", "ON", "TickBox"]
