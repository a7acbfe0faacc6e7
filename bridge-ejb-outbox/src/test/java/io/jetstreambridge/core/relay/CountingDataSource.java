package io.jetstreambridge.core.relay;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DataSource that counts what goes over JDBC: statements sent to the database (a JDBC batch is one), by the
 * first word of their SQL, and the values and text characters read from result sets. Tests measure with it what a
 * code path costs the database, without a server-side extension.
 */
final class CountingDataSource {

    private final Map<String, AtomicLong> statements = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong characters = new AtomicLong();

    /** What was counted since the last reset. */
    record Counts(Map<String, Long> statements, long rows, long values, long characters) {

        long statementCount() {
            return statements.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    DataSource wrap(DataSource target) {
        return proxy(DataSource.class, target, (method, args, result) -> result instanceof Connection connection
                ? proxy(Connection.class, connection, this::onConnection) : result);
    }

    Counts take() {
        Map<String, Long> byKind = new java.util.TreeMap<>();
        statements.forEach((kind, count) -> byKind.put(kind, count.get()));
        Counts counts = new Counts(byKind, rows.get(), values.get(), characters.get());
        statements.clear();
        rows.set(0);
        values.set(0);
        characters.set(0);
        return counts;
    }

    private Object onConnection(Method method, Object[] args, Object result) {
        if (result instanceof Statement statement) {
            String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
            Class<? extends Statement> type = result instanceof java.sql.PreparedStatement
                    ? java.sql.PreparedStatement.class : Statement.class;
            return proxy(type, statement, (m, a, r) -> onStatement(sql, m, a, r));
        }
        return result;
    }

    private Object onStatement(String preparedSql, Method method, Object[] args, Object result) {
        String name = method.getName();
        if (name.startsWith("execute")) {
            String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : preparedSql;
            statements.computeIfAbsent(kind(sql), k -> new AtomicLong()).incrementAndGet();
        }
        if (result instanceof ResultSet resultSet) {
            return proxy(ResultSet.class, resultSet, (m, a, r) -> r);
        }
        return result;
    }

    private static String kind(String sql) {
        String text = sql == null ? "?" : sql.strip();
        int space = text.indexOf(' ');
        return (space < 0 ? text : text.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }

    private interface After {
        Object apply(Method method, Object[] args, Object result) throws Exception;
    }

    private <T> T proxy(Class<T> type, Object target, After after) {
        InvocationHandler handler = (proxy, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (type == ResultSet.class) {
                countRead(target, method, result);
            }
            return after.apply(method, args, result);
        };
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[]{type},
                handler));
    }

    private void countRead(Object resultSet, Method method, Object result) throws java.sql.SQLException {
        String name = method.getName();
        if (name.equals("next") && Boolean.TRUE.equals(result)) {
            rows.incrementAndGet();
        } else if (name.startsWith("get") && method.getParameterCount() >= 1 && !name.equals("getMetaData")
                && !name.equals("getStatement") && !name.equals("getWarnings") && !name.equals("getType")
                && !name.equals("getConcurrency") && !name.equals("getHoldability") && !name.equals("getFetchSize")
                && !name.equals("getRow")) {
            values.incrementAndGet();
            if (result instanceof String text) {
                characters.addAndGet(text.length());
            } else if (result instanceof java.sql.Clob clob) {
                characters.addAndGet(clob.length());
            }
        }
    }
}
