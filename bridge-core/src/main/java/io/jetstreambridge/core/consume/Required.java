package io.jetstreambridge.core.consume;

import java.util.ArrayList;
import java.util.List;

/** The collaborators a builder was not given, reported all at once rather than one per attempt. */
final class Required {

    private final String built;
    private final List<String> missing = new ArrayList<>();

    Required(String built) {
        this.built = built;
    }

    /** Returns {@code value}; notes {@code what} (name and role) when it is null. */
    <T> T of(T value, String what) {
        if (value == null) {
            missing.add(what);
        }
        return value;
    }

    /** @throws IllegalStateException naming every collaborator not given */
    void check() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cannot build the " + built + ", not given: "
                    + String.join("; ", missing));
        }
    }
}
