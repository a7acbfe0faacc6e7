package io.jetstreambridge.core.outbox;

import io.jetstreambridge.core.transaction.Transactions;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database with the shipped outbox DDL and a persistence unit mapping {@link OutboxEvent}: transactions for the
 * store, plain JDBC for checking what committed. One per test class.
 */
interface OutboxBackend extends AutoCloseable {

    /** The dialect detected from the database's own metadata. */
    OutboxDialect dialect();

    /** Transactions of the persistence unit, as the relay gets them. */
    Transactions transactions();

    /** A plain auto-commit connection, outside any transaction of {@link #transactions()}. */
    Connection openConnection() throws SQLException;

    @Override
    void close();
}
