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
  void generatedIdsDiffer() {
    assertThat(ThreadId.generate()).isNotEqualTo(ThreadId.generate());
  }

  @Test
  void aGeneratedIdIsAVersion7UuidOfTheCurrentMillisecond() {
    long before = System.currentTimeMillis();
    UUID id = ThreadId.generate().value();
    long after = System.currentTimeMillis();

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  void anIdGeneratedInALaterMillisecondSortsAfterTheEarlierInTextAndAsAUuid() {
    ThreadId earlier = ThreadId.generate();
    ThreadId later = ThreadId.generate();
    while (later.value().getMostSignificantBits() >>> 16
        == earlier.value().getMostSignificantBits() >>> 16) {
      later = ThreadId.generate();
    }

    assertThat(later.toString()).isGreaterThan(earlier.toString());
    assertThat(later.value()).isGreaterThan(earlier.value());
  }
}
