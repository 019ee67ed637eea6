"""A text box whose editing keys act in the order they were typed.

Textual's Input inserts a typed character as soon as its key reaches the box, but runs a
bound key (Backspace, ctrl+u, the arrows) only once that key has bubbled up to the app.
Keys that come together (a fast typist, a paste after ctrl+u, keys sent by a script)
then apply out of order: ctrl+u followed at once by "ocean" emptied the search box,
deleting the word typed after it. Textual issue #6605 describes this; until a release
fixes it, this box runs its own bindings as the key arrives.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            # The box's bindings as the user's [keys] map them, as Textual's binding chain
            # has them (`close-search = "ctrl+u"` must close the search, not empty it).
            bindings = self._bindings.copy()
            if keymap := self.app._keymap:
                bindings.apply_keymap(keymap)
            for binding in bindings.key_to_bindings.get(event.key, ()):
                # (a priority binding ran before the key reached the box)
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)
