package io.jetstreambridge.testing.fakes;

import java.util.ArrayList;
import java.util.List;

/**
 * What the fakes saw, in order, across all of them (a message's acks and a transaction's commit in one list), so a
 * test can say "commit, then ack". Thread-safe.
 */
public final class Journal {

    private final List<String> entries = new ArrayList<>();

    public synchronized void add(String entry) {
        entries.add(entry);
    }

    /** A copy of the entries so far. */
    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized String toString() {
        return entries.toString();
    }
}
