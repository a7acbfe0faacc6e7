package io.jetstreambridge.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The SQL scripts the jars ship under {@code db/jetstream-bridge/<database>/}, found on the class path as Flyway
 * finds them: every directory or jar that holds the folder contributes its files.
 */
public final class ShippedScripts {

    /** The databases scripts are shipped for, by folder. */
    public enum Database {
        POSTGRESQL("postgresql"), MYSQL("mysql"), H2("h2"), DERBY("derby");

        private final String folder;

        Database(String folder) {
            this.folder = folder;
        }

        public String folder() {
            return folder;
        }

        /** The one Flyway location that spans both jars. */
        String location() {
            return "classpath:" + ROOT + folder;
        }
    }

    static final String ROOT = "db/jetstream-bridge/";

    /** {@code V<version>__<description>.sql}, version digits only: what Flyway's default naming accepts. */
    static final Pattern NAME = Pattern.compile("V([0-9]+)__([a-z0-9_]+)\\.sql");

    /** One script: {@code origin} is the class-path entry (directory or jar) that ships it. */
    public record Script(String version, String description, String fileName, String resource, String origin) {
    }

    private ShippedScripts() {
    }

    /**
     * The scripts of {@code database}, in version order (numerically). Fails on a file in the folder that is not
     * named {@code V<digits>__<description>.sql}.
     */
    public static List<Script> of(Database database) {
        List<Script> scripts = new ArrayList<>();
        String folder = ROOT + database.folder();
        try {
            for (URL url : Collections.list(ShippedScripts.class.getClassLoader().getResources(folder))) {
                for (String file : files(url)) {
                    Matcher name = NAME.matcher(file);
                    if (!name.matches()) {
                        throw new AssertionError(folder + "/" + file + " (in " + url + ") is not named "
                                + "V<version>__<description>.sql");
                    }
                    scripts.add(new Script(name.group(1), name.group(2), file, folder + "/" + file,
                            url.toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + folder + " on the class path", e);
        }
        scripts.sort(Comparator.comparing((Script s) -> Long.parseLong(s.version())));
        return scripts;
    }

    private static List<String> files(URL folder) throws IOException {
        if (folder.getProtocol().equals("file")) {
            try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                return files.map(p -> p.getFileName().toString()).sorted().toList();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (folder.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) folder.openConnection();
            connection.setUseCaches(false);
            String prefix = connection.getEntryName() + "/";
            try (JarFile jar = connection.getJarFile()) {
                return jar.stream().map(JarEntry::getName)
                        .filter(n -> n.startsWith(prefix) && n.length() > prefix.length()
                                && n.indexOf('/', prefix.length()) < 0)
                        .map(n -> n.substring(prefix.length())).sorted().toList();
            }
        }
        throw new IllegalStateException("cannot list " + folder);
    }
}
