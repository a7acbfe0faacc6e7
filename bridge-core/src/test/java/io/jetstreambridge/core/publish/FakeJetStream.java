package io.jetstreambridge.core.publish;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A JetStream context without a server, for tests of what sends through it: {@code publishAsync} records the
 * message and options and hands back a future the test completes ({@link #ack}) or leaves open (a lost ack);
 * every other method fails the test.
 */
public final class FakeJetStream {

    /** One {@code publishAsync} call: what was sent, and its ack to complete. */
    public record Sent(Message message, PublishOptions options, CompletableFuture<PublishAck> ack) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Function<Message, RuntimeException> refusal = message -> null;

    /** The context to hand to what is under test. */
    public JetStream jetStream() {
        return (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(), new Class<?>[] {JetStream.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("publishAsync") && args.length == 2
                            && args[0] instanceof Message message && args[1] instanceof PublishOptions options) {
                        RuntimeException refused = refusal.apply(message);
                        if (refused != null) {
                            throw refused;
                        }
                        CompletableFuture<PublishAck> ack = new CompletableFuture<>();
                        sent.add(new Sent(message, options, ack));
                        return ack;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "FakeJetStream";
                        };
                    }
                    throw new AssertionError("not faked: JetStream." + method.getName());
                });
    }

    /** Makes {@code publishAsync} throw what {@code refusal} returns for a message (null: send it). */
    public void refuseWith(Function<Message, RuntimeException> refusal) {
        this.refusal = refusal;
    }

    /** Every {@code publishAsync} call so far, in order. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** Completes the ack of call {@code index} as JetStream would: stored in {@code stream} with the next sequence. */
    public void ack(int index, String stream) {
        sent.get(index).ack().complete(ackOf(stream, sequence.incrementAndGet()));
    }

    /** An ack as JetStream sends it. */
    public static PublishAck ackOf(String stream, long seq) {
        Message reply = NatsMessage.builder().subject("_INBOX.fake")
                .data(("{\"stream\":\"" + stream + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8))
                .build();
        try {
            return new PublishAck(reply);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }
}
