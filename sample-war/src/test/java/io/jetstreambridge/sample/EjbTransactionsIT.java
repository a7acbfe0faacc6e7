package io.jetstreambridge.sample;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.jetstreambridge.sample.SampleClient.object;
import static io.jetstreambridge.sample.SampleClient.post;
import static io.jetstreambridge.sample.SampleClient.receivedEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishing from a {@code @Stateless} bean with container-managed transactions ({@code EjbProbes} in orders,
 * driven through the test hooks): the event reaches billing exactly when the container's transaction commits, and
 * billing's observer, a business method of a {@code @Stateless} bean ({@code EjbProbeRecorder}, {@code MANDATORY}),
 * runs in the bridge's transaction. What did not commit is proven absent by a marker published after it: events
 * of one subject arrive in order, so once the last marker is in, anything committed before it is too.
 */
class EjbTransactionsIT {

    @BeforeAll
    static void applicationsAreUp() {
        OrderInvoiceLoopIT.awaitApplications();
    }

    @Test
    void anEventLeavesExactlyWhenTheContainersTransactionCommits() {
        String run = "ejb-" + UUID.randomUUID();

        assertThat(probe("required", run + "/required")).isEqualTo("returned");
        assertThat(probe("requires-new-inside-rolled-back", run + "/nested")).isEqualTo("returned");
        assertThat(probe("set-rollback-only", run + "/rollback-only")).isEqualTo("returned");
        assertThat(probe("system-exception", run + "/system-exception")).isEqualTo("EJBException");
        assertThat(probe("application-exception-rollback", run + "/rejected")).isEqualTo("ProbeRejected");
        assertThat(probe("application-exception-commit", run + "/declined")).isEqualTo("ProbeDeclined");
        assertThat(probe("required", run + "/last")).isEqualTo("returned");

        await().atMost(OrderInvoiceLoopIT.LOOP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(markersReceived(run)).contains(run + "/last"));

        assertThat(markersReceived(run)).as("probes billing's EJB observer recorded, in order")
                .containsExactly(run + "/required", run + "/nested/inner", run + "/declined", run + "/last");
    }

    @Test
    void theProbesAreTestHooksOfOrdersOnly() {
        assertThat(post("/billing/api/test-hooks/ejb/required?marker=x", "").statusCode()).isEqualTo(404);
        assertThat(post("/orders/api/test-hooks/ejb/no-such-case?marker=x", "").statusCode()).isEqualTo(404);
    }

    private static String probe(String name, String marker) {
        HttpResponse<String> response = post("/orders/api/test-hooks/ejb/" + name + "?marker=" + marker, "");
        assertThat(response.statusCode()).as("%s: %s", name, response.body()).isEqualTo(200);
        return object(response.body()).getString("outcome");
    }

    private static List<String> markersReceived(String run) {
        return receivedEvents("billing").stream()
                .filter(e -> "ejb.probe".equals(e.getString("event_type")))
                .map(e -> e.getJsonObject("payload").getString("marker", ""))
                .filter(marker -> marker.startsWith(run))
                .toList();
    }
}
