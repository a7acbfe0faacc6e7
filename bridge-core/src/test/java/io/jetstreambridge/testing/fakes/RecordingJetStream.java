package io.jetstreambridge.testing.fakes;

import io.nats.client.JetStream;
import io.nats.client.Message;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link JetStream} whose {@code publish(Message, …)} records the message and writes {@code publish {subject}} to
 * the {@link Journal} (returning no ack, which the dead-letter publisher does not read), or fails as a server that
 * does not store it. Every other call fails: a test using it needs nothing else.
 */
public final class RecordingJetStream {

    private final Journal journal;
    private final List<Message> published = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;
    private final JetStream jetStream;

    public RecordingJetStream(Journal journal) {
        this.journal = journal;
        this.jetStream = (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(),
                new Class<?>[]{JetStream.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "publish" -> publish(args);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "recording JetStream";
                    default -> throw new UnsupportedOperationException(method.getName() + " in a fake JetStream");
                });
    }

    private Object publish(Object[] args) {
        if (!(args[0] instanceof Message message)) {
            throw new UnsupportedOperationException("publish of a Message only, in a fake JetStream");
        }
        RuntimeException refused = failure;
        if (refused != null) {
            journal.add("publish failed " + message.getSubject());
            throw refused;
        }
        published.add(message);
        journal.add("publish " + message.getSubject());
        return null;
    }

    public JetStream jetStream() {
        return jetStream;
    }

    /** Every later publish throws this. */
    public RecordingJetStream publishFails(RuntimeException refused) {
        this.failure = refused;
        return this;
    }

    public List<Message> published() {
        return List.copyOf(published);
    }
}
