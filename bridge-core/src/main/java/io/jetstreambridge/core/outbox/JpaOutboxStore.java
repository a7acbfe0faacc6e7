package io.jetstreambridge.core.outbox;

import io.jetstreambridge.config.OutboxSettings.SentRows;
import jakarta.json.spi.JsonProvider;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.Query;

import java.lang.ref.WeakReference;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The outbox table through standard JPA: portable JPQL everywhere except the claims' candidate queries, which are
 * native SQL finished by the {@link OutboxDialect} (row locks that skip locked rows, paging). Every method works in
 * the caller's transaction. Id lists go to the database in chunks of {@value Ids#CHUNK}.
 *
 * <p>A lease holds until {@code claimed_until}, exclusive: at that instant the row is claimable again. A claim never
 * takes a leased row, whoever holds the lease; {@link #release} and {@link #markAttemptFailed} end it early.
 */
public final class JpaOutboxStore implements OutboxStore {

    private final OutboxDialect dialect;
    private final SentRows sentRows;
    private final HeadersJson headers;
    /** The row this thread appended last, to tell whether its transaction still holds it unwritten. */
    private final ThreadLocal<WeakReference<OutboxEvent>> lastAppended = new ThreadLocal<>();

    /**
     * A store for the database of {@code dialect} (see {@link OutboxDialect#detect}) that deletes rows once sent, the
     * default of {@code outbox.sent-rows}.
     */
    public JpaOutboxStore(OutboxDialect dialect) {
        this(dialect, SentRows.DELETE);
    }

    /** A store for the database of {@code dialect} that deletes or keeps rows once sent. */
    public JpaOutboxStore(OutboxDialect dialect, SentRows sentRows) {
        this(dialect, sentRows, JsonProvider.provider());
    }

    public JpaOutboxStore(OutboxDialect dialect, SentRows sentRows, JsonProvider json) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.sentRows = Objects.requireNonNull(sentRows, "sentRows");
        this.headers = new HeadersJson(Objects.requireNonNull(json, "json"));
    }

    /** The dialect this store speaks. */
    public OutboxDialect dialect() {
        return dialect;
    }

    /**
     * Persists the row without flushing: it is inserted with the caller's own changes at commit, in the same flush.
     * A flush per append cost a second pass over the transaction's changes and an extra round trip. Only when this
     * transaction already holds an unwritten row is it flushed first, because a provider may insert one entity
     * class's new rows in any order (EclipseLink does), and per-resource ordering relies on ids in call order.
     */
    @Override
    public LongSupplier append(EntityManager em, NewOutboxEvent event, Instant now) {
        Objects.requireNonNull(event, "event");
        OutboxEvent row = new OutboxEvent(event, headers.write(event.headers()), now);
        WeakReference<OutboxEvent> previous = lastAppended.get();
        OutboxEvent unwritten = previous == null ? null : previous.get();
        if (unwritten != null && unwritten.id() == null && em.contains(unwritten)) {
            em.flush();
        }
        em.persist(row);
        lastAppended.set(new WeakReference<>(row));
        return () -> {
            Long id = row.id();
            if (id == null) {
                throw new IllegalStateException("outbox row " + event.eventId() + " has no id yet: it is written "
                        + "when its transaction commits");
            }
            return id;
        };
    }

    @Override
    public List<OutboxRecord> claimIds(EntityManager em, Collection<Long> ids, String owner, Instant now,
                                       Duration lease) {
        return records(em, lease(em, ids, owner, now, lease, false));
    }

    @Override
    public List<Long> leaseUnattempted(EntityManager em, Collection<Long> ids, String owner, Instant now,
                                       Duration lease) {
        return lease(em, ids, owner, now, lease, true);
    }

    /** Leases those of {@code ids} that are pending and not leased (and never attempted, if asked). */
    private List<Long> lease(EntityManager em, Collection<Long> ids, String owner, Instant now, Duration lease,
                             boolean unattempted) {
        LocalDateTime until = leaseEnd(owner, now, lease);
        List<Long> claimed = new ArrayList<>();
        for (List<Long> chunk : Ids.chunks(ids)) {
            claimed.addAll(dialect.claimMode().claim(em, Ids.of(byIds(em, ClaimSql.ID, chunk, now, unattempted)
                    .getResultList()), owner, until, OutboxEvent.utc(now), unattempted ? ClaimMode.UNATTEMPTED : ""));
        }
        return claimed;
    }

    /** The claim query of one chunk of ids, finished by the dialect (locked where it skips locked rows). */
    private Query byIds(EntityManager em, String columns, List<Long> chunk, Instant now, boolean unattempted) {
        Query query = em.createNativeQuery(dialect.claimQuery(ClaimSql.byIds(columns, chunk.size(), unattempted),
                chunk.size())).setParameter(1, timestamp(now));
        for (int i = 0; i < chunk.size(); i++) {
            query.setParameter(i + 2, chunk.get(i));
        }
        return query;
    }

    @Override
    public List<OutboxRecord> claimDue(EntityManager em, int limit, String owner, Instant now,
                                       Instant createdBefore, Duration lease, boolean perResource) {
        positive(limit, "limit");
        LocalDateTime until = leaseEnd(owner, now, lease);
        List<?> candidates = em.createNativeQuery(dialect.claimQuery(ClaimSql.due(ClaimSql.ID, perResource), limit))
                .setParameter(1, timestamp(now))
                .setParameter(2, timestamp(createdBefore))
                .getResultList();
        List<Long> claimed = dialect.claimMode().claim(em, Ids.of(candidates), owner, until, OutboxEvent.utc(now),
                ClaimMode.DUE);
        return records(em, claimed);
    }

    @Override
    public boolean locksRows() {
        return dialect.claimMode() == ClaimMode.SKIP_LOCKED;
    }

    @Override
    public List<OutboxRecord> lockIds(EntityManager em, Collection<Long> ids, Instant now) {
        requireRowLocks();
        List<OutboxRecord> locked = new ArrayList<>(ids.size());
        for (List<Long> chunk : Ids.chunks(ids)) {
            locked.addAll(records(byIds(em, ClaimSql.RECORD, chunk, now, false).getResultList()));
        }
        return locked;
    }

    @Override
    public List<Long> lockUnattempted(EntityManager em, Collection<Long> ids, Instant now) {
        requireRowLocks();
        List<Long> locked = new ArrayList<>(ids.size());
        for (List<Long> chunk : Ids.chunks(ids)) {
            locked.addAll(Ids.of(byIds(em, ClaimSql.ID, chunk, now, true).getResultList()));
        }
        return locked;
    }

    @Override
    public List<OutboxRecord> lockDue(EntityManager em, int limit, Instant now, Instant createdBefore,
                                      boolean perResource) {
        positive(limit, "limit");
        requireRowLocks();
        List<OutboxRecord> locked = records(em.createNativeQuery(
                        dialect.claimQuery(ClaimSql.due(ClaimSql.RECORD, perResource), limit))
                .setParameter(1, timestamp(now))
                .setParameter(2, timestamp(createdBefore))
                .getResultList());
        locked.sort(Comparator.comparingLong(OutboxRecord::id));
        return locked;
    }

    private void requireRowLocks() {
        if (!locksRows()) {
            throw new UnsupportedOperationException("the outbox dialect " + dialect
                    + " cannot skip locked rows: claim with a lease (claimIds, claimDue)");
        }
    }

    /** Records from the columns of {@link ClaimSql#RECORD}, read in one native query instead of entity loads. */
    private List<OutboxRecord> records(List<?> rows) {
        List<OutboxRecord> records = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            records.add(new OutboxRecord(((Number) c[0]).longValue(), (String) c[1], (String) c[2], text(c[3]),
                    headers.read(text(c[4])), (String) c[5], (String) c[6], ((Number) c[7]).intValue()));
        }
        return records;
    }

    /** A text column's value: a String, or a CLOB where the driver hands out one. */
    private static String text(Object value) {
        if (value instanceof Clob clob) {
            try {
                return clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new PersistenceException("reading an outbox text column failed", e);
            }
        }
        return (String) value;
    }

    /** What {@code outbox.sent-rows} this store applies to rows JetStream acknowledged. */
    public SentRows sentRows() {
        return sentRows;
    }

    /**
     * Over JDBC on the transaction's own connection, as the dialect does it (one round trip; EclipseLink binds the
     * parameters of a JPQL update in time quadratic in their number, which made a 500-row CASE update cost more
     * than the publishes), with EclipseLink and Hibernate alike ({@link TransactionConnection}); through JPQL only
     * when the provider lends its connection neither way. Deleting is the default because marking a row sent writes
     * a new version of it into every index (its status is indexed), 20 to 50 times the cost of the delete on
     * PostgreSQL (docs/outbox.md, "What a relayed row costs").
     */
    @Override
    public void finishSent(EntityManager em, Collection<Sent> sent, Instant now) {
        if (sent.isEmpty()) {
            return;
        }
        if (connection(em, connection -> finishSent(connection, List.copyOf(sent), now)).isPresent()) {
            return;
        }
        if (sentRows == SentRows.DELETE) {
            for (List<Long> chunk : Ids.chunks(sent.stream().map(Sent::id).toList())) {
                em.createQuery("DELETE FROM OutboxEvent e WHERE e.id IN :ids").setParameter("ids", chunk)
                        .executeUpdate();
            }
        } else {
            Map<Long, Long> sequences = new HashMap<>();
            sent.forEach(s -> sequences.put(s.id(), s.streamSequence()));
            for (List<Long> chunk : Ids.chunks(sequences.keySet())) {
                markSent(em, chunk, sequences, now);
            }
        }
    }

    private int finishSent(Connection connection, List<Sent> sent, Instant now) throws SQLException {
        if (sentRows == SentRows.DELETE) {
            dialect.deleteSent(connection, sent);
        } else {
            dialect.markSent(connection, sent, Timestamp.valueOf(OutboxEvent.utc(now)));
        }
        return sent.size();
    }

    /** {@code work} on the connection of the transaction {@code em} works in; empty when the provider lends none. */
    private static <T> Optional<T> connection(EntityManager em, TransactionConnection.JdbcWork<T> work) {
        try {
            return TransactionConnection.apply(em, work);
        } catch (SQLException e) {
            throw new PersistenceException("native outbox statement failed: " + e.getMessage(), e);
        }
    }

    /**
     * One UPDATE for a chunk, each row's stream sequence chosen by a CASE on its id: one round trip instead of a
     * read and a write per row. The chunk is padded (its last id repeated) to a power of two, so the provider sees
     * at most a handful of distinct statements and its parse cache keeps them.
     */
    private static void markSent(EntityManager em, List<Long> chunk, Map<Long, Long> sequences, Instant now) {
        int size = Math.min(Ids.CHUNK, Integer.highestOneBit(chunk.size() - 1) << 1);
        size = Math.max(size, chunk.size());
        StringBuilder jpql = new StringBuilder("UPDATE OutboxEvent e SET e.status = :sent, e.sentAt = :now, "
                + "e.claimedBy = NULL, e.claimedUntil = NULL, e.streamSequence = CASE e.id");
        for (int i = 0; i < size; i++) {
            jpql.append(" WHEN :id").append(i).append(" THEN :seq").append(i);
        }
        jpql.append(" ELSE e.streamSequence END WHERE e.id IN :ids");
        List<Long> ids = new ArrayList<>(size);
        Query update = em.createQuery(jpql.toString())
                .setParameter("sent", OutboxEvent.SENT)
                .setParameter("now", OutboxEvent.utc(now));
        for (int i = 0; i < size; i++) {
            Long id = chunk.get(Math.min(i, chunk.size() - 1));
            ids.add(id);
            update.setParameter("id" + i, id).setParameter("seq" + i, sequences.get(id));
        }
        update.setParameter("ids", ids).executeUpdate();
    }

    @Override
    public void markAttemptFailed(EntityManager em, long id, String owner, String error, Instant now,
                                  Instant retryAt, int maxAttempts) {
        positive(maxAttempts, "maxAttempts");
        Objects.requireNonNull(owner, "owner");
        // locked, so a claim by another relay cannot slip in between this check and the update
        OutboxEvent row = em.find(OutboxEvent.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null || !OutboxEvent.PENDING.equals(row.status())) {
            return; // deleted, or another relay sent it (or gave up on it) after this one's lease ran out
        }
        if (row.claimedBy() != null && !owner.equals(row.claimedBy())) {
            return; // this relay's lease ran out and another relay holds the row now: its attempt decides
        }
        row.attemptFailed(error, retryAt, maxAttempts);
        em.flush();
    }

    @Override
    public void markAttemptUnanswered(EntityManager em, long id, String owner, String error, Instant retryAt) {
        Objects.requireNonNull(owner, "owner");
        OutboxEvent row = em.find(OutboxEvent.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (row == null || !OutboxEvent.PENDING.equals(row.status())) {
            return; // deleted, or another relay sent it (or gave up on it) after this one's lease ran out
        }
        if (row.claimedBy() != null && !owner.equals(row.claimedBy())) {
            return; // this relay's lease ran out and another relay holds the row now: its attempt decides
        }
        row.attemptUnanswered(error, retryAt);
        em.flush();
    }

    @Override
    public int release(EntityManager em, String owner) {
        Objects.requireNonNull(owner, "owner");
        return em.createQuery("UPDATE OutboxEvent e SET e.claimedBy = NULL, e.claimedUntil = NULL "
                        + "WHERE e.claimedBy = :owner AND e.status = :pending")
                .setParameter("owner", owner)
                .setParameter("pending", OutboxEvent.PENDING)
                .executeUpdate();
    }

    @Override
    public boolean retry(EntityManager em, String eventId, Instant now) {
        return backToPending(em, "e.eventId = :eventId", now)
                .setParameter("eventId", eventId)
                .executeUpdate() == 1;
    }

    /** A failed row back to pending with fresh attempts, due now and unclaimed; {@code key} picks the rows. */
    private static Query backToPending(EntityManager em, String key, Instant now) {
        return em.createQuery("UPDATE OutboxEvent e SET e.status = :pending, e.attempts = 0, "
                        + "e.nextAttemptAt = :now, e.claimedBy = NULL, e.claimedUntil = NULL "
                        + "WHERE " + key + " AND e.status = :failed")
                .setParameter("pending", OutboxEvent.PENDING)
                .setParameter("now", OutboxEvent.utc(now))
                .setParameter("failed", OutboxEvent.FAILED);
    }

    @Override
    public List<OutboxRow> failed(EntityManager em, FailedRows which, long afterId, int limit) {
        positive(limit, "limit");
        return matching(em, "SELECT e FROM OutboxEvent e", which, afterId, OutboxEvent.class)
                .setMaxResults(limit)
                .getResultList().stream().map(OutboxEvent::toRow).toList();
    }

    /** Ids first, then an update by key: the update locks only this batch's rows, however many match. */
    @Override
    public Retried retryFailed(EntityManager em, FailedRows which, long afterId, int limit, Instant now) {
        positive(limit, "limit");
        List<Long> ids = matching(em, "SELECT e.id FROM OutboxEvent e", which, afterId, Long.class)
                .setMaxResults(limit)
                .getResultList();
        if (ids.isEmpty()) {
            return new Retried(0, 0);
        }
        int retried = 0;
        for (List<Long> chunk : Ids.chunks(ids)) {
            retried += backToPending(em, "e.id IN :ids", now)
                    .setParameter("ids", chunk)
                    .executeUpdate();
        }
        return new Retried(retried, ids.get(ids.size() - 1));
    }

    /** Failed rows matching the filter above {@code afterId}, in id order. */
    private static <T> jakarta.persistence.TypedQuery<T> matching(EntityManager em, String select, FailedRows which,
                                                                   long afterId, Class<T> type) {
        StringBuilder jpql = new StringBuilder(select).append(" WHERE e.status = :failed AND e.id > :after");
        if (which.eventType() != null) {
            jpql.append(" AND e.eventType = :type");
        }
        if (which.createdBefore() != null) {
            jpql.append(" AND e.createdAt < :before");
        }
        jakarta.persistence.TypedQuery<T> query = em.createQuery(jpql.append(" ORDER BY e.id").toString(), type)
                .setParameter("failed", OutboxEvent.FAILED)
                .setParameter("after", afterId);
        if (which.eventType() != null) {
            query.setParameter("type", which.eventType());
        }
        if (which.createdBefore() != null) {
            query.setParameter("before", OutboxEvent.utc(which.createdBefore()));
        }
        return query;
    }

    @Override
    public boolean discard(EntityManager em, String eventId) {
        return em.createQuery("DELETE FROM OutboxEvent e WHERE e.eventId = :eventId AND e.status = :failed")
                .setParameter("eventId", eventId)
                .setParameter("failed", OutboxEvent.FAILED)
                .executeUpdate() == 1;
    }

    @Override
    public int deleteSent(EntityManager em, Instant sentBefore, int limit) {
        positive(limit, "limit");
        // ids first, then a delete by key: the delete locks only these rows, however large the table
        List<Long> ids = em.createQuery("SELECT e.id FROM OutboxEvent e WHERE e.status = :sent "
                        + "AND e.sentAt < :before ORDER BY e.id", Long.class)
                .setParameter("sent", OutboxEvent.SENT)
                .setParameter("before", OutboxEvent.utc(sentBefore))
                .setMaxResults(limit)
                .getResultList();
        int deleted = 0;
        for (List<Long> chunk : Ids.chunks(ids)) {
            deleted += em.createQuery("DELETE FROM OutboxEvent e WHERE e.id IN :ids AND e.status = :sent")
                    .setParameter("ids", chunk)
                    .setParameter("sent", OutboxEvent.SENT)
                    .executeUpdate();
        }
        return deleted;
    }

    @Override
    public Backlog backlog(EntityManager em) {
        List<Object[]> groups = em.createQuery("SELECT e.status, COUNT(e), MIN(e.createdAt) FROM OutboxEvent e "
                        + "WHERE e.status IN :statuses GROUP BY e.status", Object[].class)
                .setParameter("statuses", List.of(OutboxEvent.PENDING, OutboxEvent.FAILED))
                .getResultList();
        long pending = 0;
        long failed = 0;
        Instant oldest = null;
        for (Object[] group : groups) {
            long count = ((Number) group[1]).longValue();
            if (OutboxEvent.PENDING.equals(group[0])) {
                pending = count;
                oldest = OutboxEvent.instant((LocalDateTime) group[2]);
            } else {
                failed = count;
            }
        }
        return new Backlog(pending, oldest, failed);
    }

    private List<OutboxRecord> records(EntityManager em, List<Long> ids) {
        List<OutboxRecord> records = new ArrayList<>(ids.size());
        for (List<Long> chunk : Ids.chunks(ids)) {
            for (OutboxEvent row : rows(em, chunk)) {
                records.add(row.toRecord(headers.read(row.headers())));
            }
        }
        return records;
    }

    private static List<OutboxEvent> rows(EntityManager em, List<Long> ids) {
        return em.createQuery("SELECT e FROM OutboxEvent e WHERE e.id IN :ids ORDER BY e.id", OutboxEvent.class)
                .setParameter("ids", ids)
                .getResultList();
    }

    private static LocalDateTime leaseEnd(String owner, Instant now, Duration lease) {
        Objects.requireNonNull(owner, "owner");
        if (lease.isNegative()) {
            throw new IllegalArgumentException("lease must not be negative: " + lease);
        }
        return OutboxEvent.utc(now.plus(lease));
    }

    /** A timestamp parameter of a native query, bound by the provider exactly as it binds the entity's fields. */
    private static LocalDateTime timestamp(Instant instant) {
        return OutboxEvent.utc(instant);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
