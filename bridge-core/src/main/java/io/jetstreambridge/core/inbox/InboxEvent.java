package io.jetstreambridge.core.inbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One consumed event id in {@code jetstream_bridge_inbox_events}. The row is written in the observers' own
 * transaction, so "processed" is committed if and only if the observers' effects are. Columns follow the Ruby
 * gem's inbox where they make sense; the event id is the key, so a second row for the same id cannot exist. The
 * index serves retention (processed rows by age); the shipped scripts
 * {@code db/jetstream-bridge/<database>/V1__jetstream_bridge_inbox.sql} create the table and the index.
 */
@Entity
@Table(name = "jetstream_bridge_inbox_events",
        indexes = @Index(name = "jetstream_bridge_inbox_events_status_processed", columnList = "status, processed_at"))
public class InboxEvent {

    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";

    @Id
    @Column(name = "event_id", length = 255, nullable = false)
    private String eventId;

    @Column(name = "event_type", length = 255, nullable = false)
    private String eventType;

    @Column(name = "resource_type", length = 255)
    private String resourceType;

    @Column(name = "resource_id", length = 255)
    private String resourceId;

    @Column(name = "subject", length = 255)
    private String subject;

    @Column(name = "stream", length = 255)
    private String stream;

    @Column(name = "stream_seq")
    private long streamSequence;

    @Column(name = "deliveries", nullable = false)
    private long deliveries;

    @Column(name = "status", length = 32, nullable = false)
    private String status;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "last_error", length = 4000)
    private String lastError;

    @Column(name = "received_at", nullable = false)
    private LocalDateTime receivedAt;

    @Column(name = "processed_at")
    private LocalDateTime processedAt;

    @Column(name = "failed_at")
    private LocalDateTime failedAt;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private LocalDateTime updatedAt;

    protected InboxEvent() {
        // for JPA
    }

    InboxEvent(String eventId, String eventType, String resourceType, String resourceId, String subject,
               String stream, long streamSequence, Instant now) {
        this.eventId = eventId;
        this.eventType = eventType;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.subject = subject;
        this.stream = stream;
        this.streamSequence = streamSequence;
        this.receivedAt = utc(now);
        this.createdAt = utc(now);
        this.updatedAt = utc(now);
    }

    void markProcessed(long deliveries, Instant now) {
        this.status = PROCESSED;
        this.deliveries = deliveries;
        this.processedAt = utc(now);
        this.updatedAt = utc(now);
    }

    void markFailed(long deliveries, String error, Instant now) {
        this.status = FAILED;
        this.deliveries = deliveries;
        this.attempts++;
        this.lastError = error;
        this.failedAt = utc(now);
        this.updatedAt = utc(now);
    }

    public String eventId() {
        return eventId;
    }

    public String status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }

    public String lastError() {
        return lastError;
    }

    public long deliveries() {
        return deliveries;
    }

    public Instant processedAt() {
        return processedAt == null ? null : processedAt.toInstant(ZoneOffset.UTC);
    }

    public Instant failedAt() {
        return failedAt == null ? null : failedAt.toInstant(ZoneOffset.UTC);
    }

    /** An INSERT of every column, for {@link #bindInsert}: a batch of new rows in one round trip. */
    static final String INSERT = "INSERT INTO jetstream_bridge_inbox_events (event_id, event_type, resource_type, "
            + "resource_id, subject, stream, stream_seq, deliveries, status, attempts, last_error, received_at, "
            + "processed_at, failed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Binds this row to {@link #INSERT}, the same values JPA would write. */
    void bindInsert(PreparedStatement insert) throws SQLException {
        insert.setString(1, eventId);
        insert.setString(2, eventType);
        setString(insert, 3, resourceType);
        setString(insert, 4, resourceId);
        setString(insert, 5, subject);
        setString(insert, 6, stream);
        insert.setLong(7, streamSequence);
        insert.setLong(8, deliveries);
        insert.setString(9, status);
        insert.setInt(10, attempts);
        setString(insert, 11, lastError);
        setTimestamp(insert, 12, receivedAt);
        setTimestamp(insert, 13, processedAt);
        setTimestamp(insert, 14, failedAt);
        setTimestamp(insert, 15, createdAt);
        setTimestamp(insert, 16, updatedAt);
    }

    private static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void setTimestamp(PreparedStatement statement, int index, LocalDateTime value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setTimestamp(index, Timestamp.valueOf(value));
        }
    }

    /** Timestamps are stored as UTC wall-clock time: JPA 3.1 maps LocalDateTime on every provider, not Instant. */
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public boolean processed() {
        return PROCESSED.equals(status);
    }
}
