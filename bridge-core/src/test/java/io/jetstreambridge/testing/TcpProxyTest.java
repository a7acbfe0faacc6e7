package io.jetstreambridge.testing;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TcpProxyTest {

    /**
     * The proxy reaches the host it is given, not only 127.0.0.1: DatabaseOutageCdiTest proxies to the PostgreSQL
     * that {@code jsb.test.postgres.host} names. 127.0.0.2 is another loopback address, on which only the target
     * listens.
     */
    @Test
    void forwardsToTheGivenHost() throws Exception {
        InetAddress otherLoopback = InetAddress.getByName("127.0.0.2");
        try (ServerSocket target = new ServerSocket(0, 1, otherLoopback);
             TcpProxy proxy = TcpProxy.to(otherLoopback.getHostAddress(), target.getLocalPort())) {
            Thread echo = new Thread(() -> {
                try (Socket accepted = target.accept();
                     BufferedReader in = reader(accepted);
                     PrintWriter out = writer(accepted)) {
                    out.println("echo " + in.readLine());
                } catch (Exception ignored) {
                    // the assertion below reports it
                }
            }, "echo");
            echo.setDaemon(true);
            echo.start();

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                 BufferedReader in = reader(client);
                 PrintWriter out = writer(client)) {
                client.setSoTimeout(10_000);
                out.println("ping");
                assertThat(in.readLine()).isEqualTo("echo ping");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static PrintWriter writer(Socket socket) throws Exception {
        return new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
    }
}
