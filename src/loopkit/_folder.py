"""Packet folders: written whole, and updated as revisions that lose nothing (SPEC 8.1).

A packet is rendered in memory by a pool of workers, written to a hidden
staging folder, and renamed into place. Updating a packet that exists
makes a new revision: what a person wrote there (a filled scorecard, a
debrief, a note) is carried into the new folder or moved to
``superseded/``; it is never deleted or overwritten. Writers of one packet
exclude each other with an advisory lock, and files follow the umask.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from loopkit._errors import LoopkitError, OutputError, ValidationFailed
from loopkit._models import Person
from loopkit._packet import (
    Cancel,
    Packet,
    check_candidate,
    former_id,
    name_slug,
    packet_id,
    plain,
)
from loopkit._readback import card_seat, read_filled, read_lock
from loopkit._records import Lock, file_digest
from loopkit._revise import Revision, revise
from loopkit._sending import to_send
from loopkit._settings import When
from loopkit._source import CARD_SUFFIXES, LOCK_FILE, loads, read_file
from loopkit._workers import stopping, stops_held
from loopkit._write import packet_lock, render_pool, umask
from loopkit.render.toml import blank_scorecard, lock_toml

SUPERSEDED = "superseded"
DEBRIEF_FILES = ("debrief.toml", "debrief.pdf")


def packet_files(packet: Packet, jobs: int = 1) -> dict[str, bytes]:
    """Every file loopkit writes in the packet folder but the lock, rendered in memory.

    With ``jobs`` > 1 (and fork available) the PDFs are rendered by a
    ``render_pool``; the output is the same bytes as in one process.
    """
    # The PDF stack is imported here, not at the top: a packet run again with nothing
    # changed, or with --dry-run, renders nothing, and platypus costs about 100 ms.
    from loopkit.render.itinerary import render_itinerary
    from loopkit.render.packet import render_packet
    from loopkit.render.scorecard import render_scorecard

    # The largest document first, so the other worker takes the many small ones.
    pdfs: list[tuple[str, Callable[..., bytes], tuple[Any, ...]]] = [
        ("packet.pdf", render_packet, (packet,)),
        ("itinerary.pdf", render_itinerary, (packet,)),
        *(
            (f"scorecards/{seat.stem}.pdf", render_scorecard, (packet, seat))
            for seat in packet.seats
        ),
    ]
    # The lock and its hash are cached on first use. Worked out here, before the pool
    # pickles the packet on a thread of its own: filled in by _small_files while that
    # pickling ran, they changed the packet's __dict__ under it ("dictionary changed
    # size during iteration").
    _ = packet.lock_hash
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Interrupted, or a PDF failed: nothing is written, so the PDFs not started
        # are dropped, and the pool ends once the others are done.
        with stopping(render_pool(jobs)) as pool:
            futures = [pool.submit(render, *args) for _, render, args in pdfs]
            # This process writes the small files while the workers lay out the
            # PDFs: icalendar's import alone takes about 85 ms.
            files = _small_files(packet)
            rendered = [future.result() for future in futures]
    else:
        files = _small_files(packet)
        rendered = [render(*args) for _, render, args in pdfs]
    files.update((name, data) for (name, _, _), data in zip(pdfs, rendered, strict=True))
    return files


def _small_files(packet: Packet) -> dict[str, bytes]:
    """The calendar and the blank scorecards of the packet folder."""
    # icalendar takes about 85 ms to import: the parent imports it here, while the
    # forked workers lay out the PDFs, and an unchanged packet never does.
    from loopkit.render.calendar import render_calendar

    files = {"schedule.ics": render_calendar(packet)}
    for seat in packet.seats:
        files[f"scorecards/{seat.stem}.toml"] = blank_scorecard(packet, seat).encode("utf-8")
    files.update(_invitations(packet))
    return files


def _invitations(packet: Packet) -> dict[str, bytes]:
    """invites/: each person's invitation, and cancellations for those taken off an event."""
    # icalendar, as above: imported only when a packet is written
    from loopkit.render.calendar import invitees, render_cancel, render_invite
    from loopkit.render.email import cancel_text, invite_text, render_email

    files: dict[str, bytes] = {}
    slugs: dict[str, str] = {}

    def slug(person: Person) -> str:
        key = person.email.casefold()
        if key not in slugs:
            base, n = name_slug(person.name), 2
            # "<name>-cancel" is another person's cancellation: no one's own file ends so
            base += "-2" if base.endswith("-cancel") else ""
            name = base
            while name in slugs.values():
                name, n = f"{base}-{n}", n + 1
            slugs[key] = name
        return f"invites/{slugs[key]}"

    for person, candidate in invitees(packet):
        ics = render_invite(packet, person, candidate)
        what, body = invite_text(packet, person, candidate)
        files[f"{slug(person)}.ics"] = ics
        files[f"{slug(person)}.eml"] = render_email(packet, person, ics, "REQUEST", body, what)
    if packet.organizer is None:
        return files
    by_person: dict[str, list[Cancel]] = {}
    for cancel in packet.cancels:
        by_person.setdefault(cancel.person.email.casefold(), []).append(cancel)
    for cancels in by_person.values():
        person, candidate = cancels[0].person, cancels[0].candidate
        ics = render_cancel(packet, cancels)
        what, body = cancel_text(packet, person, [c.title for c in cancels], candidate)
        files[f"{slug(person)}-cancel.ics"] = ics
        files[f"{slug(person)}-cancel.eml"] = render_email(
            packet, person, ics, "CANCEL", body, what
        )
    return files


# --- packets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PacketWrite:
    """What writing a packet did (or, dry, would do).

    ``revision`` is None for a first build. ``kept`` are the files a person
    wrote that stay where they are; ``moved`` says which went to
    ``superseded/`` and why.
    """

    folder: Path
    revision: Revision | None
    kept: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    # invites/*.eml to send, each with why (new, changed, a cancellation), and those the same
    # as the revision before wrote (but for when they were made): no need to send them again
    send: tuple[tuple[str, str], ...] = ()
    same: tuple[str, ...] = ()
    # interviewers the packet invites no one of, for want of an address: "Name (interview)"
    unaddressed: tuple[str, ...] = ()
    # each seat back as it was before (``Revision.returned``), with its cards in superseded/
    returned: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def state(self) -> str:
        """``written`` (a first build), ``updated`` (a new revision) or ``unchanged``."""
        if self.revision is None:
            return "written"
        return "unchanged" if self.revision.unchanged else "updated"


@dataclass(frozen=True)
class _Carry:
    """What of the old folder goes into the new one, by path there.

    ``files`` are carried as they are, hard-linked (so their mode, size and
    bytes stay, and nothing is read into memory); ``written`` are the few
    files loopkit writes for them (WHY.txt).
    """

    files: dict[str, Path] = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)  # a person's symbolic links: path -> target
    folders: tuple[str, ...] = ()  # a person's empty folders, made anew
    seen: dict[str, str] = field(default_factory=dict)  # every old file's digest, as scanned
    kept: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()
    returned: tuple[tuple[str, tuple[str, ...]], ...] = ()  # as ``PacketWrite.returned``


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}-")  # how a packet folder's name begins


def find_packet(out: Path, packet_id: str) -> Path | None:
    """The folder under ``out`` that holds packet ``packet_id`` (at whatever date), if any."""
    if not out.is_dir():
        return None
    named = [
        folder
        for folder in out.glob(f"????-??-??-{packet_id}")
        if _DAY.fullmatch(folder.name[:11]) and folder.name[11:] == packet_id and folder.is_dir()
    ]
    for folder in named:  # never a new packet written beside one whose lock is gone
        if not (folder / LOCK_FILE).is_file():
            raise OutputError(
                f"{folder} is this packet's folder, and its {LOCK_FILE} is missing or a link "
                "to nothing",
                hint=f"put the lock back as loopkit wrote it (from a copy, or git); to start "
                f"over, move the folder out of {out} first",
            )
    found = named
    if len(found) > 1:
        raise OutputError(
            f"packet {packet_id} is in {len(found)} folders: "
            + ", ".join(f.name for f in sorted(found)),
            hint="keep one of them",
        )
    return found[0] if found else None


def packet_file_names(packet: Packet) -> list[str]:
    """The files loopkit writes in a packet folder, the lock included, but for invites/."""
    names = ["packet.pdf", "itinerary.pdf", "schedule.ics", LOCK_FILE]
    for seat in packet.seats:
        names += [f"scorecards/{seat.stem}.pdf", f"scorecards/{seat.stem}.toml"]
    return names


def write_packet(
    packet: Packet,
    out: Path,
    *,
    jobs: int = 1,
    dry_run: bool = False,
    committed: Callable[[Path], None] | None = None,
    planned: bool = False,
) -> PacketWrite:
    """Write the packet folder under ``out``, or its next revision when one exists.

    With ``dry_run`` nothing is written: the result says what would be.
    ``committed`` hears of the folder as it lands, before a stop can come.
    ``planned``: a batch checked the packet against ``out`` as it was before
    its first packet was written (``plan_batch``); a new packet is not then
    held against the batch's own packets as they land, which would make the
    outcome hang on their order.
    """
    check_output(out)
    packet = known_as(packet, out)
    if dry_run:
        old_folder, revision = _plan_write(packet, out)
        if old_folder is None or revision is None:  # a first build: every invitation is new
            send, _ = to_send(None, _invitations(packet))
            return PacketWrite(
                out / packet.folder, None, send=send, unaddressed=unaddressed(packet)
            )
        if revision.unchanged:
            return PacketWrite(old_folder, revision)
        # invites/ too: a person's file where an invitation or its folder goes is moved
        invitations = _invitations(revision.packet)
        written = {*packet_file_names(revision.packet), *invitations}
        carry = _carry_over(old_folder, revision, written)
        send, same = to_send(old_folder, invitations)
        return PacketWrite(
            out / packet.folder,
            revision,
            carry.kept,
            carry.moved,
            send,
            same,
            unaddressed(revision.packet),
            carry.returned,
        )
    with packet_lock(out, packet.id):
        old_folder, revision = _plan_write(packet, out, known=not planned)
        if old_folder is not None and revision is not None and revision.unchanged:
            return PacketWrite(old_folder, revision)
        new = revision.packet if revision else packet
        files = packet_files(new, jobs)
        written = {*files, LOCK_FILE}
        carry = _carry_over(old_folder, revision, written) if old_folder and revision else _Carry()
        send, same = to_send(old_folder, files)  # read before the old folder goes
        _commit(new, files, out, old_folder, carry, committed)
        return PacketWrite(
            out / new.folder,
            revision,
            carry.kept,
            carry.moved,
            send,
            same,
            unaddressed(new),
            carry.returned,
        )


def unaddressed(packet: Packet) -> tuple[str, ...]:
    """The interviewers a packet that sends invitations cannot invite: no address given."""
    if packet.organizer is None:
        return ()
    return tuple(
        f"{seat.person.name} ({seat.interview.title})"
        for seat in packet.seats
        if seat.person is not None and not seat.person.email
    )


def check_output(out: Path) -> None:
    """Refuse an output folder that cannot be made: a file, or one under a file (which a
    dry run would otherwise promise to write in); and one in a packet folder, where a
    packet would be out of sight of status, report and calibrate, which read the packets
    side by side in one folder."""
    packet = packet_folder_around(out)
    if packet is not None:
        raise OutputError(
            f"{out} is a packet folder"
            if packet == Path(os.path.realpath(out))
            else f"{out} is inside the packet folder {packet}",
            key="--output",
            hint=f"write packets beside it, in {packet.parent}",
        )
    for folder in (out, *out.parents):
        if folder.is_symlink() and not folder.exists():  # to nowhere, or to itself
            raise OutputError(f"{folder} is a link that leads to no folder", key="--output")
        if folder.exists():  # the nearest there, links followed, must be a folder we may write
            if not folder.is_dir():
                raise OutputError(f"{folder} is a file, not a folder", key="--output")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(f"{folder} cannot be written: permission denied", key="--output")
            return


def packet_folder_around(path: Path) -> Path | None:
    """The packet folder ``path`` is or is in, where it really is (``..`` and links
    followed), if any."""
    real = Path(os.path.realpath(path))
    return next((f for f in (real, *real.parents) if (f / LOCK_FILE).is_file()), None)


def revised_packet(
    out: Path, candidate: str, loop_id: str, given_id: str | None
) -> tuple[Path, Lock] | None:
    """The folder and lock of the packet in ``out`` a build for ``candidate`` on the loop
    ``loop_id`` would revise (found as ``write_packet`` finds it); None when there is none
    (or the name or id is wrong, which their own checks say). A lock that cannot be read
    raises, as the write would."""
    try:
        candidate = check_candidate(candidate)
        wanted = packet_id(candidate, loop_id, given_id)
    except LoopkitError:
        return None
    folder = find_packet(out, wanted)
    if folder is None and given_id is None:
        folder = _former_folder(out, candidate, (former_id(candidate, loop_id),))[1]
    if folder is None:
        return None
    lock = read_lock(folder)[0]
    if lock.packet.id != folder.name[11:]:  # another packet's lock, copied or linked here
        raise _another_packet(folder, lock.packet.id, folder.name[11:])
    return folder, lock


def _another_packet(folder: Path, held: str, wanted: str) -> OutputError:
    """The error of a packet folder whose lock is another packet's (a copy, or a link)."""
    return OutputError(
        f"{folder} holds packet {held}, not {wanted}: its {LOCK_FILE} is that packet's",
        hint="put this packet's own lock back (from a copy, or git); to start over, move the "
        "folder aside",
    )


def kept_options(lock: Lock) -> tuple[When, dict[str, tuple[Person, ...]]]:
    """What a revision of the packet of ``lock`` keeps of it when the command leaves it out:
    the day, first start (its clock time) and both zones, and the panel by interview."""
    head = lock.packet
    start = datetime.fromisoformat(head.start).astimezone(ZoneInfo(head.tz))
    when = When(head.date, f"{start:%H:%M}", head.tz, head.candidate_tz)
    return when, {i.id: tuple(map(Person.parse, i.interviewers)) for i in lock.interviews}


def known_as(packet: Packet, out: Path) -> Packet:
    """``packet`` under the id its folder in ``out`` has: an earlier loopkit's, if that is all."""
    if not packet.former_ids or find_packet(out, packet.id) is not None:
        return packet
    former, _ = _former_folder(out, packet.candidate, packet.former_ids)
    return dataclasses.replace(packet, id=former, former_ids=()) if former else packet


def _former_folder(out: Path, candidate: str, ids: tuple[str, ...]) -> tuple[str, Path | None]:
    """The first of ``ids`` (an earlier loopkit's) that names a packet of ``candidate`` in
    ``out``, and its folder; ("", None) when none does."""
    for former in ids:
        folder = find_packet(out, former)
        if folder is not None and read_lock(folder)[0].packet.candidate == candidate:
            return former, folder
    return "", None


def _another_candidate(old: Lock, packet: Packet, folder: Path, out: Path) -> None:
    """Refuse to make one candidate's packet a revision of another's.

    Two e-mail addresses say two people, and so do two names (a long name's
    id keeps only its first 40 letters; capitals, accents and punctuation
    aside), unless the id was given: then the coordinator has said which
    packet this is (a candidate's new address, a name spelled anew), unless
    both are new (``_someone_else``).
    """
    if packet.id_given:
        _someone_else(old, packet, folder, out)
        return
    name, was, now = old.packet.candidate, old.packet.candidate_email, packet.candidate_email
    both = bool(was and now)  # two addresses: they say who is who
    if both and was.casefold() == now.casefold():
        return  # her address says it is her, whatever the spelling of her name
    if plain(name) != plain(packet.candidate):
        holder, theirs, why = name, packet.candidate, ": their names make the same packet id"
        # her own packet only when no address says otherwise
        same = "" if both else "to spell this candidate's name anew"
    elif both:
        holder, theirs, why = f"{name} <{was}>", f"<{now}>", ""
        same = "for this candidate's new address"
    else:
        return
    stem, n, hers = packet.id.removesuffix(f"-{packet.loop.id}"), 2, []
    while (other := find_packet(out, f"{stem}-{n}-{packet.loop.id}")) is not None:
        given = f"{stem}-{n}-{packet.loop.id}"
        head = read_lock(other)[0].packet
        mail = head.candidate_email
        if (mail and now and mail.casefold() == now.casefold()) or (
            not (mail and now) and plain(head.candidate) == plain(packet.candidate)
        ):  # a packet given to this candidate before
            raise OutputError(
                f"{folder.name} is the packet of {holder}; {theirs} has the packet {given}",
                hint=f"update it with --id {given} (in a batch, the id column)",
            )
        if plain(head.candidate) == plain(packet.candidate):  # hers, at another address?
            hers.append(f"{given} is the packet of {head.candidate} <{mail}>: for her new "
                        f"address, update it with --id {given}")  # fmt: skip
        n += 1
    hints = [
        f"for another candidate give a packet id of its own, like --id {stem}-{n}-"
        f"{packet.loop.id} (in a batch, the id column)",
        *hers,
        *([f"{same}, update the packet with --id {packet.id}"] if same else []),
    ]
    raise OutputError(
        f"{folder.name} is the packet of {holder}, not of {theirs}{why}", hint="; ".join(hints)
    )


def _someone_else(old: Lock, packet: Packet, folder: Path, out: Path) -> None:
    """Refuse a given id that would hand its packet to someone of another name and address.

    A given id updates its packet for her name spelled anew, or for her new
    address (or a first one); both at once say another candidate (an id
    typed or pasted for the wrong row), and her filled scorecards would
    count as theirs.
    """
    name, was, now = old.packet.candidate, old.packet.candidate_email, packet.candidate_email
    if not now or was.casefold() == now.casefold() or plain(name) == plain(packet.candidate):
        return
    batch = " (in a batch, the id column)"
    theirs = [str(head.get("id")) for _, head in _other_packets(packet, out)]
    if theirs:  # this candidate's own packet, made before
        way = f"{packet.candidate} <{now}> has the packet {', '.join(theirs)}: update it with "
        way += f"--id {theirs[0]}{batch}" if len(theirs) == 1 else f"its id{batch}"
    else:
        stem, loop, n = name_slug(packet.candidate), packet.loop.id, 2
        own = f"{stem}-{loop}"
        while find_packet(out, own) is not None:
            own, n = f"{stem}-{n}-{loop}", n + 1
        way = f"for another candidate give a packet id of its own, like --id {own}{batch}"
    holder = f"{name} <{was}>" if was else name
    raise OutputError(
        f"{folder.name} is the packet of {holder}, not of {packet.candidate} <{now}>: "
        "another name and another address are another candidate",
        hint=f"{way}; if {name} is {packet.candidate} now, give the new name alone first "
        "(without --candidate-email), then the address",
    )


def _known_candidate(packet: Packet, out: Path) -> None:
    """Refuse a new packet for a candidate who has a packet of this loop under another id.

    Found by her address: her name spelled anew (Zoe Mueller for Zoë Müller)
    makes another packet id, and without this a second packet, and a second
    invitation for every interviewer, stood beside the first with its filled
    scorecards. Found by her name: a packet given an id of its own (``--id``)
    was passed over by a later command that left the id out, and a second
    packet made. A given id is the coordinator's word that this is another
    packet (a second loop, another candidate at a shared inbox).

    The way out offered first is the safer: to update her packet only when
    the names are one (capitals, accents and punctuation aside); else an id
    of its own, and updating hers only if this is her name changed. Updating the wrong
    packet gives one candidate another's filled scorecards (Jon and John
    Smith of one agency, at one address).
    """
    if packet.id_given:
        return
    theirs = _other_packets(packet, out)
    if not theirs:
        return
    batch = " (in a batch, the id column)"
    own = f"give this packet an id of its own: --id {packet.id}"
    if len(theirs) > 1:
        listed = ", ".join(f"{head.get('id')} ({head.get('candidate')})" for _, head in theirs)
        said = packet.candidate_email or packet.candidate
        raise OutputError(
            f"{said}, given for {packet.candidate}, has {packet.loop.id} packets already: {listed}",
            hint=f"to update one of them, give its id with --id; for another packet, {own}{batch}",
        )
    ((folder, head),) = theirs
    their_name, their_id = _said(head, "candidate"), head.get("id")
    address = _said(head, "candidate_email")
    by_address = (
        bool(packet.candidate_email) and address.casefold() == packet.candidate_email.casefold()
    )
    whose = f"{their_name} <{address}>" if by_address else their_name
    given = "the address given" if by_address else "the name given"
    if plain(their_name) == plain(packet.candidate):
        second = f"for a second {packet.loop.id} loop of this candidate"
        hint = f"to update it, give --id {their_id}; {second}, {own}"
        said = f"{folder} is the {packet.loop.id} packet of {whose} already, as {their_id}"
    else:
        hint = (
            f"for {packet.candidate}, another candidate at this address, {own}; "
            f"if {their_name} is {packet.candidate} renamed, update it with --id {their_id}"
        )
        said = f"{folder} is the {packet.loop.id} packet of {whose}, {given} for {packet.candidate}"
    raise OutputError(said, hint=hint + batch)


def _given_elsewhere(old: Lock, packet: Packet, folder: Path, out: Path) -> None:
    """Refuse to update a packet by its id as the name makes it when this candidate has a
    packet of this loop under an id given to it.

    The second of two Ada Lovelaces, her packet made with ``--id``,
    rescheduled without it, updated the first Ada's packet. An id given says
    which packet is meant.
    """
    if packet.id_given:
        return
    mine = plain(packet.candidate)  # of one name: another name at a shared inbox is another's
    theirs = [
        (n, h) for n, h in _other_packets(packet, out) if plain(_said(h, "candidate")) == mine
    ]
    if not theirs:
        return
    listed = ", ".join(f"{head.get('id')} ({name})" for name, head in theirs)
    batch = " (in a batch, the id column)"
    me = (packet.candidate, packet.candidate_email)
    if same_candidate(me, (old.packet.candidate, old.packet.candidate_email)):
        raise OutputError(
            f"{packet.candidate} has {packet.loop.id} packets {packet.id} ({folder.name}) and "
            f"{listed}: which one is meant?",
            hint=f"give the id of the packet to update with --id{batch}",
        )
    holder, was = old.packet.candidate, old.packet.candidate_email
    whose = f"{holder} <{was}>" if was else holder
    who = f"<{packet.candidate_email}>" if packet.candidate_email else packet.candidate
    if len(theirs) == 1:
        ((_, head),) = theirs
        raise OutputError(
            f"{folder.name} is the packet of {whose}; {who} has the packet {head.get('id')}",
            hint=f"update it with --id {head.get('id')}{batch}",
        )
    raise OutputError(
        f"{folder.name} is the packet of {whose}; {who} has the packets {listed}",
        hint=f"give the id of the packet to update with --id{batch}",
    )


def _renamed_by_hand(packet: Packet, out: Path) -> None:
    """Refuse a new packet whose id a folder of ``out`` holds under another name.

    A packet folder renamed by hand (``...-old``) is not found by its name,
    and the packet was written anew beside it: blank scorecards, and
    invitations back at SEQUENCE 0, which a calendar holding a later one of
    the same event passes over.
    """
    for folder, head in _heads(out):
        if head.get("id") == packet.id:
            named = f"{_said(head, 'date')}-{packet.id}"
            raise OutputError(
                f"{out / folder} holds packet {packet.id} under a name loopkit did not give it",
                hint=f"to update that packet, rename the folder {named}; to start the packet "
                f"anew, move it out of {out} first",
            )


def _other_packets(packet: Packet, out: Path) -> list[tuple[str, dict[str, Any]]]:
    """The packet folders of ``out`` of this packet's loop and candidate under another id,
    each with its lock's [packet] table (see ``same_candidate``); each id once, by the
    folder named for it (a copy kept beside a packet folder is that packet)."""
    me = (packet.candidate, packet.candidate_email)
    found: dict[object, tuple[str, dict[str, Any]]] = {}
    for folder, head in _heads(out):
        if (
            head.get("loop") == packet.loop.id
            and head.get("id") != packet.id
            and same_candidate(me, (_said(head, "candidate"), _said(head, "candidate_email")))
            and (head.get("id") not in found or folder[11:] == head.get("id"))
        ):
            found[head.get("id")] = (folder, head)
    return list(found.values())


def _said(head: dict[str, Any], key: str) -> str:
    """A text of a lock's [packet] table ("" when it is not text)."""
    value = head.get(key)
    return value if isinstance(value, str) else ""


def same_candidate(one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether two (name, address) pairs say one candidate for a packet of one loop: one
    address, or one name (capitals, accents and punctuation aside) where no two addresses
    say otherwise."""
    (name, address), (their_name, their_address) = one, other
    if address and their_address:
        return address.casefold() == their_address.casefold()
    return plain(name) == plain(their_name)


# the [packet] table of each packet folder by its name and inode: a revision writes a
# folder anew, and a batch asks once per row
_HEADS: dict[tuple[str, int], dict[str, Any] | None] = {}


def _heads(out: Path) -> list[tuple[str, dict[str, Any]]]:
    """The folders of ``out``, each with its lock's [packet] table (those with no lock, or
    one that cannot be read, left out)."""
    try:
        with os.scandir(out) as listed:
            # any folder, not only one named <date>-<id>: a packet folder renamed by hand
            # ("... (copy)", "ada-old") is still that packet
            found = sorted(
                (e.name, e.inode()) for e in listed if not e.name.startswith(".") and e.is_dir()
            )
    except OSError:
        return []
    heads = []
    for name, inode in found:
        if (name, inode) not in _HEADS:
            _HEADS[(name, inode)] = _head(out / name / LOCK_FILE)
        head = _HEADS[(name, inode)]
        if head is not None:
            heads.append((name, head))
    return heads


def _head(lock: Path) -> dict[str, Any] | None:
    """A lock's [packet] table, read cheaply; None when it cannot be read.

    Only that table is parsed when the lock is laid out as loopkit writes it
    (a few lines, before the first other table); otherwise the whole file.
    """
    try:
        text = read_file(lock, str(lock)).decode("utf-8")
        start = text.find("\n[packet]\n")
        end = text.find("\n[", start + 1)
        try:
            part = loads(text[start:end]) if start >= 0 and end > start else {}
        except (ValueError, RecursionError):
            part = {}
        if "packet" not in part:  # laid out another way
            part = loads(text)
    except (ValidationFailed, ValueError, RecursionError):
        return None
    found = part.get("packet")
    return found if isinstance(found, dict) else None


def _plan_write(
    packet: Packet, out: Path, known: bool = True
) -> tuple[Path | None, Revision | None]:
    """The folder that holds the packet now (if any), and the revision a build would make;
    ``known``: the packet is checked against the candidate's other packets."""
    final = out / packet.folder
    existing = find_packet(out, packet.id)
    if existing is None:
        if final.exists() or final.is_symlink():
            raise OutputError(
                f"{final} exists and holds no packet {packet.id}",
                hint="move it away, or write to another folder with -o",
            )
        _renamed_by_hand(packet, out)
        if known:
            _known_candidate(packet, out)
        return None, None
    old, old_hash = read_lock(existing)
    if old.packet.id != packet.id:
        raise _another_packet(existing, old.packet.id, packet.id)
    if known:
        _given_elsewhere(old, packet, existing, out)
    _another_candidate(old, packet, existing, out)
    revision = revise(old, old_hash, packet)
    if not revision.unchanged and existing != final and (final.exists() or final.is_symlink()):
        raise OutputError(f"{final} exists already", hint="move it away before moving the day")
    return existing, revision


def _unsent(rel: str, revision: Revision) -> str:
    """Why ``rel``, a file of invites/ that a revision with no organizer writes no more, is
    kept ("" for any other file): it may not have been sent yet. A cancellation not sent
    leaves a cancelled interview in its interviewer's calendar, an invitation not sent
    leaves them without it."""
    if revision.packet.organizer is not None or not rel.startswith("invites/"):
        return ""
    number = revision.packet.revision
    if Path(rel).stem.endswith("-cancel"):  # no one's own file is named so (see slug)
        return (
            f"a cancellation revision {number} cannot send, with no organizer: "
            "send it as it is if it was not sent"
        )
    return (
        f"an invitation of revision {revision.previous}; revision {number} has no organizer "
        "to send invitations from"
    )


def _carry_over(old: Path, revision: Revision, written: set[str]) -> _Carry:
    """Sort every file of the old folder: loopkit's own (replaced), or a person's (kept or moved).

    A file is loopkit's own when its bytes are still what the lock says
    loopkit wrote. Anything else is a person's: a filled scorecard of a
    kept seat stays byte for byte; one whose seat changed, the old debrief,
    a hand-edited file loopkit writes anew, a file where the new revision
    writes a file or a folder, and a link to any of them move to
    ``superseded/r<N>/`` with a line in its WHY.txt. Nothing is dropped.
    """
    moved_to = f"{SUPERSEDED}/r{revision.previous}"
    number = revision.packet.revision
    files: dict[str, Path] = {}
    seen: dict[str, str] = {}
    kept: list[str] = []
    why: list[str] = []
    moves: dict[str, str] = {}  # a file moved to superseded/: where it was -> where it goes
    found, links, empty = _walk(old)
    # the folders the new revision writes into, superseded/r<N>/ among them
    folders = {SUPERSEDED, moved_to, *(parent for rel in written for parent in _parents(rel))}
    # superseded/ first: a moved card must see what is there already, and never take its place
    for rel in sorted(found, key=lambda rel: not rel.startswith(f"{SUPERSEDED}/")):
        data = old / rel
        try:
            seen[rel] = digest = _digest(data)
        except OSError as exc:  # a file its owner alone may read: nothing has moved yet
            raise OutputError(
                f"{data} cannot be read: {exc.strerror or exc}",
                hint="make it readable, or move it out of the packet, and run again",
            ) from None
        own = rel == LOCK_FILE or revision.written.get(rel) == digest
        unsent = _unsent(rel, revision) if own else ""
        if own and not unsent:
            continue  # loopkit's own: the new revision writes it anew
        stem = Path(rel).stem if rel.startswith("scorecards/") and rel.count("/") == 1 else ""
        if stem and rel not in written and stem not in (*revision.kept, *revision.superseded):
            stem = _seat_named(data) or stem  # a card kept under a name of its own
        if rel.startswith(f"{SUPERSEDED}/") and rel != moved_to:
            files[rel] = data
            continue
        if unsent:
            reason = unsent
        elif rel in DEBRIEF_FILES:
            reason = f"the debrief of revision {revision.previous}"
        elif stem in revision.superseded:
            reason = revision.superseded[stem]
        elif rel in written and stem not in revision.kept:
            seat = _seat_named(data) if stem else ""
            if seat in revision.superseded:  # a card of a seat gone, where a new seat's goes
                reason = revision.superseded[seat]
            elif seat and seat != stem:  # a finished card saved under a new seat's name
                reason = (
                    f"a scorecard for {seat}, where revision {number} writes a new seat's blank; "
                    "to count it, put it back in scorecards/ under a name of its own"
                )
            else:
                reason = f"changed by hand; revision {number} writes it anew"
        elif clash := _in_the_way(rel, written, folders, number):
            reason = clash
        else:
            files[rel] = data
            kept.append(rel)
            continue
        target, n = f"{moved_to}/{rel}", 2
        while target in files:  # a file a person put there already keeps its place
            target, n = f"{moved_to}/{rel}.{n}", n + 1
        files[target] = data
        moves[rel] = target
        moved = target.removeprefix(f"{moved_to}/")
        why.append(f"{rel}: {reason}" if moved == rel else f"{rel} (kept as {moved}): {reason}")
    # A person's links stay links to what they named; loopkit writes none of its own. A link
    # goes to superseded/ with the card it reaches, and one that moves is made to reach what
    # it reached before.
    carried: dict[str, str] = {}
    for rel, target in links.items():
        inside = _inside(rel, target)
        if rel in written:
            reason = f"a link where revision {number} writes a file"
        elif clash := _in_the_way(rel, written, folders, number):
            reason = clash
        elif inside in moves:
            reason = f"a link to {inside}, which moved to {SUPERSEDED}/"
        elif (seat := _linked_seat(old, rel)) in revision.superseded:
            reason = revision.superseded[seat]
        else:
            carried[rel] = target
            continue
        place, n = f"{moved_to}/{rel}", 2
        while place in files or place in carried:
            place, n = f"{moved_to}/{rel}.{n}", n + 1
        carried[place] = _relinked(target, inside, place, moves)
        shown = place.removeprefix(f"{moved_to}/")
        why.append(f"{rel}: {reason}" if shown == rel else f"{rel} (kept as {shown}): {reason}")
    # An empty folder a person made is kept too, unless a file the revision writes is its
    # place or holds it.
    made: list[str] = []
    for rel in empty:
        in_a_file = _in_the_way(rel, written, set(), number)
        if rel in written or (in_a_file and not rel.startswith(f"{SUPERSEDED}/")):
            made.append(f"{moved_to}/{rel}")
            why.append(f"{rel}/: {in_a_file or f'a folder where revision {number} writes a file'}")
        else:
            made.append(rel)
            kept += [] if rel.startswith(f"{SUPERSEDED}/") else [f"{rel}/"]
    notes: dict[str, bytes] = {}
    if why:
        earlier = (
            files.pop(f"{moved_to}/WHY.txt").read_bytes() if f"{moved_to}/WHY.txt" in files else b""
        )
        notes[f"{moved_to}/WHY.txt"] = earlier + "".join(f"{w}\n" for w in why).encode()
    # a seat back as it was: the card an earlier revision moved from it, valid again
    back = _returned_cards(old, found, revision) if revision.returned else {}
    returned = tuple((stem, back.get(stem, ())) for stem in revision.returned)
    return _Carry(files, notes, carried, tuple(made), seen, tuple(kept), tuple(why), returned)


def _returned_cards(old: Path, found: list[str], revision: Revision) -> dict[str, tuple[str, ...]]:
    """For each seat back as it was, the card in superseded/ of the packet folder ``old`` to
    copy back: filled in (not a blank), made for the seat as it is again (its lock one of the
    seat's), and of those the one the latest revision moved (two when a TOML and a PDF were
    filled there). A card says its seat; one that does not is its file name's."""
    locks = {stem: set(revision.packet.seat_locks.get(stem, ())) for stem in revision.returned}
    newest: dict[str, tuple[int, list[str]]] = {}
    for rel in found:
        moved = _MOVED_CARD.fullmatch(rel)
        if moved is None:
            continue
        doc, _ = read_filled(old / rel, rel)
        if doc is None or doc.card.untouched:
            continue  # nothing to copy back: a blank, or no card that can be read
        seat = doc.card.seat or moved["stem"]
        if doc.card.lock not in locks.get(seat, ()):
            continue  # another seat's card, or one made for the seat as it was in between
        number, cards = newest.get(seat, (-1, []))
        if int(moved["revision"]) > number:
            newest[seat] = (int(moved["revision"]), [rel])
        elif int(moved["revision"]) == number:
            cards.append(rel)
    return {seat: tuple(sorted(cards)) for seat, (_, cards) in newest.items()}


# a card as _carry_over moves it: scorecards/<name>.toml to superseded/r<N>/, .<n> if taken
_MOVED_CARD = re.compile(
    rf"{SUPERSEDED}/r(?P<revision>[0-9]{{1,9}})/scorecards/(?P<stem>[^/]+)\.(?:toml|pdf)(?:\.[0-9]+)?"
)


def _inside(rel: str, target: str) -> str | None:
    """Where in the packet folder the link at ``rel`` points (None: outside it, or absolute)."""
    if posixpath.isabs(target):
        return None
    reached = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
    return None if reached == ".." or reached.startswith("../") else reached


def _relinked(target: str, inside: str | None, place: str, moves: dict[str, str]) -> str:
    """What a link moved to ``place`` must hold to reach what it reached (moved or not)."""
    if inside is None:  # absolute, or outside the packet folder: the same from anywhere
        return target
    return posixpath.relpath(moves.get(inside, inside), posixpath.dirname(place) or ".")


def _linked_seat(old: Path, rel: str) -> str:
    """The seat of the card a link in scorecards/ reaches ("" for anything else)."""
    if not rel.startswith("scorecards/") or rel.count("/") != 1:
        return ""
    return _seat_named(old / rel)


def _parents(rel: str) -> list[str]:
    """The folders a path below a packet folder is in: ``a/b/c`` is in ``a`` and ``a/b``."""
    parts = rel.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def _in_the_way(rel: str, written: set[str], folders: set[str], revision: int) -> str:
    """Why a person's file cannot stay at ``rel``: in a folder named as a file loopkit
    writes (``scorecards/x.toml/note``), or named as a folder loopkit writes into
    (a file called ``scorecards``); "" when it can."""
    if any(parent in written for parent in _parents(rel)):
        return f"in a folder where revision {revision} writes a file"
    return f"where revision {revision} writes a folder" if rel in folders else ""


def _seat_named(card: Path) -> str:
    """The seat a scorecard says it is for, when its file has a name of its own.

    ``debrief --scorecard`` keeps a card under the name it came with; when
    a revision changes that seat, the card goes with it to superseded/.
    "" for a file that is not a scorecard the debrief would count: it stays.
    """
    if card.suffix.lower() not in CARD_SUFFIXES:  # sam.TOML too: debrief names it
        return ""
    return card_seat(card)


def _digest(path: Path) -> str:
    """A file's hash as the lock keeps it, read in blocks: a person's file may be large."""
    with path.open("rb") as handle:
        return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()


def _carry(source: Path, target: Path) -> None:
    """Put a person's file in the new folder as it is: a hard link, or a copy where none can be."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _walk(folder: Path) -> tuple[list[str], dict[str, str], list[str]]:
    """Every regular file below ``folder`` (relative, with /), every link with its target,
    and every folder with nothing in it.

    Links are never followed: a link to /dev/zero or to a folder outside is
    carried as the link it is. Anything else (a FIFO, a socket) cannot be
    carried into a new folder, so the revision stops before touching it.
    """
    files: list[str] = []
    links: dict[str, str] = {}
    empty: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(root)
        if not dirs and not names and here != folder:
            empty.append(here.relative_to(folder).as_posix())
        for name in sorted([*names, *(d for d in dirs if (here / d).is_symlink())]):
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                links[rel] = os.readlink(path)
            elif path.is_file():
                files.append(rel)
            else:
                raise OutputError(
                    f"{path} is not a file loopkit can carry into the next revision",
                    hint="move it out of the packet folder, then run again",
                )
    return files, links, empty


def _commit(
    packet: Packet,
    files: dict[str, bytes],
    out: Path,
    old: Path | None,
    carry: _Carry,
    committed: Callable[[Path], None] | None,
) -> None:
    """Stage the new folder with everything carried over, then swap it in for the old one."""
    mask = umask()
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{packet.folder}.", suffix=".partial", dir=out))
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp makes 0700; a folder is as cp makes it
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    final = out / packet.folder
    try:
        # A person's file in the place of one of loopkit's (a kept seat's filled card) wins.
        mine = {rel: data for rel, data in files.items() if rel not in carry.files}
        manifest = {rel: file_digest(data) for rel, data in mine.items()}
        everything = {**mine, **carry.written}
        everything[LOCK_FILE] = lock_toml(
            packet.lock, packet.lock_hash, dict(sorted(manifest.items()))
        ).encode("utf-8")
        for rel, data in sorted(everything.items()):
            target = staging / rel
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True)
                for parent in reversed(target.relative_to(staging).parents[:-1]):
                    os.chmod(staging / parent, 0o777 & ~mask)
            target.write_bytes(data)
            os.chmod(target, 0o666 & ~mask)
        for rel, source in sorted(carry.files.items()):
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            _carry(source, staging / rel)
        for rel, link in sorted(carry.links.items()):
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(link, staging / rel)
        for rel in carry.folders:
            (staging / rel).mkdir(parents=True, exist_ok=True)
        # Stops held: one between the two renames would leave no packet at all,
        # and one right after them a packet its caller never heard of.
        with stops_held():
            _swap(staging, final, old, carry)
            if committed is not None:
                committed(final)
    except OSError as exc:
        raise OutputError(f"cannot write {final}: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    # Staging folders of this packet left by a killed run are stale now that it is whole.
    # They hold only copies this writer made, and the packet's lock keeps other writers out.
    for stale in out.glob(f".{packet.folder}.*.partial"):
        shutil.rmtree(stale, ignore_errors=True)


def _swap(staging: Path, final: Path, old: Path | None, carry: _Carry) -> None:
    """Rename the staged folder into place; the old one goes only once nothing in it is new."""
    if old is None:
        staging.rename(final)
        return
    retired_root = Path(tempfile.mkdtemp(prefix=f".{old.name}.", suffix=".old", dir=old.parent))
    retired = retired_root / old.name
    old.rename(retired)
    try:
        staging.rename(final)
    except OSError:
        retired.rename(old)
        retired_root.rmdir()
        raise
    # A file that a person saved into the old folder while this revision was
    # rendered is not in the new one yet: bring it over instead of losing it.
    late, _, _ = _walk(retired)
    for rel in late:
        if carry.seen.get(rel) == _digest(retired / rel):
            continue
        target = final / rel
        if target.exists():
            target = final / f"{rel}.late"
        target.parent.mkdir(parents=True, exist_ok=True)
        _carry(retired / rel, target)
    # Only copies are left in it; a file there that cannot be removed (made immutable)
    # must not turn a revision that is in place into a failure.
    shutil.rmtree(retired_root, ignore_errors=True)
