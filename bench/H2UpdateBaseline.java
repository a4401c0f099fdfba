import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit of the H2 store on this machine: plain JDBC, each of N connections updating its own
 * row in its own committed transaction as fast as it can, on a file database with the service's
 * durability setting (WRITE_DELAY=0). Prints updates (commits) per second.
 *
 * <p>{@code java -cp h2.jar bench/H2UpdateBaseline.java DIR [connections] [seconds]}
 */
public class H2UpdateBaseline {

  public static void main(String[] args) throws Exception {
    String url = "jdbc:h2:file:" + args[0] + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    try (Connection setup = DriverManager.getConnection(url, "sa", "")) {
      setup.createStatement().execute("create table if not exists counter (id int primary key, n bigint)");
      setup.createStatement().execute("delete from counter");
      for (int i = 0; i < connections; i++) {
        setup.createStatement().execute("insert into counter values (" + i + ", 0)");
      }
    }
    AtomicLong updates = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      int row = i;
      Thread worker =
          new Thread(
              () -> {
                try (Connection connection = DriverManager.getConnection(url, "sa", "");
                    PreparedStatement update =
                        connection.prepareStatement("update counter set n = n + 1 where id = ?")) {
                  update.setInt(1, row);
                  while (System.nanoTime() < end) {
                    update.executeUpdate();
                    updates.incrementAndGet();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    System.out.printf(
        "h2_baseline connections=%d seconds=%d updates_per_second=%.0f%n",
        connections, seconds, updates.get() / (double) seconds);
  }
}
