package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetstreambridge.testing.NatsServerExtension;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

/**
 * What docs/migrating-from-the-ruby-gem.md says about the gem's dedupe header, checked against the real server: the
 * gem (with nats-pure) sends it as lower-case {@code nats-msg-id}, which nats-server 2.9 does not read as
 * {@code Nats-Msg-Id}, so its duplicate window does not drop a second publish; the bridge's inbox is then the only
 * dedupe for events a Rails application publishes.
 */
class LowerCaseMessageIdTest {

    @RegisterExtension
    static final NatsServerExtension NATS = NatsServerExtension.create();

    private JetStreamManagement jsm;
    private JetStream js;

    @BeforeEach
    void setUp() throws Exception {
        NATS.cleanJetStream();
        jsm = NATS.connect().jetStreamManagement();
        js = NATS.connect().jetStream();
        jsm.addStream(StreamConfiguration.builder().name("dedupe").subjects("orders.sync.billing")
                .storageType(StorageType.Memory).build());
    }

    private PublishAck publishWith(String header, String id) throws Exception {
        return js.publish(NatsMessage.builder().subject("orders.sync.billing")
                .headers(new Headers().add(header, id))
                .data("{\"event_id\":\"" + id + "\"}".getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void twoPublishesWithOneLowerCaseIdAreBothStored() throws Exception {
        PublishAck first = publishWith("nats-msg-id", "4f1c2a9e-gem");
        PublishAck second = publishWith("nats-msg-id", "4f1c2a9e-gem");

        assertThat(second.isDuplicate()).isFalse();
        assertThat(second.getSeqno()).isEqualTo(first.getSeqno() + 1);
        assertThat(jsm.getStreamInfo("dedupe").getStreamState().getMsgCount()).isEqualTo(2);
    }

    @Test
    void twoPublishesWithOneCanonicalIdAreStoredOnce() throws Exception {
        PublishAck first = publishWith("Nats-Msg-Id", "4f1c2a9e-bridge");
        PublishAck second = publishWith("Nats-Msg-Id", "4f1c2a9e-bridge");

        assertThat(second.isDuplicate()).isTrue();
        assertThat(second.getSeqno()).isEqualTo(first.getSeqno());
        assertThat(jsm.getStreamInfo("dedupe").getStreamState().getMsgCount()).isEqualTo(1);
    }
}
