package io.orchestro.threads.adapters.persistence.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What one of the store's classes logs while it is open. Their System.Logger goes to
 * java.util.logging when no other backend is installed, as in these tests; a real handler on that
 * logger collects the lines, formatted as a log file would show them.
 */
final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          lines.add(record.getLevel() + " " + formatter.formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  CapturedLog(Class<?> loggingClass) {
    // held here: java.util.logging keeps loggers only weakly
    this.logger = Logger.getLogger(loggingClass.getName());
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
