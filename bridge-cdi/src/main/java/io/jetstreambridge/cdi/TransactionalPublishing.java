package io.jetstreambridge.cdi;

import io.jetstreambridge.publish.Publisher;

/**
 * Implemented by the transactional outbox module: when {@code jetstream.bridge.outbox.enabled} is true,
 * {@link PublisherProducer} makes {@code @Inject Publisher} the publisher it returns instead of the direct one.
 */
public interface TransactionalPublishing {

    /** The outbox publisher. */
    Publisher publisher();
}
