"""The snapshot store's tables, as SQLAlchemy 2 typed models.

This module owns the shape of the data; db/migrations/ owns how the tables come to exist (never
`create_all()`), and db/store.py owns the queries. Every timestamp is stored as naive UTC and read
back timezone-aware, so SQLite and PostgreSQL agree.

Tables, and why each exists:
- clusters          one row per seed id, synced from config/seeds.yaml; retired, never deleted
- crawl_runs        one row per `clusterwatch crawl`: state running|complete|incomplete|failed,
                    `degraded` when our network (not theirs) was down
- site_results      one row per (run, cluster): outcome, final URL, move, counts, site analysis
- page_snapshots    one row per page fetch that returned content, never overwritten; points at
                    its body by sha256
- page_confirmations one narrow row per 304 Not Modified: this run saw that snapshot unchanged
- bodies            raw bytes once per sha256, zstd-compressed, with the extracted text
- cluster_states    the monitor's current judgement per cluster (derived, rebuilt by evaluate)
- status_history    one row per (cluster, evaluated run): the status after that run
- flags             what curators review: kind, evidence, open|confirmed|dismissed
- overrides         a curator's value for one field of one cluster, kept until lifted
- notes             free-text curator notes on a cluster
- users             curators who may log in to the web UI
- digest_outbox     one row per ISO week: the digest message, sent exactly once
- locks             named leases (the crawl lock) that a crashed holder cannot keep forever
- job_slots         (job, slot) rows that make each scheduled job idempotent
- candidates        discovery: hosts linked from crawled pages, not in the registry, scored;
                    open | accepted | rejected
- candidate_sightings the pages that named a candidate, with anchor text and sentence
- hubs              pages curators registered as lists of cluster organisations
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A Python None is stored as SQL NULL (not JSON null), so `IS NULL` means "no value".
JsonType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC; refuses naive input so no local time sneaks in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JsonType,
        list[Any]: JsonType,
    }


class Cluster(Base):
    __tablename__ = "clusters"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_ja: Mapped[str | None] = mapped_column(String(300))
    sector: Mapped[str] = mapped_column(String(40))
    prefecture: Mapped[str | None] = mapped_column(String(80))
    urls: Mapped[list[Any]]
    baseline_2016: Mapped[dict[str, Any] | None]
    source: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime]
    updated_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]
    # the registry's provenance (see monitor/registry.py): where the cluster came from, the
    # fields a curator set ({field: {"by", "at"}}), and who retired it (None: the seeds file)
    origin: Mapped[str] = mapped_column(String(16), default="seeds", server_default="seeds")
    curated: Mapped[dict[str, Any] | None]
    retired_by: Mapped[str | None] = mapped_column(String(120))


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(16))  # running | complete | incomplete | failed
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    pid: Mapped[int | None]
    host: Mapped[str | None] = mapped_column(String(255))
    seeds_path: Mapped[str | None] = mapped_column(Text)
    only_ids: Mapped[list[Any] | None]
    sites_total: Mapped[int] = mapped_column(default=0)
    sites_ok: Mapped[int] = mapped_column(default=0)
    sites_failed: Mapped[int] = mapped_column(default=0)
    sites_moved: Mapped[int] = mapped_column(default=0)
    pages: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    errors: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(Text)  # why a run is incomplete or failed


class SiteResult(Base):
    __tablename__ = "site_results"
    __table_args__ = (UniqueConstraint("run_id", "cluster_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"))
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)
    # ok | dns | refused | timeout | tls | http_4xx | http_5xx | robots | blocked | other
    outcome: Mapped[str] = mapped_column(String(16))
    requested_url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    moved_to: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None]
    pages: Mapped[int] = mapped_column(default=0)
    not_modified: Mapped[int] = mapped_column(default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[dict[str, Any] | None]
    finished_at: Mapped[datetime]


class Body(Base):
    __tablename__ = "bodies"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    body_zstd: Mapped[bytes] = mapped_column(LargeBinary)
    text_zstd: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class PageSnapshot(Base):
    __tablename__ = "page_snapshots"
    __table_args__ = (Index("ix_page_snapshots_cluster_url", "cluster_id", "url", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int]
    fetched_at: Mapped[datetime]
    depth: Mapped[int] = mapped_column(default=0)
    redirects: Mapped[list[Any] | None]
    # Header values are whatever a server sends: unbounded text, never a width to overflow.
    content_type: Mapped[str | None] = mapped_column(Text)
    encoding: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(ForeignKey("bodies.sha256"))
    text_hash: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    analysis: Mapped[dict[str, Any] | None]


class PageConfirmation(Base):
    """A revisit answered 304: the page is still the confirmed snapshot. A full snapshot row per
    304 would grow the database by ~10% a night for nothing new; this row is ~1%."""

    __tablename__ = "page_confirmations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("page_snapshots.id", ondelete="CASCADE"), index=True
    )
    fetched_at: Mapped[datetime]


class ClusterState(Base):
    __tablename__ = "cluster_states"

    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # active|dormant|unreachable|parked|unknown
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_since: Mapped[datetime | None]
    moved_to: Mapped[str | None] = mapped_column(Text)
    failing_streak: Mapped[int] = mapped_column(default=0)
    parked_streak: Mapped[int] = mapped_column(default=0)
    last_update: Mapped[date | None] = mapped_column(Date)
    last_update_evidence: Mapped[dict[str, Any] | None]
    main_language: Mapped[str | None] = mapped_column(String(8))
    english_site: Mapped[str | None] = mapped_column(String(16))
    home_title: Mapped[str | None] = mapped_column(Text)  # who the home page says it is
    internationalisation: Mapped[str | None] = mapped_column(String(24))
    eu_signals: Mapped[list[Any] | None]
    # site field -> ok runs in a row that saw a weaker value (monitor.status hysteresis)
    pending_changes: Mapped[dict[str, Any] | None]
    last_crawl: Mapped[datetime | None]
    last_run_id: Mapped[int | None]
    evaluated_at: Mapped[datetime]


class StatusHistory(Base):
    __tablename__ = "status_history"
    __table_args__ = (UniqueConstraint("cluster_id", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    failing_streak: Mapped[int] = mapped_column(default=0)
    recorded_at: Mapped[datetime]


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (Index("ix_flags_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default="open")  # open|confirmed|dismissed
    created_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    evidence: Mapped[list[Any]]
    # sha256 over (cluster, kind, normalised evidence): a dismissed flag is not raised again for it
    evidence_key: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[datetime | None]


class Override(Base):
    __tablename__ = "overrides"

    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # moved_to takes a URL of any length
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime]


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[str] = mapped_column(ForeignKey("clusters.id"), index=True)
    author: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class AuditEvent(Base):
    """One change a person made (a review, an override, a note, an account, a cluster): append-only.

    `old` and `new` hold the values before and after, so replacing an override keeps the
    replaced value, its author and note here even though the overrides table holds only one.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(120))
    entity: Mapped[str] = mapped_column(String(16))  # cluster | flag | override | note | user
    entity_id: Mapped[str] = mapped_column(Text)
    cluster_id: Mapped[str | None] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40))
    old: Mapped[dict[str, Any] | None]
    new: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    # bumped by logout and password changes: session cookies issued under an older value are void
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    role: Mapped[str] = mapped_column(String(16), default="curator", server_default="curator")


class DigestOutbox(Base):
    __tablename__ = "digest_outbox"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)  # ISO week, "2026-W47"
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)  # the whole RFC 5322 message
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Lock(Base):
    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # The holding process (monitor.process_identity): a dead holder's lock is free at once.
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None]
    process_start: Mapped[str | None] = mapped_column(String(80))


class JobSlot(Base):
    __tablename__ = "job_slots"
    __table_args__ = (UniqueConstraint("job", "slot"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    slot: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)


class Candidate(Base):
    """A host that crawled pages link to and the registry does not hold (monitor/candidates.py)."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    url: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(300))
    name_ja: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    sector: Mapped[str | None] = mapped_column(String(40))
    prefecture: Mapped[str | None] = mapped_column(String(80))
    english_site: Mapped[str | None] = mapped_column(String(16))
    languages: Mapped[dict[str, Any] | None]
    evidence: Mapped[list[Any] | None]
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    cluster_id: Mapped[str | None] = mapped_column(String(64))  # once accepted
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    judged_at: Mapped[datetime | None]  # when its home page was last fetched and scored
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(120))


class CandidateSighting(Base):
    """One page that named a candidate: who (cluster or hub), where, in what words."""

    __tablename__ = "candidate_sightings"
    __table_args__ = (UniqueConstraint("candidate_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    source: Mapped[str] = mapped_column(Text)  # a cluster id, or "hub:<url>"
    cluster_id: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)  # the page holding the link
    link: Mapped[str] = mapped_column(Text)  # the link as written
    anchor: Mapped[str] = mapped_column(Text)
    snippet: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]


class Hub(Base):
    """A page listing cluster organisations, crawled for discovery (`clusterwatch hub`)."""

    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(120))
