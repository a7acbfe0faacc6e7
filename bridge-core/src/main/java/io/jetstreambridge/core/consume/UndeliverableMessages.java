package io.jetstreambridge.core.consume;

import io.jetstreambridge.core.connection.JetStreamErrors;
import io.jetstreambridge.topology.Topology;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the messages on the consumer's subject that the server will not deliver again: it gave up on them at its
 * {@code max_deliver} without an ack, and in a work-queue stream they stay forever. Consumer info does not list
 * them, but it bounds them soundly: every message the durable was delivered and that is not pending is either acked
 * (gone from a work-queue stream) or given up on. A message still on the subject at or below the bound is one of
 * the latter:
 *
 * <ul>
 *   <li>the ack floor's stream sequence: below it nothing is pending;</li>
 *   <li>when nothing is pending at all ({@code num_ack_pending} 0), the last delivered stream sequence.</li>
 * </ul>
 *
 * A message given up on above the ack floor while others are pending is found once those are acked (or the ack
 * floor passes it). The messages are found with message gets, "next on the subject from sequence n", up to a limit:
 * one request when there is none.
 */
public final class UndeliverableMessages {


    private final JetStreamManagement jsm;
    private final Topology topology;

    public UndeliverableMessages(JetStreamManagement jsm, Topology topology) {
        this.jsm = Objects.requireNonNull(jsm, "jsm");
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    /** The highest stream sequence at or below which a message still on the subject is given up on. */
    public static long bound(ConsumerInfo info) {
        return info.getNumAckPending() == 0 ? info.getDelivered().getStreamSequence()
                : info.getAckFloor().getStreamSequence();
    }

    /** The stream sequences of such messages, oldest first, at most {@code limit}. */
    public List<Long> find(ConsumerInfo info, int limit) throws IOException, JetStreamApiException {
        long bound = bound(info);
        List<Long> found = new ArrayList<>();
        long from = 1;
        while (found.size() < limit && from <= bound) {
            MessageInfo next;
            try {
                next = jsm.getNextMessage(topology.stream(), from, topology.consumeSubject());
            } catch (JetStreamApiException e) {
                if (JetStreamErrors.is(e, JetStreamErrors.NO_MESSAGE_FOUND)) {
                    break;
                }
                throw e;
            }
            if (next.getSeq() > bound) {
                break;
            }
            found.add(next.getSeq());
            from = next.getSeq() + 1;
        }
        return found;
    }

    /** As {@link #find(ConsumerInfo, int)}, with the durable's info read now. */
    public List<Long> find(int limit) throws IOException, JetStreamApiException {
        return find(jsm.getConsumerInfo(topology.stream(), topology.durableName()), limit);
    }
}
