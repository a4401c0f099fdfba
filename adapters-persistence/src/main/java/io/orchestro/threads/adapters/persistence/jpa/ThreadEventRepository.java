package io.orchestro.threads.adapters.persistence.jpa;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data access to {@code thread_event}; public only so that bootstrap can wire it. */
public interface ThreadEventRepository extends JpaRepository<ThreadEventEntity, Long> {

  /** One thread's events in the order they were inserted, numbered or not. */
  List<ThreadEventEntity> findByThreadIdOrderByIdAsc(UUID threadId);
}
