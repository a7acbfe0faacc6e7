package io.jetstreambridge.core.transaction;

import jakarta.persistence.EntityManager;

import java.util.function.Function;

/**
 * Runs work in a transaction of its own with the application's entity manager: JTA in a container
 * ({@code UserTransaction}), the test harness in tests. The relay and sweeper use nothing else.
 */
@FunctionalInterface
public interface Transactions {

    <T> T inTransaction(Function<EntityManager, T> work);
}
