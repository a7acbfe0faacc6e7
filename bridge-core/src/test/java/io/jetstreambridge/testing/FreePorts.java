package io.jetstreambridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports on the loopback interface that are free right now.
 *
 * <p>All sockets of one call stay open until every port is chosen, so a single call never returns the
 * same port twice (a cluster needs nine distinct ports). Another process could still grab a port before
 * nats-server binds it; that race is accepted because it is rare and the start-up error names the port.
 */
final class FreePorts {

    private FreePorts() {
    }

    static int[] allocate(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("could not find free TCP ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    static int allocate() {
        return allocate(1)[0];
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the port was only reserved for the duration of the lookup; nothing to clean up
        }
    }
}
