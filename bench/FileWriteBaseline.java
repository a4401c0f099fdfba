import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The limit of the JSON store on this disk: how many times per second one file can be replaced the
 * way the store replaces a thread's file (write a temporary file, force it to disk, rename it over
 * the old one, force the directory). One writer, as in the store.
 *
 * <p>{@code java bench/FileWriteBaseline.java DIR [seconds]}
 */
public class FileWriteBaseline {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    byte[] content = "x".repeat(3_000).getBytes(); // about one thread's file
    Path target = dir.resolve("thread.json");
    Path temp = dir.resolve("thread.json.tmp");
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long writes = 0;
    while (System.nanoTime() < end) {
      try (FileChannel file =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        file.write(ByteBuffer.wrap(content));
        file.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
      writes++;
    }
    System.out.printf(
        "file_baseline seconds=%d replaces_per_second=%.0f%n", seconds, writes / (double) seconds);
  }
}
