package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ThreadIdTest {

  @Test
  void theCanonicalTextFormParsesBackToTheSameId() {
    ThreadId id = ThreadId.parse("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41");

    assertThat(id.value()).isEqualTo(UUID.fromString("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41"));
    assertThat(id).hasToString("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41");
    assertThat(ThreadId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void textThatIsNotAUuidIsRejected() {
    assertThatThrownBy(() -> ThreadId.parse("not-a-uuid"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIdNeedsAValue() {
    assertThatThrownBy(() -> new ThreadId(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void randomIdsDiffer() {
    assertThat(ThreadId.random()).isNotEqualTo(ThreadId.random());
  }
}
