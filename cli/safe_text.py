"""Text from people and files (names, notes, rule and template wording) shown as text.

Two dangers when such text reaches a terminal: rich reads ``[bold]`` or ``[/]`` in a
string as markup (``[/]`` with nothing open crashes the print), and control characters
(an escape sequence in a workout's name from a downloaded file) drive the terminal itself:
move the cursor, rewrite earlier lines, set the window title. `plain` removes the C0 and
C1 control characters (tab and newline become spaces); `markup` also escapes rich's markup,
for strings handed to rich as markup (table cells, titles, `console.print`).
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls; tab and line breaks handled apart (they become spaces)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile("[\t\r\n\u2028\u2029]")


def plain(text: object) -> str:
    """`text` without control characters, on one line.

    :param text: anything shown to the user that came from a person or a file
    """
    if text is None:
        return ""
    return _BREAKS.sub(" ", _CONTROLS.sub("", str(text)))


def markup(text: object) -> str:
    """`plain(text)` with rich markup escaped, for strings rich will parse as markup."""
    from rich.markup import escape

    return escape(plain(text))
