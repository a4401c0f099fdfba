package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.BulkChangeUseCase;
import io.orchestro.threads.application.port.in.CancelThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadsUseCase;
import io.orchestro.threads.application.port.in.DeleteThreadUseCase;
import io.orchestro.threads.application.port.in.GetThreadUseCase;
import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListThreadsUseCase;
import io.orchestro.threads.application.port.in.ListWorkflowsUseCase;
import io.orchestro.threads.application.port.in.PauseThreadUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.ResumeThreadUseCase;
import io.orchestro.threads.application.port.in.RetryThreadUseCase;
import io.orchestro.threads.application.port.in.SchedulesUseCase;
import io.orchestro.threads.application.port.in.WatchEventsUseCase;
import io.orchestro.threads.application.port.in.WebhooksUseCase;
import io.orchestro.threads.application.port.in.WorkTasksUseCase;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The web slice with every controller, and each use case behind them a Mockito mock: the one list
 * of use cases for the tests that look at the API as a whole, so a new controller's use case is
 * added here once. A test that stubs a use case autowires its mock.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest
@MockitoBean(
    types = {
      CreateThreadUseCase.class,
      CreateThreadsUseCase.class,
      ListThreadsUseCase.class,
      GetThreadUseCase.class,
      PauseThreadUseCase.class,
      ResumeThreadUseCase.class,
      RetryThreadUseCase.class,
      CancelThreadUseCase.class,
      BulkChangeUseCase.class,
      DeleteThreadUseCase.class,
      ListWorkflowsUseCase.class,
      GetWorkflowUseCase.class,
      PutWorkflowUseCase.class,
      WatchEventsUseCase.class,
      WebhooksUseCase.class,
      WorkTasksUseCase.class,
      SchedulesUseCase.class
    })
@interface EveryControllerSlice {}
