package io.jetstreambridge.config;

/**
 * The optional JAX-RS admin resources.
 *
 * @param enabled whether they serve requests; off, every admin path answers 404
 */
public record AdminSettings(boolean enabled) {

    /** The role a caller needs; the resources declare it with {@code @RolesAllowed} and check it themselves. */
    public static final String ROLE = "jetstream-bridge-admin";
}
