package io.jetstreambridge.core.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The bridge's log records while it is open, as "LEVEL message". */
final class LogCapture extends Handler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previous = LOG.getLevel();

    LogCapture() {
        setLevel(Level.ALL);
        LOG.setLevel(Level.ALL);
        LOG.addHandler(this);
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() == null && record.getMessage() != null) {
            lines.add(record.getLevel() + " " + message);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        LOG.removeHandler(this);
        LOG.setLevel(previous);
    }
}
