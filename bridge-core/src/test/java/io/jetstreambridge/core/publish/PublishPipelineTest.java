package io.jetstreambridge.core.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** The shared publish pipeline without a server: message, options, window, ack deadline, retry scheduling. */
class PublishPipelineTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FakeJetStream nats = new FakeJetStream();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private PublishPipeline pipeline(Duration ackTimeout, int window) {
        return new PublishPipeline(nats.jetStream(), "ORDERS", ackTimeout, window, executor);
    }

    @Test
    void theMessageCarriesSubjectBodyAndHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("z-last-by-name", "1");
        headers.put("a-first-by-name", "2");

        Message message = PublishPipeline.message("orders.sync.billing", headers,
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Message sorted = PublishPipeline.message("orders.sync.billing", new TreeMap<>(headers),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(message.getSubject()).isEqualTo("orders.sync.billing");
        assertThat(new String(message.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(message.getHeaders().getFirst("z-last-by-name")).isEqualTo("1");
        assertThat(message.getHeaders().getFirst("a-first-by-name")).isEqualTo("2");
        // the relay's rows give the same bytes whether their headers were read back or held since the write
        assertThat(sorted.getHeaders().getSerialized()).isEqualTo(message.getHeaders().getSerialized());
    }

    @Test
    void aHeaderJnatsRefusesIsNamed() {
        assertThatThrownBy(() -> PublishPipeline.message("s", Map.of("bad name", "v"), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header 'bad name' cannot be sent");
    }

    @Test
    void everyAttemptCarriesTheEventIdAsMessageIdAndTheExpectedStream() {
        PublishOptions options = pipeline(Duration.ofSeconds(2), 4).options("evt-1");

        assertThat(options.getMessageId()).isEqualTo("evt-1");
        assertThat(options.getExpectedStream()).isEqualTo("ORDERS");
        assertThat(options.getStreamTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aFullWindowHoldsTheNextPublishUntilAnAckFreesAPlace() {
        PublishPipeline pipeline = pipeline(Duration.ofSeconds(30), 2);
        Message message = PublishPipeline.message("s", Map.of(), new byte[0]);
        CompletableFuture<PublishAck> first = pipeline.attemptInWindow(message, pipeline.options("1"), () -> true);
        pipeline.attemptInWindow(message, pipeline.options("2"), () -> true);

        CompletableFuture<CompletableFuture<PublishAck>> third = CompletableFuture.supplyAsync(
                () -> pipeline.attemptInWindow(message, pipeline.options("3"), () -> true), executor);

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> nats.sent().size() == 2);
        assertThat(third).isNotDone();
        assertThat(pipeline.room()).isZero();

        nats.ack(0, "ORDERS");

        await().atMost(Duration.ofSeconds(5)).until(() -> nats.sent().size() == 3);
        assertThat(first.join().getStream()).isEqualTo("ORDERS");
        assertThat(nats.sent().get(2).options().getMessageId()).isEqualTo("3");
        nats.ack(1, "ORDERS");
        nats.ack(2, "ORDERS");
        assertThat(third.join().join().getSeqno()).isEqualTo(3);
        assertThat(pipeline.room()).isEqualTo(2);
    }

    @Test
    void whileDisconnectedNothingIsSentAndThePlaceIsGivenBack() {
        PublishPipeline pipeline = pipeline(Duration.ofSeconds(30), 1);

        CompletableFuture<PublishAck> attempt = pipeline.attemptInWindow(
                PublishPipeline.message("s", Map.of(), new byte[0]), pipeline.options("1"), () -> false);

        assertThat(nats.sent()).isEmpty();
        assertThat(pipeline.room()).isEqualTo(1);
        assertThat(attempt).isCompletedExceptionally();
        Throwable error = attempt.handle((ack, e) -> e).join();
        assertThat(PublishFailure.of(error)).isEqualTo(PublishFailure.UNANSWERED);
        assertThat(PublishFailure.of(error).countsAsAttempt()).isFalse();
    }

    @Test
    void anAckThatDoesNotComeInTimeFailsTheAttemptWithATimeOutAndFreesItsPlace() {
        PublishPipeline pipeline = pipeline(Duration.ofMillis(100), 1);

        CompletableFuture<PublishAck> lost = pipeline.attemptInWindow(
                PublishPipeline.message("s", Map.of(), new byte[0]), pipeline.options("1"), () -> true);

        await().atMost(Duration.ofSeconds(5)).until(lost::isDone);
        Throwable error = lost.handle((ack, e) -> e).join();
        assertThat(PublishFailure.unwrap(error)).isInstanceOf(TimeoutException.class);
        assertThat(PublishFailure.of(error)).isEqualTo(PublishFailure.TIMED_OUT);
        assertThat(pipeline.room()).isEqualTo(1);
    }

    @Test
    void aSendJnatsRefusesAtOnceIsAFailedAttemptNotAThrow() {
        PublishPipeline pipeline = pipeline(Duration.ofSeconds(30), 1);
        nats.refuseWith(message -> new IllegalArgumentException("Message payload size exceed server configuration"));

        CompletableFuture<PublishAck> attempt = pipeline.attemptInWindow(
                PublishPipeline.message("s", Map.of(), new byte[0]), pipeline.options("1"), () -> true);

        assertThat(attempt).isCompletedExceptionally();
        assertThat(PublishFailure.of(attempt.handle((ack, e) -> e).join())).isEqualTo(PublishFailure.REFUSED);
        assertThat(pipeline.room()).isEqualTo(1);
    }

    @Test
    void aRetryRunsAfterItsWaitOnTheExecutor() {
        PublishPipeline pipeline = pipeline(Duration.ofSeconds(30), 1);
        AtomicBoolean ran = new AtomicBoolean();
        long start = System.nanoTime();

        CompletableFuture<String> retried = pipeline.after(Duration.ofMillis(150), () -> {
            ran.set(true);
            return CompletableFuture.completedFuture("again");
        });

        assertThat(ran).isFalse();
        assertThat(retried.join()).isEqualTo("again");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void aWindowOfNoPlaceIsRefused() {
        assertThatThrownBy(() -> pipeline(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window");
    }
}
