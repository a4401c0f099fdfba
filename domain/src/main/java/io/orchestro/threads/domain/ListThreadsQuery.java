package io.orchestro.threads.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/**
 * One page of threads, in the order asked for (newest first unless told otherwise).
 *
 * @param statuses the statuses to include; empty for all
 * @param workflowType the only workflow type to include, or null for all
 * @param text only threads whose title or prompt contains this, ignoring case; null for all
 * @param createdAfter only threads created at or after this time, or null
 * @param createdBefore only threads created before this time, or null
 * @param sortBy the time the page is ordered by; ties are ordered by thread id the same way
 * @param ascending oldest first rather than newest first
 * @param owner only threads of this owner, or null for every owner's (what an admin sees)
 */
public record ListThreadsQuery(
    Set<ThreadStatus> statuses,
    String workflowType,
    String text,
    Instant createdAfter,
    Instant createdBefore,
    SortBy sortBy,
    boolean ascending,
    int page,
    int size,
    String owner) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 500;

  /** Longer search text is a mistake, not a search: it is refused rather than scanned for. */
  public static final int MAX_TEXT_LENGTH = 200;

  /** The times a list can be ordered by, named as the thread resource's fields. */
  public enum SortBy {
    CREATED_AT,
    LAST_UPDATED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException for an unknown name
     */
    public static SortBy fromWireName(String name) {
      for (SortBy each : values()) {
        if (each.wireName().equals(name)) {
          return each;
        }
      }
      throw new IllegalArgumentException(
          "sort must be created_at or last_updated, not '" + name + "'");
    }
  }

  public ListThreadsQuery {
    statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
    sortBy = sortBy == null ? SortBy.CREATED_AT : sortBy;
    if (text != null && text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException("q must be at most " + MAX_TEXT_LENGTH + " characters");
    }
    if (page < 0) {
      throw new IllegalArgumentException("page must be 0 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
    }
  }

  /** Every owner's threads. */
  public ListThreadsQuery(
      Set<ThreadStatus> statuses,
      String workflowType,
      String text,
      Instant createdAfter,
      Instant createdBefore,
      SortBy sortBy,
      boolean ascending,
      int page,
      int size) {
    this(
        statuses,
        workflowType,
        text,
        createdAfter,
        createdBefore,
        sortBy,
        ascending,
        page,
        size,
        null);
  }

  /** Newest first, filtered by status and workflow type only. */
  public ListThreadsQuery(Set<ThreadStatus> statuses, String workflowType, int page, int size) {
    this(statuses, workflowType, null, null, null, SortBy.CREATED_AT, false, page, size);
  }

  /** The same query, only for the threads of {@code onlyOwner} (null: every owner's). */
  public ListThreadsQuery withOwner(String onlyOwner) {
    return new ListThreadsQuery(
        statuses,
        workflowType,
        text,
        createdAfter,
        createdBefore,
        sortBy,
        ascending,
        page,
        size,
        onlyOwner);
  }

  public long offset() {
    return (long) page * size;
  }

  /** True when {@code thread} passes every filter: the rule stores without a query language use. */
  public boolean matches(ThreadSnapshot thread) {
    return (owner == null || owner.equals(thread.owner()))
        && (statuses.isEmpty() || statuses.contains(thread.status()))
        && (workflowType == null || workflowType.equals(thread.workflowType()))
        && (createdAfter == null || !thread.createdAt().isBefore(createdAfter))
        && (createdBefore == null || thread.createdAt().isBefore(createdBefore))
        && (text == null || searchTextOf(thread.title(), thread.request()).contains(text));
  }

  /** The order of the page, for stores that sort in memory. */
  public Comparator<ThreadSnapshot> order() {
    Comparator<ThreadSnapshot> oldestFirst =
        Comparator.comparing(
                (ThreadSnapshot thread) ->
                    sortBy == SortBy.CREATED_AT ? thread.createdAt() : thread.lastUpdated())
            .thenComparing(thread -> thread.id().toString());
    return ascending ? oldestFirst : oldestFirst.reversed();
  }

  /**
   * What the text filter looks in: the title and the prompt, lower case. Stores that keep it (a
   * database column) keep exactly this, so that every store finds the same threads.
   */
  public static String searchTextOf(String title, ThreadRequest request) {
    String prompt = request.prompt() == null ? "" : request.prompt();
    return (title + "\n" + prompt).toLowerCase(Locale.ROOT);
  }
}
