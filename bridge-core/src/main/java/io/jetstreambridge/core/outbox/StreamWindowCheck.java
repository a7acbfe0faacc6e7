package io.jetstreambridge.core.outbox;

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

/**
 * Without auto-provision the configured duplicate window is not the stream's: once connected, before the relay
 * starts, the stream's own window is checked against the outbox's retry span. The rule itself is bridge-api's
 * {@code OutboxSettings.duplicateWindowProblem}, which the configuration's validation applies to the configured
 * window with auto-provision; this engine only reads the window the stream really has and applies the same rule.
 */
public final class StreamWindowCheck {

    private StreamWindowCheck() {
    }

    /**
     * @throws InvalidConfigurationException the stream's window is too short, or cannot be read: the relay must not
     *                                       start, as it could store a row twice
     */
    public static void verify(Connection connection, BridgeConfig config) {
        String stream = config.topology().stream();
        Duration window;
        try {
            window = connection.jetStreamManagement().getStreamInfo(stream).getConfiguration().getDuplicateWindow();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            OutboxLog.streamWindowUnreadable(stream, e);
            throw new InvalidConfigurationException(List.of(new ConfigProblem(ConfigKey.AUTO_PROVISION.fullName(),
                    "false", "needs the stream '" + stream + "' to exist and its info to be readable "
                    + "($JS.API.STREAM.INFO." + stream + "), so that the outbox relay can check its duplicate "
                    + "window; reading it failed: " + e)));
        }
        config.outbox().duplicateWindowProblem(window, config.publish().ackTimeout()).ifPresent(why -> {
            String value = Durations.format(window) + " (stream '" + stream + "', not provisioned by the bridge)";
            OutboxLog.duplicateWindowTooShort(ConfigKey.STREAM_DUPLICATE_WINDOW.fullName(), value, why);
            throw new InvalidConfigurationException(List.of(new ConfigProblem(
                    ConfigKey.STREAM_DUPLICATE_WINDOW.fullName(), value, why)));
        });
    }
}
