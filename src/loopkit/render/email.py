"""Ready-to-send e-mails: an invitation or cancellation as ``text/calendar`` (iMIP, RFC 6047).

Written with the standard library's ``email`` package. The MIME boundary,
date and message id come from the packet, so the same revision gives the
same bytes.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from loopkit._models import Person
from loopkit._packet import Packet
from loopkit._schedule import clock_span


def render_email(packet: Packet, person: Person, calendar: bytes, method: str, body: str) -> bytes:
    """An e-mail from the organizer to ``person`` carrying ``calendar`` (METHOD ``method``)."""
    assert packet.organizer is not None
    digest = hashlib.sha256(calendar + person.email.encode("utf-8")).hexdigest()[:24]
    message = EmailMessage(policy=policy.SMTP)
    # Address objects quote and encode a name ("O'Brien, Jr.", "Zoë") as one recipient.
    message["From"] = Address(packet.organizer.name, addr_spec=packet.organizer.email)
    message["To"] = Address(person.name, addr_spec=person.email)
    what = "Cancelled: interviews" if method == "CANCEL" else "Interviews"
    subject = f"{what} for {packet.loop.title}: {packet.candidate}"
    message["Subject"] = " ".join(subject.split())  # one line, whatever the title held
    message["Date"] = format_datetime(packet.stamp)
    message["Message-ID"] = f"<{digest}@loopkit>"
    message.set_content(body)
    message.add_alternative(calendar.decode("utf-8"), subtype="calendar", params={"method": method})
    message.set_boundary(f"loopkit-{digest}")
    return message.as_bytes()


def invite_body(packet: Packet, person: Person, candidate: bool) -> str:
    """The plain-text part of an invitation: who, what and when, in the reader's zone."""
    zone = packet.schedule.candidate_tz if candidate else packet.schedule.tz
    lines = [f"Hello {person.name},", ""]
    if candidate:
        lines.append(f"Here is your interview day for {packet.loop.title}:")
    else:
        lines.append(f"You are interviewing {packet.candidate} for {packet.loop.title}:")
    lines.append("")
    for slot in packet.schedule.interviews:
        assert slot.interview is not None
        if candidate or person in slot.people:
            span = clock_span(slot.start, slot.end, zone)
            day = slot.start.astimezone(zone)
            lines.append(f"  {day:%a %d %b %Y} {span}  {slot.interview.title}")
    lines += ["", "The attached invitation adds these to your calendar."]
    return "\n".join(lines) + "\n"


def cancel_body(packet: Packet, person: Person, titles: list[str]) -> str:
    """The plain-text part of a cancellation."""
    lines = [
        f"Hello {person.name},",
        "",
        f"These interviews with {packet.candidate} are off for you:",
    ]
    lines += [f"  {title}" for title in titles]
    lines += ["", "The attached cancellation removes them from your calendar."]
    return "\n".join(lines) + "\n"
