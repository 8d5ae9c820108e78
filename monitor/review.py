"""What curators do: review flags, override a cluster's fields, lift overrides, add notes.

The CLI and the web UI call these same functions, so validation lives here once. Every refusal
is a `ReviewError` whose message names what was wrong and how to fix it; nothing is written
then. Overrides are shown instead of the computed value (monitor.clusters_view) but never
replace it: monitor.evaluate keeps computing underneath.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster, Flag, Override
from clusterwatch.db.store import audit
from clusterwatch.db.store import flags as flag_store
from clusterwatch.monitor.flags_view import FlagRecord
from clusterwatch.monitor.registry import RegistryError, accept_move, undo_move
from clusterwatch.monitor.status import STATUSES
from clusterwatch.vocabulary import CATEGORY_SCALE, Category, EnglishSite

DECISIONS = ("confirmed", "dismissed")
# field -> the values a curator may set; moved_to takes an http(s) URL instead
OVERRIDE_VALUES: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "english_site": tuple(reversed(EnglishSite)),
    # strongest first; not_interested only curators set: a cluster said it is not interested
    "internationalisation": (*reversed(CATEGORY_SCALE), Category.NOT_INTERESTED),
}
URL_FIELDS = ("moved_to",)
# Fields that take an ISO 639-1 language code (any language: the analysis names them all).
LANGUAGE_FIELDS = ("main_language",)
LANGUAGE_CODE = re.compile(r"[a-z]{2}")
OVERRIDE_FIELDS = (*OVERRIDE_VALUES, *URL_FIELDS, *LANGUAGE_FIELDS)
MAX_NOTE_CHARS = 4000  # a note is a remark, not a document
MAX_NAME_CHARS = 120  # the width of the reviewer / author columns
DEFAULT_REVIEWER = "curator"
MOVED_KIND = "moved"  # confirming it moves the cluster's home URL


class ReviewError(ValueError):
    """A curator action that cannot be done; the message says what and how to fix it."""


def review_flag(
    sessions: sessionmaker[Session],
    flag_id: int,
    decision: str,
    note: str | None,
    reviewer: str | None,
    now: datetime,
) -> FlagRecord:
    """Mark an open flag confirmed or dismissed; a dismissed flag's evidence is not re-raised."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision {decision!r}: use one of {', '.join(DECISIONS)}")
    note, reviewer = _text(note, "note", MAX_NOTE_CHARS), _name(reviewer)
    with sessions.begin() as session:
        flag = flag_store.get_flag(session, flag_id)
        if flag is None:
            raise ReviewError(
                f"flag {flag_id} does not exist; list flags with `clusterwatch flags --state all`"
            )
        if flag.state != "open":
            raise ReviewError(
                f"flag {flag_id} was already {flag.state} by {flag.reviewer or 'someone'}"
                f" at {flag.reviewed_at.isoformat() if flag.reviewed_at else 'an unknown time'};"
                " only open flags can be reviewed"
            )
        flag.state, flag.note, flag.reviewer, flag.reviewed_at = decision, note, reviewer, now
        if decision == "confirmed" and flag.kind == MOVED_KIND:
            _accept_move(session, flag, reviewer, now)
        old, new = {"state": "open", "kind": flag.kind}, {"state": decision}
        action = f"flag_{decision}"
        change = audit.Change(
            reviewer, "flag", str(flag.id), action, flag.cluster_id, old, new, note
        )
        audit.record(session, change, now)
        session.flush()
        return FlagRecord.from_model(flag)


def _accept_move(session: Session, flag: Flag, reviewer: str, now: datetime) -> None:
    """Confirming `moved` makes its new URL the cluster's home (monitor.registry.accept_move)."""
    target = next((item.get("url") for item in flag.evidence or [] if item.get("url")), None)
    if not target:
        raise ReviewError(f"flag {flag.id} names no new URL; edit the cluster's URLs instead")
    try:
        accept_move(session, flag.cluster_id, str(target), reviewer, now)
    except RegistryError as exc:
        raise ReviewError(f"flag {flag.id}: the new URL cannot be used ({exc})") from exc


def undo_review(
    sessions: sessionmaker[Session],
    flag_id: int,
    note: str | None,
    by: str | None,
    now: datetime,
) -> FlagRecord:
    """Reopen a reviewed flag; the review it undoes stays in the trail."""
    note, by = _text(note, "note", MAX_NOTE_CHARS), _name(by)
    with sessions.begin() as session:
        flag = flag_store.get_flag(session, flag_id)
        if flag is None:
            raise ReviewError(f"flag {flag_id} does not exist")
        if flag.state == "open":
            raise ReviewError(f"flag {flag_id} is open; there is no review to undo")
        old = {"state": flag.state, "reviewer": flag.reviewer, "note": flag.note}
        if flag.kind == MOVED_KIND and flag.state == "confirmed":
            try:
                undo_move(session, flag.cluster_id, by, now)
            except RegistryError as exc:
                raise ReviewError(f"flag {flag_id}: {exc}") from exc
        flag.state, flag.note, flag.reviewer, flag.reviewed_at = "open", None, None, None
        change = audit.Change(
            by, "flag", str(flag.id), "review_undone", flag.cluster_id, old, {"state": "open"}, note
        )
        audit.record(session, change, now)
        session.flush()
        return FlagRecord.from_model(flag)


def validate_override(field: str, value: str) -> str:
    """The value to store for `field`, or a ReviewError naming the allowed ones."""
    if field not in OVERRIDE_FIELDS:
        raise ReviewError(f"field {field!r} cannot be overridden; use one of {OVERRIDE_FIELDS}")
    value = value.strip()
    if field in URL_FIELDS:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ReviewError(f"{field} {value!r}: give an http(s) URL such as https://example.jp/")
        return value
    if field in LANGUAGE_FIELDS:
        if not LANGUAGE_CODE.fullmatch(value.lower()):
            raise ReviewError(f"{field} {value!r}: give an ISO 639-1 code such as ja, en or de")
        return value.lower()
    allowed = OVERRIDE_VALUES[field]
    if value not in allowed:
        raise ReviewError(f"{field} value {value!r}: use one of {', '.join(allowed)}")
    return value


def set_override(
    sessions: sessionmaker[Session],
    cluster_id: str,
    field: str,
    value: str,
    note: str | None,
    by: str | None,
    now: datetime,
) -> None:
    """Set a curator's value for one field; it wins over the computed one until cleared."""
    value = validate_override(field, value)
    note, by = _text(note, "note", MAX_NOTE_CHARS), _name(by)
    with sessions.begin() as session:
        _require_cluster(session, cluster_id)
        before = flag_store.get_override(session, cluster_id, field)
        old = _override_values(before) if before else None
        flag_store.put_override(session, cluster_id, field, value, note, by, now)
        new = {"value": value, "note": note, "by": by}
        change = audit.Change(by, "override", field, "override_set", cluster_id, old, new, note)
        audit.record(session, change, now)


def clear_override(
    sessions: sessionmaker[Session],
    cluster_id: str,
    field: str,
    by: str | None,
    now: datetime,
) -> None:
    """Lift an override; the computed value shows again. Leaves a note saying who lifted it."""
    if field not in OVERRIDE_FIELDS:
        raise ReviewError(f"field {field!r} cannot be overridden; use one of {OVERRIDE_FIELDS}")
    by = _name(by)
    with sessions.begin() as session:
        _require_cluster(session, cluster_id)
        before = flag_store.get_override(session, cluster_id, field)
        if before is None:
            raise ReviewError(
                f"cluster {cluster_id!r} has no override of {field}; nothing to clear"
            )
        old = _override_values(before)
        flag_store.remove_override(session, cluster_id, field)
        flag_store.add_note(session, cluster_id, by, f"override of {field} lifted", now)
        change = audit.Change(by, "override", field, "override_lifted", cluster_id, old, None)
        audit.record(session, change, now)


def add_note(
    sessions: sessionmaker[Session], cluster_id: str, text: str, author: str | None, now: datetime
) -> int:
    """Add a free-text note to a cluster; returns its id."""
    body = _text(text, "note", MAX_NOTE_CHARS)
    if not body:
        raise ReviewError("the note is empty; write some text")
    author = _name(author)
    with sessions.begin() as session:
        _require_cluster(session, cluster_id)
        note = flag_store.add_note(session, cluster_id, author, body, now)
        change = audit.Change(
            author, "note", str(note.id), "note_added", cluster_id, new={"text": body}
        )
        audit.record(session, change, now)
        return note.id


def _override_values(override: Override) -> dict[str, str | None]:
    return {"value": override.value, "note": override.note, "by": override.created_by}


def _require_cluster(session: Session, cluster_id: str) -> None:
    if session.get(Cluster, cluster_id) is None:
        raise ReviewError(
            f"cluster {cluster_id!r} does not exist; see the ids with `clusterwatch status`"
        )


def _text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise ReviewError(f"the {what} has {len(value)} characters; shorten it to {limit}")
    return value or None


def _name(value: str | None) -> str:
    name = (value or "").strip() or DEFAULT_REVIEWER
    if len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise ReviewError(f"name {name[:40]!r}: use a printable name of {MAX_NAME_CHARS} or less")
    return name
