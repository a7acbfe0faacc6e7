package io.jetstreambridge.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Code blocks of the docs pages, so that tests run what the pages say, as written. */
final class DocsPage {

    private DocsPage() {
    }

    /** {@code docs/<page>}: the directory comes from {@code jsb.docs.dir} (set by the build). */
    static Path path(String page) {
        return Path.of(System.getProperty("jsb.docs.dir", "../docs"), page);
    }

    /** The fenced {@code language} block right after {@code <!-- marker -->} in {@code page}. */
    static String block(String page, String marker, String language) {
        Path path = path(page);
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the docs page " + path.toAbsolutePath(), e);
        }
        Matcher block = Pattern.compile("<!-- " + Pattern.quote(marker) + " -->\\s*```" + Pattern.quote(language)
                + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        if (!block.find()) {
            throw new AssertionError("no ```" + language + " block marked <!-- " + marker + " --> in " + path);
        }
        return block.group(1);
    }
}
