package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.domain.ThreadId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Places under limits in the {@code limit_state} and {@code limit_lease} tables, in plain SQL. A
 * take locks the rows of its limits ({@code SELECT ... FOR UPDATE}, in key order), so that the
 * takers of one limit, on any node, go one at a time: each counts what is live and adds its own
 * only under the maximum. Every query reads one limit's rows through an index.
 */
public final class JdbcLimitLeases implements LimitLeases {

  private static final String CONCURRENCY = "concurrency";
  private static final String RATE = "rate";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate writing;

  /** The limits whose row is known to exist: the row is made once, outside any take. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public JdbcLimitLeases(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.writing = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public Optional<Refusal> take(
      List<Limit> limits, String holder, String owner, Instant now, Instant leaseUntil) {
    limits.forEach(this::ensureRow);
    return writing.execute(status -> takeLocked(limits, holder, owner, now, leaseUntil));
  }

  private Optional<Refusal> takeLocked(
      List<Limit> limits, String holder, String owner, Instant now, Instant leaseUntil) {
    List<Instant> heldBack = new ArrayList<>();
    for (Limit limit : limits) {
      // one at a time per limit, across nodes; in key order, so that no two takers wait in a circle
      heldBack.add(
          jdbc.queryForObject(
              "select held_back_until from limit_state where limit_key = ? for update",
              (row, n) -> SqlTimes.instant(row, "held_back_until"),
              limit.key()));
    }
    for (int i = 0; i < limits.size(); i++) {
      Limit limit = limits.get(i);
      jdbc.update(
          "delete from limit_lease where limit_key = ? and lease_until <= ?",
          limit.key(),
          SqlTimes.parameter(now));
      Instant heldBackUntil = heldBack.get(i);
      if (heldBackUntil != null && heldBackUntil.isAfter(now)) {
        return Optional.of(new Refusal(limit.key(), heldBackUntil));
      }
      if (limit.limitsConcurrency() && live(limit, CONCURRENCY) >= limit.maxConcurrency()) {
        return Optional.of(new Refusal(limit.key(), null));
      }
      if (limit.limitsRate() && live(limit, RATE) >= limit.ratePermits()) {
        // the oldest mark's end frees the next start
        return Optional.of(new Refusal(limit.key(), oldestMarkEnds(limit)));
      }
    }
    for (Limit limit : limits) {
      if (limit.limitsConcurrency()) {
        insert(limit, CONCURRENCY, holder, owner, leaseUntil);
      }
      if (limit.limitsRate()) {
        insert(limit, RATE, holder, null, now.plus(limit.ratePeriod()));
      }
    }
    return Optional.empty();
  }

  private int live(Limit limit, String kind) {
    Integer count =
        jdbc.queryForObject(
            "select count(*) from limit_lease where limit_key = ? and kind = ?",
            Integer.class,
            limit.key(),
            kind);
    return count == null ? 0 : count;
  }

  private Instant oldestMarkEnds(Limit limit) {
    return jdbc.queryForObject(
        "select min(lease_until) as ends from limit_lease where limit_key = ? and kind = ?",
        (row, n) -> SqlTimes.instant(row, "ends"),
        limit.key(),
        RATE);
  }

  private void insert(Limit limit, String kind, String holder, String owner, Instant until) {
    jdbc.update(
        "insert into limit_lease (limit_key, kind, holder, owner, lease_until)"
            + " values (?, ?, ?, ?, ?)",
        limit.key(),
        kind,
        holder,
        owner,
        SqlTimes.parameter(until));
  }

  /** Makes the limit's row if no node has yet; two nodes making it at once is no error. */
  private void ensureRow(Limit limit) {
    if (known.contains(limit.key())) {
      return;
    }
    Integer rows =
        jdbc.queryForObject(
            "select count(*) from limit_state where limit_key = ?", Integer.class, limit.key());
    if (rows == null || rows == 0) {
      try {
        jdbc.update("insert into limit_state (limit_key) values (?)", limit.key());
      } catch (DuplicateKeyException madeMeanwhile) {
        // another node made it: what was wanted
      }
    }
    known.add(limit.key());
  }

  @Override
  public void giveBack(List<Limit> limits, String holder) {
    for (Limit limit : limits) {
      if (limit.limitsConcurrency()) {
        jdbc.update(
            "delete from limit_lease where limit_key = ? and kind = ? and holder = ?",
            limit.key(),
            CONCURRENCY,
            holder);
      }
    }
  }

  @Override
  public void renew(String owner, Collection<String> holders, Instant now, Instant leaseUntil) {
    if (holders.isEmpty()) {
      return;
    }
    List<Object> parameters = new ArrayList<>();
    parameters.add(SqlTimes.parameter(leaseUntil));
    parameters.add(owner);
    parameters.add(SqlTimes.parameter(now));
    parameters.addAll(holders);
    jdbc.update(
        "update limit_lease set lease_until = ? where owner = ? and lease_until > ? and holder in ("
            + String.join(", ", Collections.nCopies(holders.size(), "?"))
            + ")",
        parameters.toArray());
  }

  @Override
  public void expireOtherOwners(String owner) {
    jdbc.update("delete from limit_lease where kind = ? and owner <> ?", CONCURRENCY, owner);
  }

  @Override
  public void holdBack(Limit limit, Instant until) {
    ensureRow(limit);
    jdbc.update(
        "update limit_state set held_back_until = ? where limit_key = ?"
            + " and (held_back_until is null or held_back_until < ?)",
        SqlTimes.parameter(until),
        limit.key(),
        SqlTimes.parameter(until));
  }

  @Override
  public void refused(ThreadId thread, String limit, Instant now) {
    try {
      jdbc.update(
          "insert into limit_wait (thread_id, limit_key, since) select ?, ?, ?"
              + " where not exists (select 1 from limit_wait where thread_id = ?)",
          thread.value(),
          limit,
          SqlTimes.parameter(now),
          thread.value());
    } catch (DuplicateKeyException notedMeanwhile) {
      // another node noted its refusal at the same moment: the wait started then
    }
  }

  @Override
  public Optional<Wait> waitEnded(ThreadId thread) {
    // no race to guard: only the node holding the thread's claim ends its wait
    List<Wait> waits =
        jdbc.query(
            "select limit_key, since from limit_wait where thread_id = ?",
            (row, n) -> new Wait(row.getString("limit_key"), SqlTimes.instant(row, "since")),
            thread.value());
    if (waits.isEmpty()) {
      return Optional.empty();
    }
    jdbc.update("delete from limit_wait where thread_id = ?", thread.value());
    return Optional.of(waits.get(0));
  }
}
