package io.jetstreambridge.core.connection;

import io.nats.client.JetStreamApiException;

/**
 * The JetStream API errors the bridge tells apart, named once: the API error codes ({@code err_code}) and the one
 * HTTP-like status ({@code code}) it reacts to. Each code appeared as a constant in up to three classes before.
 */
public final class JetStreamErrors {

    /** "JetStream system temporarily unavailable": a cluster without a meta leader yet. */
    public static final int TEMPORARILY_UNAVAILABLE = 10008;
    /** The durable consumer does not exist. */
    public static final int CONSUMER_NOT_FOUND = 10014;
    /** A message get found no message at that sequence (deleted, purged, or never there). */
    public static final int NO_MESSAGE_FOUND = 10037;
    /** A stream of that name exists already (with other settings). */
    public static final int STREAM_NAME_IN_USE = 10058;
    /** The stream does not exist. */
    public static final int STREAM_NOT_FOUND = 10059;
    /** The subjects overlap with those of another stream. */
    public static final int SUBJECTS_OVERLAP = 10065;
    /** The status (not API error code) JetStream answers while a clustered stream has no leader. */
    public static final int NO_LEADER_STATUS = 503;

    private JetStreamErrors() {
    }

    /** Whether the error carries this API error code ({@code err_code}). */
    public static boolean is(JetStreamApiException e, int apiErrorCode) {
        return e.getApiErrorCode() == apiErrorCode;
    }

    /** A clustered stream without a leader (503): worth asking again once one is elected. */
    public static boolean isLeaderless(JetStreamApiException e) {
        return e.getErrorCode() == NO_LEADER_STATUS;
    }

    /** JetStream as a whole cannot answer yet (10008, or 503): provisioning waits and asks again. */
    public static boolean isTemporarilyUnavailable(JetStreamApiException e) {
        return is(e, TEMPORARILY_UNAVAILABLE) || isLeaderless(e);
    }
}
