"""Ready-to-send e-mails: an invitation or cancellation as ``text/calendar`` (iMIP, RFC 6047).

Written with the standard library's ``email`` package. The MIME boundary,
date and message id come from the packet, so the same revision gives the
same bytes.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from loopkit._models import Person
from loopkit._packet import Packet
from loopkit._schedule import clock_span
from loopkit.render.calendar import slots_of


def render_email(
    packet: Packet, person: Person, calendar: bytes, method: str, body: str, what: str = ""
) -> bytes:
    """An e-mail from the organizer to ``person`` carrying ``calendar`` (METHOD ``method``);
    ``what`` begins its subject when given."""
    assert packet.organizer is not None
    digest = hashlib.sha256(calendar + person.email.encode("utf-8")).hexdigest()[:24]
    message = EmailMessage(policy=policy.SMTP)
    # Address objects quote and encode a name ("O'Brien, Jr.", "Zoë") as one recipient.
    message["From"] = Address(packet.organizer.name, addr_spec=packet.organizer.email)
    message["To"] = Address(person.name, addr_spec=person.email)
    what = what or ("Cancelled: interviews" if method == "CANCEL" else "Interviews")
    subject = " ".join(f"{what} for {packet.loop.title}: {packet.candidate}".split())  # one line
    if subject.isascii():
        message["Subject"] = subject
    else:  # encoded whole, as the policy's own folding drops the space between two words
        # it encodes apart ("Nguyễn Thị" read back as "NguyễnThị", in every mail client)
        message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())
    message["Date"] = format_datetime(packet.stamp)
    message["Message-ID"] = f"<{digest}@loopkit>"
    message.set_content(body)
    message.add_alternative(calendar.decode("utf-8"), subtype="calendar", params={"method": method})
    message.set_boundary(f"loopkit-{digest}")
    return message.as_bytes()


def invite_text(packet: Packet, person: Person, candidate: bool) -> tuple[str, str]:
    """How an invitation's subject begins ("" for the usual) and its plain-text part: who,
    what and when, in the reader's zone. One that replaces an invitation sent before
    says so in both: its reader's calendar already holds these events, which it moves."""
    replaces = person.email.casefold() in packet.invited  # a reschedule, a swap
    zone = packet.schedule.candidate_tz if candidate else packet.schedule.tz
    lines = [f"Hello {person.name},", ""]
    shadowing: set[str] = set()  # the interviews they sit in as a trainee
    if candidate:
        lines.append(f"Here is your interview day for {packet.loop.title}:")
    else:
        mine = person.email.casefold()
        shadowing = {
            s.interview.id
            for s in packet.seats
            if s.shadow and s.person is not None and s.person.email.casefold() == mine
        }
        slots = slots_of(packet, person, candidate)
        doing = "shadowing interviews of" if len(shadowing) == len(slots) else "interviewing"
        lines.append(f"You are {doing} {packet.candidate} for {packet.loop.title}:")
    if replaces:
        lines.append("(This replaces the invitation sent before.)")
    lines.append("")
    for slot in slots_of(packet, person, candidate):  # as the attached calendar has them
        assert slot.interview is not None
        span = clock_span(slot.start, slot.end, zone)
        day = slot.start.astimezone(zone)
        role = " (as a shadow: your ratings never count)" if slot.interview.id in shadowing else ""
        lines.append(f"  {day:%a %d %b %Y} {span}  {slot.interview.title}{role}")
    does = "updates these in" if replaces else "adds these to"
    lines += ["", f"The attached invitation {does} your calendar."]
    return "Updated: interviews" if replaces else "", "\n".join(lines) + "\n"


def cancel_text(
    packet: Packet, person: Person, titles: list[str], candidate: bool
) -> tuple[str, str]:
    """How a cancellation's subject begins ("" for the usual) and its plain-text part: to an
    interviewer taken off, or to the candidate, for an interview gone from her day or at an
    address no longer used (told where the invitations went, not that the day is off)."""
    lines = [f"Hello {person.name},", ""]
    now, what = packet.candidate_email, ""
    if not candidate:
        lines.append(f"These interviews with {packet.candidate} are off for you:")
    elif now.casefold() == person.email.casefold():
        lines.append(f"These interviews are no longer part of your day for {packet.loop.title}:")
    elif now:
        what = "Invitations moved to another address: interviews"
        lines.append(
            f"Your invitations for {packet.loop.title} now go to {now}; "
            "these are taken off the calendar at this address:"
        )
    else:
        what = "Invitations withdrawn from this address: interviews"
        lines.append(
            f"Invitations for {packet.loop.title} no longer come to this address; "
            "these are taken off its calendar:"
        )
    lines += [f"  {title}" for title in titles]
    lines += ["", "The attached cancellation removes them from your calendar."]
    return what, "\n".join(lines) + "\n"
