package io.jetstreambridge.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the engines' builders check at {@code build()}: every required collaborator not given, all named in one
 * message rather than one {@code NullPointerException} per run.
 */
public final class Required {

    private final String engine;
    private final List<String> missing = new ArrayList<>();

    private Required(String engine) {
        this.engine = engine;
    }

    /** The checks of one engine's builder, named in the message. */
    public static Required of(String engine) {
        return new Required(engine);
    }

    /** Notes {@code name} as missing when {@code value} is null. */
    public Required check(String name, Object value) {
        if (value == null) {
            missing.add(name);
        }
        return this;
    }

    /** @throws IllegalStateException naming every missing collaborator, when one is */
    public void orThrow() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException(engine + " cannot be built: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set");
        }
    }
}
