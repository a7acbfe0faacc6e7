package io.jetstreambridge.outbox.cdi;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.ConfigKey;
import io.jetstreambridge.config.ConfigProblem;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.InvalidConfigurationException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Without auto-provision the configured duplicate window is not the stream's: once connected, before the relay
 * starts, the stream's own window is checked against the outbox's retry span (the rule itself is
 * {@code OutboxSettings.duplicateWindowProblem}; with auto-provision the configuration check applies it).
 */
final class StreamWindowCheck {

    private static final Logger LOG = Logger.getLogger("io.jetstreambridge");

    private StreamWindowCheck() {
    }

    /**
     * @throws InvalidConfigurationException the stream's window is too short, or cannot be read: the relay must not
     *                                       start, as it could store a row twice
     */
    static void verify(Connection connection, BridgeConfig config) {
        String stream = config.topology().stream();
        Duration window;
        try {
            window = connection.jetStreamManagement().getStreamInfo(stream).getConfiguration().getDuplicateWindow();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            streamWindowUnreadable(stream, e);
            throw new InvalidConfigurationException(List.of(new ConfigProblem(ConfigKey.AUTO_PROVISION.fullName(),
                    "false", "needs the stream '" + stream + "' to exist and its info to be readable "
                    + "($JS.API.STREAM.INFO." + stream + "), so that the outbox relay can check its duplicate "
                    + "window; reading it failed: " + e)));
        }
        config.outbox().duplicateWindowProblem(window, config.publish().ackTimeout()).ifPresent(why -> {
            String value = Durations.format(window) + " (stream '" + stream + "', not provisioned by the bridge)";
            windowTooShort(ConfigKey.STREAM_DUPLICATE_WINDOW.fullName(), value, why);
            throw new InvalidConfigurationException(List.of(new ConfigProblem(
                    ConfigKey.STREAM_DUPLICATE_WINDOW.fullName(), value, why)));
        });
    }

    // ---- log messages of this check (outbox catalogue: JSB5002, JSB5050)

    private static void windowTooShort(String key, String value, String why) {
        LOG.severe(() -> "JSB5002: " + key + " = " + value + " " + why + ". The outbox relay does not start; rows "
                + "stay pending until the stream's window is raised and the application restarted");
    }

    private static void streamWindowUnreadable(String stream, Exception e) {
        LOG.log(Level.SEVERE, e, () -> "JSB5050: cannot read the duplicate window of stream '" + stream
                + "' to check it against the outbox's retry span; the outbox relay does not start: " + e);
    }
}
