package io.orchestro.threads.bootstrap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code orchestro.engine.*}: how this node runs threads.
 *
 * @param nodeId this node's name in claims; by default the host name, process id and a random
 *     suffix, so that every process differs, on one machine or several
 * @param maxRunningThreads threads this node works on at once
 * @param lease how long a claim lasts unless renewed: a dead node's threads move on after it
 * @param pollInterval how often to look for work when not signalled
 * @param claimBatch threads claimed per query at most
 * @param takeOverAtStart end other owners' claims at start-up; by default on for the single-node
 *     stores (H2, JSON) and off for PostgreSQL
 * @param enabled whether the engine starts with the application; off, threads are stored and served
 *     but none runs. The store-copy commands turn it off (see {@link StoreCopyCommand}).
 * @param maxStepOutput the most one step's output may take (as JSON); a larger one fails the
 *     attempt
 * @param maxThreadSize the most a thread's input and step outputs may take together (as JSON)
 * @param shutdownGrace how long a stopping node lets the steps in flight finish and records them;
 *     those still running then are given up and run again by the next owner
 * @param claimAhead how long before a thread's start time the node claims it, so that it starts on
 *     the dot; zero claims it only once the time has come
 */
@ConfigurationProperties("orchestro.engine")
public record EngineProperties(
    String nodeId,
    @DefaultValue("256") int maxRunningThreads,
    @DefaultValue("15s") Duration lease,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("1000") int claimBatch,
    Boolean takeOverAtStart,
    @DefaultValue("true") boolean enabled,
    @DefaultValue("256KB") DataSize maxStepOutput,
    @DefaultValue("4MB") DataSize maxThreadSize,
    @DefaultValue("30s") Duration shutdownGrace,
    @DefaultValue("200ms") Duration claimAhead) {}
