package io.jetstreambridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 made with {@code openssl}, and a PKCS12 truststore with
 * the CA made with {@code keytool}, under the given directory.
 */
final class Pki {

    static final String STORE_PASSWORD = "trust-secret";

    private final Path dir;

    private Pki(Path dir) {
        this.dir = dir;
    }

    static Pki create(Path dir) {
        Pki pki = new Pki(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pki.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Fault Suite CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        pki.run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server-key.pem", "-out", "server.csr", "-subj", "/CN=localhost");
        try {
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                    + "extendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pki.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
        pki.run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "fault-suite-ca", "-file", "ca.pem", "-keystore", "truststore.p12", "-storetype",
                "PKCS12", "-storepass", STORE_PASSWORD);
        return pki;
    }

    Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The server's {@code tls} block: TLS required on the client port. */
    String serverTlsBlock() {
        return """
                tls {
                  cert_file: "%s"
                  key_file: "%s"
                  timeout: 2
                }
                """.formatted(dir.resolve("server.pem"), dir.resolve("server-key.pem"));
    }

    private void run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pki.log").toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", new ArrayList<>(List.of(command)))
                        + " failed:\n" + Files.readString(dir.resolve("pki.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
