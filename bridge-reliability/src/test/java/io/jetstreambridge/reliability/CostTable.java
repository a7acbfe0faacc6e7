package io.jetstreambridge.reliability;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The bench's CPU cost per event of each party, as {@code docs/scaling-costs.properties} holds it (the bench writes
 * that file; the scaling run only reads it): microseconds of CPU per event, keys {@code <party>.cpu_us}.
 */
record CostTable(Map<String, Double> micros, Path source) {

    /** The parties of one event's way, in order, with the names the page gives them. */
    static final Map<String, String> PARTIES = parties();

    private static Map<String, String> parties() {
        Map<String, String> parties = new LinkedHashMap<>();
        parties.put("writer.cpu_us", "writer's transaction");
        parties.put("relay.cpu_us", "relay");
        parties.put("nats.store.cpu_us", "nats-server storing");
        parties.put("nats.deliver.cpu_us", "nats-server delivering");
        parties.put("consumer.cpu_us", "consumer with inbox");
        parties.put("pg.producer.cpu_us", "PostgreSQL, producer side");
        parties.put("pg.consumer.cpu_us", "PostgreSQL, consumer side");
        return java.util.Collections.unmodifiableMap(parties);
    }

    CostTable {
        // in the parties' order, for the page
        micros = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(micros));
    }

    /** Reads the file; every party's key must be there and be a number of zero or more, or it says which are not. */
    static CostTable read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cost table " + file, e);
        }
        return of(properties, file);
    }

    static CostTable of(Properties properties, Path source) {
        Map<String, Double> micros = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String key : PARTIES.keySet()) {
            String value = properties.getProperty(key);
            if (value == null || value.isBlank()) {
                problems.add(key + " is missing");
                continue;
            }
            try {
                double parsed = Double.parseDouble(value.trim());
                if (parsed < 0 || Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                    problems.add(key + " = " + value + " is not a cost");
                } else {
                    micros.put(key, parsed);
                }
            } catch (NumberFormatException e) {
                problems.add(key + " = " + value + " is not a number");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cost table " + source + ": " + String.join("; ", problems));
        }
        return new CostTable(micros, source);
    }

    double get(String key) {
        Double value = micros.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no party " + key + " in " + source);
        }
        return value;
    }

    /** The publishing application's JVM per event: its writer's transaction and its relay. */
    double publisherJvm() {
        return get("writer.cpu_us") + get("relay.cpu_us");
    }

    double consumerJvm() {
        return get("consumer.cpu_us");
    }

    /** nats-server per event on one host: each of the {@code replicas} servers stores it, the leader delivers it. */
    double natsServers(int replicas) {
        return get("nats.store.cpu_us") * replicas + get("nats.deliver.cpu_us");
    }

    double postgres() {
        return get("pg.producer.cpu_us") + get("pg.consumer.cpu_us");
    }
}
