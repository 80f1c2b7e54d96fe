package dev.meshwork.iceberg;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Iceberg REST catalog for tests: Iceberg's own REST servlet and adapter (the server side of
 * the REST spec, from Iceberg's test fixtures) over a JDBC catalog in SQLite, served by Jetty on
 * 127.0.0.1. Faults can be injected into snapshot commits, and the server can be stopped and
 * restarted on the same port with the same catalog.
 */
public final class InProcessRestCatalog implements AutoCloseable {

  /** What the server does with a commit that adds a snapshot. */
  enum CommitFault {
    /** Applies it. */
    NONE,
    /**
     * Applies it, then answers 502 Bad Gateway to it and to every later request (the catalog went
     * down right after the commit): the client cannot know that it landed.
     */
    APPLY_THEN_502,
    /** Answers 502 Bad Gateway without applying it, and to every later request. */
    DROP_WITH_502
  }

  private final JdbcCatalog backend;
  private final RESTCatalogAdapter adapter;
  private final CommitFaults faults = new CommitFaults();
  private Server server;
  private int port;

  private InProcessRestCatalog(JdbcCatalog backend) {
    this.backend = backend;
    this.adapter = new RESTCatalogAdapter(backend);
  }

  /**
   * Starts a server whose catalog lives in {@code dir} and puts tables under {@code warehouse};
   * {@code io} configures the server's FileIO (for metadata files on S3).
   */
  public static InProcessRestCatalog start(Path dir, String warehouse, Map<String, String> io)
      throws Exception {
    Map<String, String> props = new LinkedHashMap<>(io);
    props.put(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("rest-backend.db"));
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    props.put("jdbc.schema-version", "V1");
    JdbcCatalog backend = new JdbcCatalog();
    backend.setConf(new org.apache.hadoop.conf.Configuration());
    backend.initialize("rest_backend", props);
    InProcessRestCatalog rest = new InProcessRestCatalog(backend);
    rest.listen(0);
    return rest;
  }

  private void listen(int wanted) throws Exception {
    Server s = new Server();
    ServerConnector connector = new ServerConnector(s);
    connector.setHost("127.0.0.1");
    connector.setPort(wanted);
    connector.setReuseAddress(true);
    s.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
    context.addFilter(
        new org.eclipse.jetty.ee10.servlet.FilterHolder(faults),
        "/*",
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    s.setHandler(context);
    s.start();
    this.server = s;
    this.port = connector.getLocalPort();
  }

  /** The catalog URL clients use. */
  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  /** Sets what happens to the next snapshot commits; {@code NONE} also brings the server back. */
  void commitFault(CommitFault fault) {
    faults.fault = fault;
    faults.down = false;
  }

  /** Snapshot commits the server applied. */
  int appliedCommits() {
    return faults.applied.get();
  }

  /** Stops answering: clients get connection refused. */
  void stop() throws Exception {
    server.stop();
  }

  /** Answers again, on the same port, with the same catalog. */
  void restart() throws Exception {
    listen(port);
  }

  @Override
  public void close() throws Exception {
    server.stop();
    backend.close();
  }

  /**
   * Injects faults into snapshot commits on the wire: a POST to a table whose body adds a snapshot.
   * The answer is the REST spec's error body with status 502 (a gateway whose catalog is down).
   */
  private static final class CommitFaults implements Filter {
    volatile CommitFault fault = CommitFault.NONE;
    volatile boolean down;
    final AtomicInteger applied = new AtomicInteger();

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      if (down) {
        unavailable((HttpServletResponse) res, "injected: catalog unavailable");
        return;
      }
      HttpServletRequest http = (HttpServletRequest) req;
      if (!"POST".equals(http.getMethod())
          || !http.getRequestURI().matches(".*/v1/namespaces/[^/]+/tables/[^/]+")) {
        chain.doFilter(req, res);
        return;
      }
      byte[] body = http.getInputStream().readAllBytes();
      HttpServletRequest replay = new Replay(http, body);
      if (!new String(body, StandardCharsets.UTF_8).contains("\"add-snapshot\"")) {
        chain.doFilter(replay, res);
        return;
      }
      CommitFault now = fault;
      if (now == CommitFault.DROP_WITH_502) {
        down = true;
        unavailable((HttpServletResponse) res, "injected: catalog unavailable");
        return;
      }
      if (now == CommitFault.NONE) {
        chain.doFilter(replay, res);
        applied.incrementAndGet();
        return;
      }
      chain.doFilter(replay, new Swallow((HttpServletResponse) res));
      applied.incrementAndGet();
      down = true;
      unavailable((HttpServletResponse) res, "injected: answer lost after the commit");
    }

    private static void unavailable(HttpServletResponse res, String message) throws IOException {
      res.setStatus(502);
      res.setContentType("application/json");
      res.getWriter()
          .write(
              "{\"error\":{\"message\":\""
                  + message
                  + "\",\"type\":\"BadGatewayException\",\"code\":502}}");
    }
  }

  /** A request whose body, already read, is read again. */
  private static final class Replay extends HttpServletRequestWrapper {
    private final byte[] body;

    Replay(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }

  /** A response whose status, headers and body go nowhere: the answer is lost. */
  private static final class Swallow extends HttpServletResponseWrapper {
    Swallow(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setStatus(int sc) {}

    @Override
    public void setHeader(String name, String value) {}

    @Override
    public void addHeader(String name, String value) {}

    @Override
    public void setContentType(String type) {}

    @Override
    public void setCharacterEncoding(String charset) {}

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void flushBuffer() {}

    @Override
    public void sendError(int sc) {}

    @Override
    public void sendError(int sc, String msg) {}

    @Override
    public ServletOutputStream getOutputStream() {
      return new ServletOutputStream() {
        @Override
        public void write(int b) {}

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}
      };
    }

    @Override
    public PrintWriter getWriter() {
      return new PrintWriter(java.io.Writer.nullWriter());
    }
  }
}
