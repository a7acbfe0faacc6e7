package io.jetstreambridge.config;

import java.time.Duration;

/** The stream as the bridge provisions it; retention is always work-queue, as the wire contract says. */
public record StreamSettings(String name, Storage storage, int replicas, Duration duplicateWindow) {

    public enum Storage { FILE, MEMORY }
}
