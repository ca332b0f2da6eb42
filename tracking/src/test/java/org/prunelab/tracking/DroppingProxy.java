package org.prunelab.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP relay in front of the real server. In {@code dropResponses} mode requests still reach MLflow
 * (and are applied) but the answers are swallowed: a lost response, the case that makes retried
 * metric writes dangerous. Not a mock: MLflow does the real work behind it.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    volatile boolean dropResponses;
    /**
     * When set, a connection that carries a request containing this text (e.g. "runs/create") has its
     * responses swallowed from then on: that one call is applied by MLflow but its answer is lost.
     */
    volatile String dropResponsesToRequestsContaining;

    DroppingProxy(String upstreamUri) throws IOException {
        URI u = URI.create(upstreamUri);
        upstreamHost = u.getHost();
        upstreamPort = u.getPort();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean dropThisConnection = new AtomicBoolean();
                pump(client.getInputStream(), upstream.getOutputStream(), false, dropThisConnection);
                pump(upstream.getInputStream(), client.getOutputStream(), true, dropThisConnection);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean isResponse, AtomicBoolean dropThisConnection) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    String marker = dropResponsesToRequestsContaining;
                    if (!isResponse && marker != null
                            && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(marker)) {
                        dropThisConnection.set(true); // before the request goes on, so before its answer
                    }
                    if (isResponse && (dropResponses || dropThisConnection.get())) {
                        continue;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // connection ended
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Ends all relayed connections (so no half-dropped response is replayed to a new request). */
    void resetConnections() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        resetConnections();
    }
}
