r"""Text from data, made inert before it reaches a terminal.

A cell, a file name or a YAML value can hold control characters: an escape sequence that
moves the cursor or colours the terminal, a carriage return that overwrites a line, a
newline that splits one problem over two lines, or a bidirectional override that shows
text in another order than it is stored. Everything evalkit prints goes through
:func:`inert` (plain text) or :func:`inert_json` (JSON text), which show such characters
as escapes (``\x1b``, ``\n``, ``\u202e``) so one message is always one line.
"""

from __future__ import annotations

import re

#: C0 and C1 controls and DEL, the line and paragraph separators, and the bidirectional
#: marks, embeddings, overrides and isolates.
_MARKS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_MARKS}]")
#: What json.dumps leaves unescaped of the above.
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_MARKS}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return char.encode("unicode_escape").decode("ascii")


def inert(text: str) -> str:
    r"""The text with every control character shown as an escape: always one line.

    >>> inert("bad\x1b[31m value\nnext")
    'bad\\x1b[31m value\\nnext'
    """
    return _UNSAFE.sub(_escape, text)


def inert_lines(text: str) -> str:
    """Each line of evalkit's own multi-line text made inert; its line breaks kept."""
    return "\n".join(inert(line) for line in text.split("\n"))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert_json(text: str) -> str:
    r"""JSON text with the same data, safe to print: unsafe characters as ``\uXXXX``.

    ``json.dumps`` already escapes C0 controls; DEL, C1 controls, the separators and the
    bidirectional marks it leaves as they are. Outside strings JSON holds only ASCII
    punctuation, digits, letters, spaces and line breaks, so escaping these characters
    wherever they appear keeps the document's meaning exactly.
    """
    return _UNSAFE_IN_JSON.sub(_json_escape, text)
