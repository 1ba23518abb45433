"""Where the reader's pieces end never changes a JSON Lines report: a line split across two pieces,
a quote just before a piece's end, a key repeated on either side of a cut are all told alike."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeschema
from tradeschema.testing import statements
from tradeschema.validation import jsonl
from tradeschema.validation.keys import key_ends

SEPARATORS = [(",", ":"), (", ", ": "), (",", " : "), (",", "\t:")]


@st.composite
def _lines(draw: st.DrawFn) -> bytes:
    """A JSON Lines text of statements, some of them with a repeated key, cut short, blank or bad."""
    out = []
    for record in draw(st.lists(statements(), min_size=1, max_size=6)):
        data = record.model_dump(mode="json", exclude_defaults=True)
        separators = draw(st.sampled_from(SEPARATORS))
        raw = json.dumps(data, separators=separators, ensure_ascii=False)
        how = draw(st.sampled_from(["as is", "as is", "repeat", "truncate", "blank", "bad kind"]))
        if how == "repeat":
            key = draw(st.sampled_from(sorted(data)))
            raw = "{" + json.dumps(key) + separators[1] + '"x"' + separators[0] + raw[1:]
        elif how == "truncate":
            raw = raw[: raw.rindex('"') + 1]  # ends in a quote, as cut JSON often does
        elif how == "blank":
            raw = ""
        elif how == "bad kind":
            raw = raw.replace(
                '"kind"' + separators[1], '"kind"' + separators[1] + '"x", "kind"' + separators[1], 1
            )
        out.append(raw)
    return ("\n".join(out) + draw(st.sampled_from(["", "\n"]))).encode()


def _issues(path: Path) -> list[tuple[object, ...]]:
    report = tradeschema.validate(path, record="statement", jobs=1, progress=False)
    return [(i.code, i.line, i.path, i.value) for i in report.issues]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_lines(), size=st.sampled_from([1, 2, 3, 5, 17, 64, 301]))
def test_the_piece_size_never_changes_the_report(text: bytes, size: int, tmp_path: Path) -> None:
    path = tmp_path / "statements.jsonl"
    path.write_bytes(text)
    expected = _issues(path)
    check = jsonl._Lines.check
    seen = []

    def checked(self: object, lines: list[bytes], first: int, size: int, ends: int) -> None:
        # What the reader counts piece by piece is what the lines hold, read whole.
        seen.append((len(b"\n".join(lines)), key_ends(b"\n".join(lines))))
        assert (size, ends) == seen[-1]
        check(self, lines, first, size, ends)  # type: ignore[arg-type]

    with mock.patch.object(jsonl, "_READ", size), mock.patch.object(jsonl._Lines, "check", checked):
        assert _issues(path) == expected
    assert seen or not text
