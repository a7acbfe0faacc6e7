package io.jetstreambridge.core.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Row ids in ascending order, cut into IN lists small enough for every database's parameter limit. */
final class Ids {

    /** Parameters per IN list. */
    static final int CHUNK = 500;

    private Ids() {
    }

    /** The distinct ids, ascending, in lists of at most {@link #CHUNK}. */
    static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        List<List<Long>> chunks = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += CHUNK) {
            chunks.add(sorted.subList(from, Math.min(from + CHUNK, sorted.size())));
        }
        return chunks;
    }

    /** The ids of a native query's single-column result (each driver picks its own number type). */
    static List<Long> of(List<?> rows) {
        List<Long> ids = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object value = row instanceof Object[] columns ? columns[0] : row;
            ids.add(((Number) value).longValue());
        }
        return ids;
    }
}
