package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.application.port.out.TaskOffers;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Task offers between the nodes sharing a PostgreSQL database, by {@code NOTIFY} and {@code
 * LISTEN}. Announcing borrows a pooled connection for one statement; listening keeps one connection
 * of the pool for itself, however many long polls wait, and gets it again when it breaks.
 */
public final class PostgresTaskOffers implements TaskOffers, AutoCloseable {

  static final String CHANNEL = "orchestro_task_offered";

  private static final Logger LOG = System.getLogger(PostgresTaskOffers.class.getName());

  /** How long one wait for notifications lasts: how soon {@link #close} is noticed. */
  private static final int WAIT_MILLIS = 500;

  /** The pause before listening again after the connection failed. */
  private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

  private final DataSource dataSource;
  private final JdbcClient sql;

  /** Marks this node's own announcements, which its listener leaves out. */
  private final String origin = UUID.randomUUID().toString();

  private volatile boolean closed;
  private Thread listener;

  public PostgresTaskOffers(DataSource dataSource) {
    this.dataSource = dataSource;
    this.sql = JdbcClient.create(dataSource);
  }

  @Override
  public void announce(String queue) {
    sql.sql("select pg_notify(?, ?)").params(CHANNEL, origin + " " + queue).query().listOfRows();
  }

  @Override
  public synchronized void listen(Consumer<String> offeredElsewhere) {
    if (listener != null) {
      throw new IllegalStateException("already listening");
    }
    listener = new Thread(() -> listenUntilClosed(offeredElsewhere), "orchestro-task-offers");
    listener.setDaemon(true);
    listener.start();
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    Thread running;
    synchronized (this) {
      running = listener;
    }
    if (running != null) {
      // not interrupted: the driver's wait ends within WAIT_MILLIS anyway
      running.join(Duration.ofSeconds(5).toMillis());
    }
  }

  private void listenUntilClosed(Consumer<String> offeredElsewhere) {
    while (!closed) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement listen = connection.createStatement()) {
          listen.execute("listen " + CHANNEL);
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
          for (PGNotification notification : arrived == null ? new PGNotification[0] : arrived) {
            hear(notification.getParameter(), offeredElsewhere);
          }
        }
      } catch (SQLException | RuntimeException broken) {
        if (!closed) {
          LOG.log(Level.WARNING, "listening for task offers failed; listening again", broken);
          pauseBeforeReconnecting();
        }
      }
    }
  }

  private void hear(String announcement, Consumer<String> offeredElsewhere) {
    int space = announcement.indexOf(' ');
    if (space < 0 || announcement.substring(0, space).equals(origin)) {
      return;
    }
    try {
      offeredElsewhere.accept(announcement.substring(space + 1));
    } catch (RuntimeException listenerTrouble) {
      LOG.log(Level.WARNING, "a task offer could not be passed on", listenerTrouble);
    }
  }

  private void pauseBeforeReconnecting() {
    try {
      Thread.sleep(RECONNECT_AFTER.toMillis());
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
