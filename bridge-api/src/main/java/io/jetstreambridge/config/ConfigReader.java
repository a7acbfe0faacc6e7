package io.jetstreambridge.config;

import static io.jetstreambridge.config.ConfigKey.*;

import io.jetstreambridge.topology.NameRules;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One validation pass over a {@link SettingsSource}: every key is read, every problem is collected, and only a
 * configuration without problems is returned. The value of a key is the explicit one, else the preset's, else the
 * default.
 */
final class ConfigReader {

    /** The schemes jnats connects with; docs/configuration.md lists them (ConfigurationReferenceTest). */
    static final Set<String> URL_SCHEMES = Set.of("nats", "tls", "ws", "wss", "opentls");
    private static final Duration MAX_FETCH_TIMEOUT = Duration.ofMinutes(5);
    private static final java.util.regex.Pattern CLASS_NAME =
            java.util.regex.Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private enum OutboxDatabase { AUTO, POSTGRESQL, MYSQL, MARIADB, H2, DERBY }

    private final SettingsSource source;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private Preset preset = Preset.DEVELOPMENT;

    ConfigReader(SettingsSource source) {
        this.source = source;
    }

    BridgeConfig read() {
        reportUnknownKeys();
        preset = explicit(PRESET).map(this::preset).orElse(Preset.DEVELOPMENT);

        String appName = required(APP_NAME, NameRules::checkToken);
        List<String> destinations = destinations(appName);
        String streamName = text(STREAM_NAME);
        NameRules.checkStreamName(streamName).ifPresent(why -> problem(STREAM_NAME, streamName, why));

        NatsSettings nats = readNats(appName);
        StreamSettings stream = new StreamSettings(streamName,
                choice(STREAM_STORAGE, StreamSettings.Storage.class, StreamSettings.Storage.FILE),
                integer(STREAM_REPLICAS, 1, 5), positive(STREAM_DUPLICATE_WINDOW));
        ConsumerSettings consumer = readConsumer();
        PublishSettings publish = new PublishSettings(positive(PUBLISH_ACK_TIMEOUT),
                integer(PUBLISH_MAX_ATTEMPTS, 1, 100), positive(PUBLISH_RETRY_BACKOFF),
                integer(PUBLISH_ASYNC_WINDOW, 1, 65536));
        checkDuplicateWindow(stream, publish);
        boolean dlqEnabled = bool(DLQ_ENABLED);
        boolean autoProvision = bool(AUTO_PROVISION);
        InboxSettings inbox = new InboxSettings(bool(INBOX_ENABLED));
        destinations.forEach(destination -> checkInboxSubject(inbox, streamName, appName, destination));
        OutboxSettings outbox = new OutboxSettings(bool(OUTBOX_ENABLED),
                choice(OUTBOX_DATABASE, OutboxDatabase.class, OutboxDatabase.AUTO).name().toLowerCase(Locale.ROOT),
                choice(OUTBOX_ORDERING, OutboxSettings.Ordering.class, OutboxSettings.Ordering.NONE),
                choice(OUTBOX_SENT_ROWS, OutboxSettings.SentRows.class, OutboxSettings.SentRows.DELETE),
                integer(OUTBOX_BATCH_SIZE, 1, 10_000), positive(OUTBOX_POLL_INTERVAL), duration(OUTBOX_GRACE_PERIOD),
                positive(OUTBOX_LEASE), integer(OUTBOX_MAX_ATTEMPTS, 1, 1000), positive(OUTBOX_RETRY_BACKOFF));
        checkOutboxDuplicateWindow(stream, publish, outbox, autoProvision);
        RetentionSettings retention = new RetentionSettings(positive(OUTBOX_RETENTION), positive(INBOX_RETENTION),
                integer(RETENTION_BATCH_SIZE, 1, 100_000), positive(RETENTION_INTERVAL));
        HealthSettings health = readHealth(consumer, outbox);
        AdminSettings admin = new AdminSettings(bool(ADMIN_ENABLED));
        PayloadSettings payload = new PayloadSettings(
                choice(PAYLOAD_NAMING, PayloadSettings.Naming.class, PayloadSettings.Naming.IDENTITY));

        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        Peers peers = Peers.of(streamName, appName, destinations, dlqEnabled,
                explicit(CONSUMER_DELIVER_SUBJECT).orElse(null), explicit(CONSUMER_QUEUE_GROUP).orElse(null));
        return new BridgeConfig(preset, peers, autoProvision, nats, stream, consumer, inbox, outbox, retention,
                publish, health, admin, payload);
    }

    /**
     * The stall timeouts must outlast one idle wait of the loop they watch, or an idle loop would look stalled: an
     * explicit value that does not is a problem; the default grows to twice that wait when the wait is longer.
     */
    private HealthSettings readHealth(ConsumerSettings consumer, OutboxSettings outbox) {
        // the consumer shows activity per fetch and per message: its longest quiet spell is one idle fetch or one
        // message's processing, whichever is longer
        boolean processingLonger = consumer.processingTimeout().compareTo(consumer.fetchTimeout()) > 0;
        Duration consumerStall = processingLonger
                ? stallTimeout(HEALTH_CONSUMER_STALL_TIMEOUT, consumer.enabled(), CONSUMER_PROCESSING_TIMEOUT,
                        consumer.processingTimeout(), "a consumer with a slow but healthy observer")
                : stallTimeout(HEALTH_CONSUMER_STALL_TIMEOUT, consumer.enabled(), CONSUMER_FETCH_TIMEOUT,
                        consumer.fetchTimeout(), "an idle consumer");
        Duration relayStall = stallTimeout(HEALTH_RELAY_STALL_TIMEOUT, outbox.enabled(), OUTBOX_POLL_INTERVAL,
                outbox.pollInterval(), "a sweeper between two rounds");
        return new HealthSettings(consumerStall, relayStall, positive(HEALTH_CHECK_TIMEOUT));
    }

    private Duration stallTimeout(ConfigKey key, boolean watched, ConfigKey waitKey, Duration wait, String what) {
        Duration timeout = positive(key);
        if (hasProblem(key, waitKey)) {
            return timeout;
        }
        if (explicit(key).isEmpty()) {
            Duration twice = wait.multipliedBy(2);
            return twice.compareTo(timeout) > 0 ? twice : timeout;
        }
        if (watched && timeout.compareTo(wait) <= 0) {
            problem(key, value(key), "must be longer than " + waitKey.fullName() + " (" + Durations.format(wait)
                    + "), or " + what + " would be reported as stalled");
        }
        return timeout;
    }

    private NatsSettings readNats(String appName) {
        List<String> urls = urls();
        String user = explicit(NATS_USER).orElse(null);
        Secret password = Secret.of(explicit(NATS_PASSWORD).orElse(null));
        Secret token = Secret.of(explicit(NATS_TOKEN).orElse(null));
        Secret nkeySeed = Secret.of(explicit(NATS_NKEY_SEED).orElse(null));
        Path credsFile = readableFile(NATS_CREDS_FILE);
        checkAuthentication(user, password, token, nkeySeed, credsFile);

        boolean secureUrl = urls.stream().anyMatch(u -> u.startsWith("tls:") || u.startsWith("wss:"));
        TlsSettings tls = new TlsSettings(bool(NATS_TLS_ENABLED) || secureUrl, readableFile(NATS_TLS_TRUSTSTORE),
                Secret.of(explicit(NATS_TLS_TRUSTSTORE_PASSWORD).orElse(null)), readableFile(NATS_TLS_KEYSTORE),
                Secret.of(explicit(NATS_TLS_KEYSTORE_PASSWORD).orElse(null)));

        String connectionName = explicit(NATS_CONNECTION_NAME).orElse("jetstream-bridge:" + appName);
        int maxReconnects = integer(NATS_MAX_RECONNECTS, -1, Integer.MAX_VALUE);
        return new NatsSettings(urls, connectionName, user, password, token, nkeySeed, credsFile, tls,
                positive(NATS_CONNECT_TIMEOUT), duration(NATS_RECONNECT_WAIT), maxReconnects,
                positive(NATS_PING_INTERVAL), bool(NATS_LAZY_CONNECT));
    }

    private ConsumerSettings readConsumer() {
        int maxDeliver = integer(CONSUMER_MAX_DELIVER, 1, 10_000);
        List<Duration> backoff = backoff();
        if (!hasProblem(CONSUMER_MAX_DELIVER) && backoff.size() >= maxDeliver) {
            problem(CONSUMER_BACKOFF, value(CONSUMER_BACKOFF), "has " + backoff.size() + " steps but "
                    + CONSUMER_MAX_DELIVER.fullName() + " is " + maxDeliver + ": the bridge dead-letters at delivery "
                    + maxDeliver + ", so a step after the first " + (maxDeliver - 1) + " is never used; give at most "
                    + (maxDeliver - 1) + " here, or raise max-deliver");
        }
        Duration fetchTimeout = positive(CONSUMER_FETCH_TIMEOUT);
        if (fetchTimeout.compareTo(MAX_FETCH_TIMEOUT) > 0) {
            problem(CONSUMER_FETCH_TIMEOUT, value(CONSUMER_FETCH_TIMEOUT), "must be at most 5m");
        }
        ConsumerSettings.Mode mode = choice(CONSUMER_MODE, ConsumerSettings.Mode.class, ConsumerSettings.Mode.PULL);
        explicit(CONSUMER_DELIVER_SUBJECT).ifPresent(s -> checkSubject(CONSUMER_DELIVER_SUBJECT, s));
        explicit(CONSUMER_QUEUE_GROUP).ifPresent(g -> NameRules.checkToken(g)
                .ifPresent(why -> problem(CONSUMER_QUEUE_GROUP, g, why)));
        Duration ackWait = positive(CONSUMER_ACK_WAIT);
        if (backoff.isEmpty() && !hasProblem(CONSUMER_ACK_WAIT)
                && ackWait.compareTo(ConsumerSettings.SHORTEST_ACK_WAIT) < 0) {
            problem(CONSUMER_ACK_WAIT, value(CONSUMER_ACK_WAIT), "must be at least "
                    + Durations.format(ConsumerSettings.SHORTEST_ACK_WAIT) + " without " + CONSUMER_BACKOFF.fullName()
                    + ": in-progress acks (every " + Durations.format(ConsumerSettings.SHORTEST_KEEP_ALIVE_INTERVAL)
                    + " at most) could not keep a slow observer's message from being redelivered meanwhile");
        }
        int concurrency = integer(CONSUMER_CONCURRENCY, 1, 64);
        return new ConsumerSettings(bool(CONSUMER_ENABLED), mode, integer(CONSUMER_BATCH_SIZE, 1, 10_000),
                fetchTimeout, maxDeliver, ackWait, backoff, concurrency,
                positive(CONSUMER_PROCESSING_TIMEOUT), positive(CONSUMER_DRAIN_TIMEOUT), exceptionNames(),
                choice(CONSUMER_UNOBSERVED_EVENTS, ConsumerSettings.UnobservedEvents.class,
                        ConsumerSettings.UnobservedEvents.ACK),
                // the watch reads and deletes by stream sequence: $JS.API calls restricted mode does not make
                // (auto-provision's own problems are reported where it is read)
                explicit(CONSUMER_MAX_DELIVERIES_WATCH).isPresent() ? bool(CONSUMER_MAX_DELIVERIES_WATCH)
                        : "true".equalsIgnoreCase(value(AUTO_PROVISION)),
                maxAckPending(mode, concurrency),
                choice(CONSUMER_DRIFT, ConsumerSettings.Drift.class, ConsumerSettings.Drift.UPDATE));
    }

    /**
     * Push mode bounds what the server sends ahead of the workers (each waiting message costs keep-alives);
     * pull mode asks for what it can take, so there the server's default stays unless one is configured.
     */
    private int maxAckPending(ConsumerSettings.Mode mode, int concurrency) {
        if (explicit(CONSUMER_MAX_ACK_PENDING).isEmpty()) {
            return mode == ConsumerSettings.Mode.PUSH ? concurrency * ConsumerSettings.PUSH_ACK_PENDING_PER_WORKER
                    : 0;
        }
        int maxAckPending = integer(CONSUMER_MAX_ACK_PENDING, 1, 1_000_000);
        if (!hasProblem(CONSUMER_MAX_ACK_PENDING, CONSUMER_CONCURRENCY) && maxAckPending < concurrency) {
            problem(CONSUMER_MAX_ACK_PENDING, value(CONSUMER_MAX_ACK_PENDING), "must be at least "
                    + CONSUMER_CONCURRENCY.fullName() + " (" + concurrency + "): with fewer messages handed out "
                    + "than workers, workers stay idle");
        }
        return maxAckPending;
    }

    private List<String> exceptionNames() {
        Optional<String> raw = explicit(CONSUMER_UNRECOVERABLE_EXCEPTIONS);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : raw.get().split(",")) {
            String name = part.trim();
            if (!CLASS_NAME.matcher(name).matches()) {
                problem(CONSUMER_UNRECOVERABLE_EXCEPTIONS, raw.get(), "'" + name + "' is not a class name; write "
                        + "fully qualified names separated by commas, e.g. com.acme.InvalidOrderException");
            }
            names.add(name);
        }
        return names;
    }

    private void checkDuplicateWindow(StreamSettings stream, PublishSettings publish) {
        if (hasProblem(STREAM_DUPLICATE_WINDOW, PUBLISH_ACK_TIMEOUT, PUBLISH_MAX_ATTEMPTS, PUBLISH_RETRY_BACKOFF)) {
            return; // already reported; the values read are placeholders
        }
        Duration span = publish.worstCaseSpan();
        if (stream.duplicateWindow().compareTo(span) <= 0) {
            problem(STREAM_DUPLICATE_WINDOW, value(STREAM_DUPLICATE_WINDOW), "must be longer than the longest "
                    + "time one publish can be retried (" + Durations.format(span) + " with publish.ack-timeout, "
                    + "publish.max-attempts and publish.retry-backoff as set), or a retried event can be stored twice");
        }
    }

    /**
     * The outbox republishes a row with the same id over {@link OutboxSettings#retrySpan}: the window must cover it.
     * Checked on the configured window only when the bridge provisions the stream; otherwise the stream's own window
     * is checked once connected.
     */
    private void checkOutboxDuplicateWindow(StreamSettings stream, PublishSettings publish, OutboxSettings outbox,
                                            boolean autoProvision) {
        if (!autoProvision || hasProblem(STREAM_DUPLICATE_WINDOW, PUBLISH_ACK_TIMEOUT, OUTBOX_POLL_INTERVAL,
                OUTBOX_GRACE_PERIOD, OUTBOX_LEASE, OUTBOX_MAX_ATTEMPTS, OUTBOX_RETRY_BACKOFF)) {
            return;
        }
        outbox.duplicateWindowProblem(stream.duplicateWindow(), publish.ackTimeout())
                .ifPresent(why -> problem(STREAM_DUPLICATE_WINDOW, value(STREAM_DUPLICATE_WINDOW), why));
    }

    private void checkAuthentication(String user, Secret password, Secret token, Secret nkeySeed, Path credsFile) {
        List<String> kinds = new ArrayList<>();
        if (user != null || password != null) {
            kinds.add("user/password");
        }
        if (token != null) {
            kinds.add(NATS_TOKEN.fullName());
        }
        if (nkeySeed != null) {
            kinds.add(NATS_NKEY_SEED.fullName());
        }
        if (explicit(NATS_CREDS_FILE).isPresent()) {
            kinds.add(NATS_CREDS_FILE.fullName());
        }
        if (kinds.size() > 1) {
            problem(NATS_USER, user, "choose one authentication kind, found " + String.join(" and ", kinds));
        }
        if (user != null && password == null) {
            problem(NATS_PASSWORD, null, "is required when " + NATS_USER.fullName() + " is set");
        }
        if (password != null && user == null) {
            problem(NATS_USER, null, "is required when " + NATS_PASSWORD.fullName() + " is set");
        }
        if (nkeySeed != null) {
            String seed = nkeySeed.reveal();
            if (!seed.startsWith("SU") || seed.length() != 58) {
                problem(NATS_NKEY_SEED, mask(NATS_NKEY_SEED, seed),
                        "must be a user nkey seed: 58 characters starting with SU");
            }
        }
    }

    private List<String> urls() {
        String raw = explicit(NATS_URLS)
                .or(() -> nonBlank(source.get("NATS_URLS")))
                .or(() -> nonBlank(source.get("NATS_URL")))
                .orElse(NATS_URLS.defaultValue());
        List<String> urls = new ArrayList<>();
        for (String part : raw.split(",")) {
            String url = part.trim();
            if (url.isEmpty()) {
                continue;
            }
            checkUrl(url).ifPresent(why -> problem(NATS_URLS, NatsSettings.redactUrls(raw), why));
            urls.add(url);
        }
        if (urls.isEmpty()) {
            problem(NATS_URLS, NatsSettings.redactUrls(raw),
                    "must name at least one server, e.g. nats://127.0.0.1:4222");
        }
        return urls;
    }

    /** What is wrong with one URL; the message quotes it with any user info masked. */
    private static Optional<String> checkUrl(String rawUrl) {
        String url = "'" + NatsSettings.redactUrls(rawUrl) + "'";
        String withScheme = rawUrl.contains("://") ? rawUrl : "nats://" + rawUrl;
        try {
            URI uri = new URI(withScheme);
            if (!URL_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                return Optional.of(url + " has scheme " + uri.getScheme() + "; allowed: nats, tls, opentls, ws, wss");
            }
            if (uri.getHost() == null) {
                return Optional.of(url + " has no host; expected e.g. nats://host:4222");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                return Optional.of(url + " has port " + uri.getPort() + "; allowed 1 to 65535");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(url + " is not a URL: " + e.getReason());
        }
    }

    private List<Duration> backoff() {
        String raw = value(CONSUMER_BACKOFF);
        if (raw == null || raw.isBlank() || raw.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Duration> steps = new ArrayList<>();
        for (String part : raw.split(",")) {
            try {
                Duration step = Durations.parse(part);
                if (step.isZero()) {
                    problem(CONSUMER_BACKOFF, raw, "step '" + part.trim() + "' must be longer than zero");
                } else if (step.compareTo(ConsumerSettings.SHORTEST_ACK_WAIT) < 0) {
                    problem(CONSUMER_BACKOFF, raw, "step '" + part.trim() + "' must be at least "
                            + Durations.format(ConsumerSettings.SHORTEST_ACK_WAIT) + ": the server redelivers a "
                            + "message after the step, and in-progress acks (every "
                            + Durations.format(ConsumerSettings.SHORTEST_KEEP_ALIVE_INTERVAL) + " at most) could "
                            + "not keep a slow observer's message from going to another worker meanwhile");
                }
                steps.add(step);
            } catch (IllegalArgumentException e) {
                problem(CONSUMER_BACKOFF, raw, "step " + e.getMessage() + "; write steps comma-separated, "
                        + "or 'none'");
            }
        }
        return steps;
    }

    /**
     * The peers: {@code destination-app} (one) or {@code destination-apps} (several, the first the primary one), never
     * both. Each is a destination by the naming rules, not this application, listed once, and every durable
     * ({@code {app}-workers-{peer}} for a further peer) fits the server's name length.
     */
    private List<String> destinations(String appName) {
        Optional<String> one = explicit(DESTINATION_APP);
        Optional<String> several = explicit(DESTINATION_APPS);
        if (one.isPresent() && several.isPresent()) {
            problem(DESTINATION_APPS, several.get(), "set either " + DESTINATION_APP.fullName() + " (one peer, here '"
                    + one.get() + "') or " + DESTINATION_APPS.fullName() + " (several), not both");
            return List.of();
        }
        if (several.isEmpty()) {
            String destination = required(DESTINATION_APP, NameRules::checkDestination);
            if (destination == null) {
                return List.of();
            }
            if (destination.equals(appName)) {
                problem(DESTINATION_APP, destination, "must differ from " + APP_NAME.fullName()
                        + ": an application would consume its own events");
            }
            return List.of(destination);
        }
        String raw = several.get();
        List<String> destinations = new ArrayList<>();
        for (String part : raw.split(",", -1)) {
            String destination = part.trim();
            if (destination.isEmpty()) {
                problem(DESTINATION_APPS, raw, "has an empty entry; write the peers comma-separated, e.g. "
                        + "billing,shipping");
                continue;
            }
            Optional<String> why = NameRules.checkDestination(destination);
            if (why.isPresent()) {
                problem(DESTINATION_APPS, raw, "'" + destination + "' " + why.get());
            } else if (destination.equals(appName)) {
                problem(DESTINATION_APPS, raw, "'" + destination + "' is " + APP_NAME.fullName()
                        + ": an application would consume its own events");
            } else if (destinations.contains(destination)) {
                problem(DESTINATION_APPS, raw, "'" + destination + "' is listed twice");
            } else if (appName != null && !destinations.isEmpty()
                    && Peers.durableName(appName, destination, false).length() > NameRules.MAX_LENGTH) {
                problem(DESTINATION_APPS, raw, "the durable of '" + destination + "', "
                        + "{app}-workers-{peer}, would be " + Peers.durableName(appName, destination, false).length()
                        + " characters long, at most " + NameRules.MAX_LENGTH + " allowed: shorten "
                        + APP_NAME.fullName() + " or the peer's name");
            }
            destinations.add(destination);
        }
        if (destinations.size() > 1) {
            explicit(CONSUMER_DELIVER_SUBJECT).ifPresent(subject -> problem(CONSUMER_DELIVER_SUBJECT, subject,
                    "serves one peer; with several " + DESTINATION_APPS.fullName() + " leave it unset, each peer's "
                            + "push consumer then delivers to {peer}.sync.{app}.worker"));
        }
        return hasProblem(DESTINATION_APPS) ? List.of() : List.copyOf(destinations);
    }

    /** The inbox records each event's subject, {destination}.sync.{app}, which the naming rules allow up to 516. */
    private void checkInboxSubject(InboxSettings inbox, String streamName, String appName, String destination) {
        if (!inbox.enabled() || streamName == null || appName == null || destination == null) {
            return;
        }
        int length = Topology.of(streamName, appName, destination).consumeSubject().length();
        if (length > InboxSettings.TEXT_COLUMN_LENGTH) {
            problem(INBOX_ENABLED, value(INBOX_ENABLED), "the consume subject {destination}.sync.{app} is " + length
                    + " characters long, the inbox records at most " + InboxSettings.TEXT_COLUMN_LENGTH
                    + ": shorten " + APP_NAME.fullName() + " or " + DESTINATION_APP.fullName() + " (together at most "
                    + (InboxSettings.TEXT_COLUMN_LENGTH - ".sync.".length()) + " characters)");
        }
    }

    private void checkSubject(ConfigKey key, String subject) {
        boolean valid = !subject.startsWith(".") && !subject.endsWith(".") && !subject.contains("..")
                && subject.chars().noneMatch(c -> c == '*' || c == '>' || Character.isWhitespace(c));
        if (!valid) {
            problem(key, subject, "must be a subject without wildcards, whitespace or empty tokens");
        }
    }

    private void reportUnknownKeys() {
        for (String name : source.names()) {
            if (name.startsWith(PREFIX) && ConfigKey.byName(name).isEmpty() && !environmentSpelling(name)) {
                String hint = closestKey(name.substring(PREFIX.length()))
                        .map(k -> "unknown key; did you mean " + k.fullName() + "?")
                        .orElse("unknown key; see docs/configuration.md for the keys");
                problems.add(new ConfigProblem(name, null, hint));
            }
        }
    }

    /**
     * SmallRye Config (Open Liberty, WildFly, the admin command line) lists an environment variable such as
     * {@code JETSTREAM_BRIDGE_CONSUMER_MAX_DELIVER} under the lower-case dotted name
     * {@code jetstream.bridge.consumer.max.deliver}, while it resolves the key {@code ...max-deliver} from it. Such
     * a name is known when it is a key's dotted spelling and that key has a value; the same spelling in a file,
     * which no key reads, is still reported.
     */
    private boolean environmentSpelling(String name) {
        return Arrays.stream(ConfigKey.values())
                .filter(key -> key.fullName().replace('-', '.').equals(name))
                .anyMatch(key -> explicit(key).isPresent());
    }

    private static Optional<ConfigKey> closestKey(String shortName) {
        return Arrays.stream(ConfigKey.values())
                .filter(k -> editDistance(k.shortName(), shortName) <= 3)
                .min((a, b) -> editDistance(a.shortName(), shortName) - editDistance(b.shortName(), shortName));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---- typed reads: each returns a usable placeholder after recording a problem, so reading goes on

    private Preset preset(String raw) {
        return Preset.byName(raw).orElseGet(() -> {
            problem(PRESET, raw, "allowed: " + Preset.allowedNames());
            return Preset.DEVELOPMENT;
        });
    }

    private String required(ConfigKey key, Function<String, Optional<String>> rule) {
        Optional<String> value = explicit(key);
        if (value.isEmpty()) {
            problem(key, null, "is required: " + NameRules.TOKEN_ALLOWED);
            return null;
        }
        rule.apply(value.get()).ifPresent(why -> problem(key, value.get(), why));
        return value.get();
    }

    private String text(ConfigKey key) {
        return value(key);
    }

    private boolean bool(ConfigKey key) {
        String raw = value(key);
        if ("true".equalsIgnoreCase(raw)) {
            return true;
        }
        if (!"false".equalsIgnoreCase(raw)) {
            problem(key, raw, "allowed: true or false");
        }
        return false;
    }

    private int integer(ConfigKey key, int min, int max) {
        String raw = value(key);
        String allowed = max == Integer.MAX_VALUE ? "a whole number, at least " + min
                : "a whole number from " + min + " to " + max;
        try {
            int parsed = Integer.parseInt(raw.replace("_", ""));
            if (parsed < min || parsed > max) {
                problem(key, raw, allowed);
                return min;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problem(key, raw, allowed);
            return min;
        }
    }

    private Duration duration(ConfigKey key) {
        String raw = value(key);
        try {
            return Durations.parse(raw);
        } catch (IllegalArgumentException e) {
            problem(key, raw, "allowed: " + Durations.ALLOWED);
            return Duration.ZERO;
        }
    }

    private Duration positive(ConfigKey key) {
        Duration d = duration(key);
        if (d.isZero() && !hasProblem(key)) {
            problem(key, value(key), "must be longer than zero");
        }
        return d;
    }

    private <E extends Enum<E>> E choice(ConfigKey key, Class<E> type, E fallback) {
        String raw = value(key);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.trim())
                    || constant.name().replace('_', '-').equalsIgnoreCase(raw.trim())) {
                return constant;
            }
        }
        problem(key, raw, "allowed: " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().replace('_', '-').toLowerCase(Locale.ROOT)).reduce((a, b) -> a + ", " + b).orElse(""));
        return fallback;
    }

    private Path readableFile(ConfigKey key) {
        Optional<String> raw = explicit(key);
        if (raw.isEmpty()) {
            return null;
        }
        Path path = Path.of(raw.get());
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            problem(key, raw.get(), "must be a readable file; nothing readable is at " + path.toAbsolutePath());
        }
        return path;
    }

    private Optional<String> explicit(ConfigKey key) {
        return nonBlank(source.get(key.fullName()));
    }

    private String value(ConfigKey key) {
        return explicit(key).or(() -> preset.defaultFor(key)).orElse(key.defaultValue());
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private boolean hasProblem(ConfigKey... keys) {
        return Arrays.stream(keys).anyMatch(key -> problems.stream().anyMatch(p -> p.key().equals(key.fullName())));
    }

    private void problem(ConfigKey key, String value, String allowed) {
        problems.add(new ConfigProblem(key.fullName(), mask(key, value), allowed));
    }

    private static String mask(ConfigKey key, String value) {
        return key.secret() && value != null ? "******" : value;
    }
}
