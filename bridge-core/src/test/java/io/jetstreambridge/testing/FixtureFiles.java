package io.jetstreambridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/** File chores of the fixture: where store directories live, reading log tails, deleting trees. */
final class FixtureFiles {

    private FixtureFiles() {
    }

    /**
     * {@code <module>/target/nats}: inside the build directory so {@code mvn clean} removes leftovers and
     * a CI job can archive them, unlike {@code /tmp}. Surefire sets {@code basedir} to the module
     * directory; IDEs usually run with the module as working directory.
     */
    static Path defaultRoot() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(basedir, "target", "nats").toAbsolutePath();
    }

    static Path createUniqueDirectory(Path root, String prefix) {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a NATS store directory under " + root, e);
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** The last {@code lines} lines of a text file, or a note saying why there are none. */
    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        Deque<String> last = new ArrayDeque<>(lines);
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                if (last.size() == lines) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
        return last.isEmpty() ? "(" + file + " is empty)" : String.join("\n", last);
    }

    /** Deletes a directory tree; a tree that is already gone is fine. */
    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                try {
                    Files.deleteIfExists(path);
                } catch (NoSuchFileException ignored) {
                    // removed concurrently, which is exactly what we wanted
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
