"""Which invitations of a packet's revision to send, and which read as the ones before.

A revision writes every person's invitation anew (its stamp is the
revision's time); most read as the ones already sent. A coordinator sends
the new ones, the changed ones and the cancellations, told apart here from
the invitations the folder held before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path


def to_send(
    old: Path | None, files: Mapping[str, bytes]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Which of the invitations in ``files`` to send (each with why), and which need not be.

    Invitations are matched by the address they go to (a name changed is
    the same reader), and so are cancellations. One that reads as the one in
    ``old`` (its events but for when they were stamped and their SEQUENCE,
    raised for a change not in this reader's copy; its e-mail's text) tells
    its reader nothing new: a cancellation an earlier revision wrote, still
    held, is one when it cancels the same events at the same SEQUENCE (its
    words may change with the candidate's name).
    """
    before = _invited_in(old / "invites") if old is not None else {}
    send: list[tuple[str, str]] = []
    same: list[str] = []
    for name in sorted(files):
        if not (name.startswith("invites/") and name.endswith(".eml")):
            continue
        ics = name.removesuffix(".eml") + ".ics"
        cancel = name.endswith("-cancel.eml")
        was = before.get((_addressee(files[ics]), cancel))
        if cancel and was != _cancelled(files[ics]):
            send.append((name, "a cancellation"))
        elif cancel:
            same.append(name)
        elif was is None:
            send.append((name, "new"))
        elif was != _reading(files[ics], files[name]):
            send.append((name, "changed"))
        else:
            same.append(name)
    return tuple(send), tuple(same)


# what a reader reads of an invitation (``_reading``) or a cancellation (``_cancelled``)
Read = tuple[list[bytes], str] | list[tuple[bytes, bytes]]


def _invited_in(folder: Path) -> dict[tuple[str, bool], Read]:
    """The invitations and cancellations a packet's invites/ holds, by their address and
    whether they cancel."""
    found: dict[tuple[str, bool], Read] = {}
    for ics in sorted(folder.glob("*.ics")) if folder.is_dir() else []:
        try:
            data, eml = ics.read_bytes(), ics.with_suffix(".eml").read_bytes()
        except OSError:  # a person's folder or link where a file was: nothing to compare
            continue
        cancel = ics.name.endswith("-cancel.ics")
        found[_addressee(data), cancel] = _cancelled(data) if cancel else _reading(data, eml)
    return found


def _cancelled(calendar: bytes) -> list[tuple[bytes, bytes]]:
    """The events a cancellation cancels, each by its UID and SEQUENCE."""
    events, uid, sequence = [], b"", b""
    for line in calendar.replace(b"\r\n ", b"").splitlines():
        if line.startswith(b"UID:"):
            uid = line
        elif line.startswith(b"SEQUENCE:"):
            sequence = line
        elif line == b"END:VEVENT":
            events.append((uid, sequence))
    return sorted(events)


def _addressee(calendar: bytes) -> str:
    """The address an invitation is for (its one ATTENDEE), in any case."""
    unfolded = calendar.replace(b"\r\n ", b"").decode("utf-8", "replace")
    # the address ends the line; a quoted name before it may hold a colon of its own
    found = re.search(r"(?m)^ATTENDEE.*:mailto:(\S+?)\r?$", unfolded)
    return found[1].casefold() if found else ""


def _reading(calendar: bytes, message: bytes) -> tuple[list[bytes], str]:
    """What an invitation says to its reader: its events, but when they were stamped and
    their SEQUENCE, and its e-mail's text, but the lines saying it replaces another (and
    so updates the events, where the first added them)."""
    import email
    import email.message
    import email.policy

    lines = calendar.replace(b"\r\n ", b"").splitlines()
    events = [line for line in lines if not line.startswith((b"DTSTAMP", b"SEQUENCE"))]
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    body = parsed.get_body(("plain",)) if isinstance(parsed, email.message.EmailMessage) else None
    text = str(body.get_content()) if isinstance(body, email.message.EmailMessage) else ""
    said = ("(This replaces", "The attached invitation ")
    kept = [line for line in text.splitlines() if not line.startswith(said)]
    return events, "\n".join(kept)
