package io.jetstreambridge.core.inbox;

import io.jetstreambridge.config.InboxSettings;
import io.jetstreambridge.consume.JetstreamEvent;
import io.jetstreambridge.consume.UnrecoverableEventException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes inbox rows through the caller's {@link EntityManager}, inside the caller's transaction.
 *
 * <p>Two deliveries of one event id at the same moment (two workers, two instances): the first inserts the row
 * and flushes before its observers run; the second's insert waits on the primary key until the first commits and
 * then fails with an {@link InboxConflictException}: its transaction rolls back, and the caller treats it as handled
 * elsewhere (never as a failure of the event). So observers' effects happen once.
 */
public final class InboxStore {

    /** Longest error text kept; the column holds 4000 characters. */
    static final int MAX_ERROR_LENGTH = 4000;

    /** Ids per locking read of {@link #claimAll}, well below every database's limit of bind parameters. */
    static final int CLAIM_CHUNK = 500;

    private final Clock clock;

    public InboxStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Marks the event processed in the current transaction.
     *
     * @return false when an earlier transaction already processed it: the observers must not run again
     * @throws UnrecoverableEventException when a value of the event is longer than its column
     * @throws InboxConflictException when another delivery of the event wrote the row meanwhile
     */
    public boolean claim(EntityManager em, JetstreamEvent event) {
        requireFits(event);
        InboxEvent row = em.find(InboxEvent.class, event.eventId(), LockModeType.PESSIMISTIC_WRITE);
        if (row != null && row.processed()) {
            return false;
        }
        try {
            if (row == null) {
                row = newRow(event);
                row.markProcessed(event.deliveryCount(), clock.instant());
                em.persist(row);
            } else {
                row.markProcessed(event.deliveryCount(), clock.instant());
            }
            em.flush(); // a concurrent delivery of the same id fails here, before any observer runs
        } catch (RuntimeException e) {
            throw conflictOr(e, event.eventId());
        }
        return true;
    }

    /** An {@link InboxConflictException} when another claim of the inbox row won over this one, else itself. */
    private static RuntimeException conflictOr(RuntimeException error, String eventId) {
        return InboxConflictException.isRowConflict(error) ? new InboxConflictException(eventId, error) : error;
    }

    /**
     * Marks a batch of events processed in the current transaction, with one locking read per
     * {@value #CLAIM_CHUNK} ids and one flush before any observer runs (the same guarantee as {@link #claim}).
     *
     * @return the events whose observers must run, in order: without those an earlier transaction processed, and
     *         without a repeated event id's later copies
     */
    public List<JetstreamEvent> claimAll(EntityManager em, List<JetstreamEvent> events) {
        events.forEach(InboxStore::requireFits);
        List<String> ids = events.stream().map(JetstreamEvent::eventId).distinct().sorted().toList();
        Map<String, InboxEvent> rows = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CLAIM_CHUNK) {
            em.createQuery("SELECT i FROM InboxEvent i WHERE i.eventId IN :ids", InboxEvent.class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + CLAIM_CHUNK)))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .forEach(row -> rows.put(row.eventId(), row));
        }
        List<JetstreamEvent> fresh = new ArrayList<>(events.size());
        List<InboxEvent> inserts = new ArrayList<>(events.size());
        Set<String> claimed = new HashSet<>();
        for (JetstreamEvent event : events) {
            InboxEvent row = rows.get(event.eventId());
            if (!claimed.add(event.eventId()) || row != null && row.processed()) {
                continue;
            }
            if (row == null) {
                row = newRow(event);
                inserts.add(row);
            }
            row.markProcessed(event.deliveryCount(), clock.instant());
            fresh.add(event);
        }
        insert(em, inserts);
        em.flush(); // as in claim: a concurrent delivery of one of these ids fails here, before any observer runs
        return fresh;
    }

    /**
     * New rows in one JDBC batch on the transaction's own connection (one round trip, where JPA providers without
     * batch writing configured send one INSERT per row); through {@code persist} when the provider does not hand
     * out its connection (Hibernate).
     */
    private static void insert(EntityManager em, List<InboxEvent> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Connection connection;
        try {
            connection = em.unwrap(Connection.class);
        } catch (RuntimeException e) {
            connection = null;
        }
        if (connection == null) {
            rows.forEach(em::persist);
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(InboxEvent.INSERT)) {
            for (InboxEvent row : rows) {
                row.bindInsert(insert);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new PersistenceException("inserting " + rows.size() + " inbox rows failed: " + e.getMessage(), e);
        }
    }

    /**
     * Records a failed attempt; call it in a transaction of its own so the record outlives the rollback. An event
     * with a value longer than its column is not recorded: it cannot be, and its dead letter says why.
     */
    public void recordFailure(EntityManager em, JetstreamEvent event, Throwable error) {
        if (tooLong(event).isPresent()) {
            return;
        }
        InboxEvent row = em.find(InboxEvent.class, event.eventId(), LockModeType.PESSIMISTIC_WRITE);
        if (row != null && row.processed()) {
            return;
        }
        if (row == null) {
            row = newRow(event);
            em.persist(row);
        }
        row.markFailed(event.deliveryCount(), describe(error), clock.instant());
    }

    /**
     * Deletes at most {@code limit} rows past their retention: processed before {@code before}, or failed (the
     * event was dead-lettered, or never came back) and last updated, that is last failed, before it; a bounded
     * batch, so the table is never locked for long. {@code updated_at}, not {@code failed_at}, because rows moved
     * from the Ruby gem's inbox may have no failure time. A failed event replayed after its row is gone is simply
     * recorded anew.
     *
     * @return rows deleted
     */
    public int deleteOld(EntityManager em, Instant before, int limit) {
        List<String> ids = em.createQuery("SELECT i.eventId FROM InboxEvent i "
                        + "WHERE (i.status = :processed AND i.processedAt < :before) "
                        + "OR (i.status = :failed AND i.updatedAt < :before)", String.class)
                .setParameter("processed", InboxEvent.PROCESSED)
                .setParameter("failed", InboxEvent.FAILED)
                .setParameter("before", LocalDateTime.ofInstant(before, ZoneOffset.UTC))
                .setMaxResults(limit)
                .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        return em.createQuery("DELETE FROM InboxEvent i WHERE i.eventId IN :ids").setParameter("ids", ids)
                .executeUpdate();
    }

    /** The inbox row of an event id, if any. */
    public InboxEvent find(EntityManager em, String eventId) {
        return em.find(InboxEvent.class, eventId);
    }

    private InboxEvent newRow(JetstreamEvent event) {
        return new InboxEvent(event.eventId(), event.eventType(), event.resourceType(),
                event.resourceId().orElse(null), event.subject(), event.stream(), event.streamSequence(),
                clock.instant());
    }

    /** Refuses an event a column cannot hold: it could never be recorded, so no retry can help. */
    private static void requireFits(JetstreamEvent event) {
        tooLong(event).ifPresent(why -> {
            throw new UnrecoverableEventException(why);
        });
    }

    /** What of the event is longer than its inbox column, if anything. */
    static Optional<String> tooLong(JetstreamEvent event) {
        if (fits(event.eventId()) && fits(event.eventType()) && fits(event.resourceType())
                && fits(event.resourceId().orElse(null)) && fits(event.subject()) && fits(event.stream())) {
            return Optional.empty(); // every event but a rare one: checked without building the description's map
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("event_id", event.eventId());
        values.put("event_type", event.eventType());
        values.put("resource_type", event.resourceType());
        values.put("resource_id", event.resourceId().orElse(null));
        values.put("subject", event.subject());
        values.put("stream", event.stream());
        return values.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().length() > InboxSettings.TEXT_COLUMN_LENGTH)
                .findFirst()
                .map(e -> "the event's " + e.getKey() + " is " + e.getValue().length() + " characters long, longer "
                        + "than the inbox column holds (" + InboxSettings.TEXT_COLUMN_LENGTH + "): it can never be recorded");
    }

    private static boolean fits(String value) {
        return value == null || value.length() <= InboxSettings.TEXT_COLUMN_LENGTH;
    }

    static String describe(Throwable error) {
        String text = error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
