package dev.meshwork.lineage;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Marquez-style lineage backend on 127.0.0.1: {@code POST /api/v1/lineage} records the body. It
 * can answer 500 for the next requests, hold requests until released, or be stopped and started
 * again on the same port, to play a slow, failing or absent backend.
 */
final class LineageReceiver implements AutoCloseable {
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger requests = new AtomicInteger();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final int port;
  private volatile CountDownLatch hold;
  private HttpServer server;

  LineageReceiver() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      this.port = s.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  LineageReceiver start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/api/v1/lineage",
        exchange -> {
          requests.incrementAndGet();
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          if (auth != null) {
            authorizations.add(auth);
          }
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          CountDownLatch h = hold;
          if (h != null) {
            try {
              h.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = 201;
          if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = 500;
          } else if (!"POST".equals(exchange.getRequestMethod())) {
            status = 405;
          } else {
            events.add(new String(body, StandardCharsets.UTF_8));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return this;
  }

  void stop() {
    if (server != null) {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
      server = null;
    }
  }

  /** The next {@code n} requests get HTTP 500. */
  void failNext(int n) {
    failNext.set(n);
  }

  /** Requests wait until {@link #release()}. */
  void holdRequests() {
    hold = new CountDownLatch(1);
  }

  void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  @Override
  public void close() {
    release();
    stop();
  }
}
