/**
 * The operator's command line ({@code jetstream-bridge-admin.jar}), internal: one class per command over
 * bridge-core's engines, with the library's configuration keys read from a file and the environment.
 *
 * <p>Internal: only {@link io.jetstreambridge.admin.AdminCli} is public (the jar's main class); the commands, their
 * options, output and exit codes are documented in {@code docs/operations.md}.
 */
package io.jetstreambridge.admin;
