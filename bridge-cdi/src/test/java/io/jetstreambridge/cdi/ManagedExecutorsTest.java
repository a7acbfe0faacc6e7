package io.jetstreambridge.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;

/**
 * Which threads the bridge runs on: the container's managed ones when JNDI has them; a failed look-up inside a
 * server is said once, with the JNDI name, before the bridge falls back to threads of its own.
 */
class ManagedExecutorsTest {

    /** What the naming context of the "server" holds, by JNDI name; a missing name is not found. */
    static final Map<String, Object> BOUND = new ConcurrentHashMap<>();

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger("io.jetstreambridge");
    private String factoryBefore;

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
        factoryBefore = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
        BOUND.clear();
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        if (factoryBefore == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, factoryBefore);
        }
    }

    @Test
    void aLookupThatFailsInsideAServerIsLoggedOnceWithItsJndiName() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ServerNaming.class.getName());
        ManagedExecutors executors = new ManagedExecutors();
        try {
            ExecutorService first = executors.executor();
            ExecutorService second = executors.executor();
            executors.scheduler();

            assertThat(first).isSameAs(second);
            assertThat(warnings()).hasSize(2);
            assertThat(warnings().get(0)).startsWith("JSB9010").contains(ManagedExecutors.DEFAULT_EXECUTOR)
                    .contains("NameNotFoundException");
            assertThat(warnings().get(1)).startsWith("JSB9010").contains(ManagedExecutors.DEFAULT_SCHEDULER);
        } finally {
            executors.shutdown();
        }
    }

    @Test
    void theContainersExecutorIsUsedWhenJndiHasIt() {
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, ServerNaming.class.getName());
        ExecutorService managed = Executors.newSingleThreadExecutor();
        BOUND.put(ManagedExecutors.DEFAULT_EXECUTOR, managed);
        ManagedExecutors executors = new ManagedExecutors();
        try {
            assertThat(executors.executor()).isSameAs(managed);
            assertThat(warnings()).isEmpty();
        } finally {
            executors.shutdown();
            managed.shutdownNow();
        }
    }

    @Test
    void withoutAnyNamingServiceTheBridgesOwnThreadsAreUsedWithoutAWarning() {
        System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        ManagedExecutors executors = new ManagedExecutors();
        try {
            assertThat(executors.executor()).isNotNull();
            assertThat(executors.scheduler()).isNotNull();
            assertThat(warnings()).isEmpty();
        } finally {
            executors.shutdown();
        }
    }

    private List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList();
    }

    /** The naming service of a server where only what {@link #BOUND} holds is bound. */
    public static final class ServerNaming implements InitialContextFactory {
        @Override
        public Context getInitialContext(Hashtable<?, ?> environment) {
            return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "lookup" -> {
                            Object bound = BOUND.get(String.valueOf(args[0]));
                            if (bound == null) {
                                throw new NameNotFoundException(args[0] + " not bound");
                            }
                            yield bound;
                        }
                        case "close" -> null;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
