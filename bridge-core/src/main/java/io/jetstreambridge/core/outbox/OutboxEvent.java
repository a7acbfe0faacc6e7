package io.jetstreambridge.core.outbox;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One event waiting in (or sent from) {@code jetstream_bridge_outbox_events}. Applications list this class in the
 * persistence unit that holds their business data, so the row commits with their transaction; the shipped scripts
 * {@code db/jetstream-bridge/<database>/V2__jetstream_bridge_outbox.sql} and
 * {@code V3__jetstream_bridge_outbox_indexes.sql} create the table and its indexes.
 *
 * <p>Timestamps are UTC wall-clock time in {@code LocalDateTime} (JPA 3.1 maps it on every provider, not
 * {@code Instant}), cut to microseconds, which every supported database keeps. {@code payload} is a plain
 * {@code String} of unbounded length, not a {@code @Lob}: PostgreSQL TEXT, MySQL LONGTEXT, H2 and Derby CLOB. The
 * shared cache is off: several relays in several JVMs change these rows.
 */
@Entity
@Cacheable(false)
@Table(name = OutboxEvent.TABLE,
        uniqueConstraints = @UniqueConstraint(name = "jetstream_bridge_outbox_events_event_id",
                columnNames = "event_id"),
        // the claim's index only (on PostgreSQL partial: pending rows); the per-resource and retention indexes are
        // optional scripts for outbox.ordering=resource and outbox.sent-rows=keep (docs/schema.md)
        indexes = @Index(name = "jetstream_bridge_outbox_events_claim", columnList = "status, next_attempt_at, id"))
public class OutboxEvent {

    public static final String TABLE = "jetstream_bridge_outbox_events";

    static final String PENDING = "pending";
    static final String SENT = "sent";
    static final String FAILED = "failed";

    /** Longest error text kept; the column holds 4000 characters. */
    static final int MAX_ERROR_LENGTH = 4000;
    /** Longest headers JSON the column holds. */
    static final int MAX_HEADERS_LENGTH = 4000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id", nullable = false)
    private Long id;

    @Column(name = "event_id", length = 255, nullable = false)
    private String eventId;

    @Column(name = "event_type", length = 255, nullable = false)
    private String eventType;

    @Column(name = "resource_type", length = 255)
    private String resourceType;

    @Column(name = "resource_id", length = 255)
    private String resourceId;

    @Column(name = "subject", length = 255, nullable = false)
    private String subject;

    @Column(name = "payload", length = Integer.MAX_VALUE, nullable = false)
    private String payload;

    @Column(name = "headers", length = MAX_HEADERS_LENGTH)
    private String headers;

    @Column(name = "status", length = 32, nullable = false)
    private String status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "last_error", length = MAX_ERROR_LENGTH)
    private String lastError;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "next_attempt_at", nullable = false)
    private LocalDateTime nextAttemptAt;

    @Column(name = "claimed_until")
    private LocalDateTime claimedUntil;

    @Column(name = "claimed_by", length = 255)
    private String claimedBy;

    @Column(name = "sent_at")
    private LocalDateTime sentAt;

    @Column(name = "stream_seq")
    private Long streamSequence;

    protected OutboxEvent() {
        // for JPA
    }

    OutboxEvent(NewOutboxEvent event, String headersJson, Instant now) {
        this.eventId = event.eventId();
        this.eventType = event.eventType();
        this.resourceType = event.resourceType();
        this.resourceId = event.resourceId();
        this.subject = event.subject();
        this.payload = event.body();
        this.headers = headersJson;
        this.status = PENDING;
        this.attempts = 0;
        this.createdAt = utc(now);
        this.nextAttemptAt = utc(now);
    }

    void markSent(long streamSequence, Instant now) {
        this.status = SENT;
        this.streamSequence = streamSequence;
        this.sentAt = utc(now);
        this.claimedBy = null;
        this.claimedUntil = null;
    }

    /** The relay whose lease the row carries; null when no lease is written. */
    String claimedBy() {
        return claimedBy;
    }

    /** One more failed attempt: retry at {@code retryAt}, or {@code failed} once {@code maxAttempts} are used up. */
    void attemptFailed(String error, Instant retryAt, int maxAttempts) {
        this.attempts++;
        this.lastError = cut(error, MAX_ERROR_LENGTH);
        this.nextAttemptAt = utc(retryAt);
        this.status = attempts >= maxAttempts ? FAILED : PENDING;
        this.claimedBy = null;
        this.claimedUntil = null;
    }

    /** An attempt nobody answered: retry at {@code retryAt}, without counting it. */
    void attemptUnanswered(String error, Instant retryAt) {
        this.lastError = cut(error, MAX_ERROR_LENGTH);
        this.nextAttemptAt = utc(retryAt);
        this.claimedBy = null;
        this.claimedUntil = null;
    }

    OutboxRecord toRecord(Map<String, String> decodedHeaders) {
        return new OutboxRecord(id, eventId, subject, payload, decodedHeaders, resourceType, resourceId, attempts);
    }

    OutboxRow toRow() {
        return new OutboxRow(id, eventId, eventType, resourceType, resourceId, subject, status, attempts, lastError,
                instant(createdAt), instant(nextAttemptAt), instant(sentAt));
    }

    Long id() {
        return id;
    }

    String status() {
        return status;
    }

    String headers() {
        return headers;
    }

    /** UTC wall-clock time, cut to microseconds (what PostgreSQL, MySQL, H2 and Derby all keep). */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
