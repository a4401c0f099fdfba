package io.orchestro.threads.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesSizeTest {

  @Test
  void countsTheBytesOfCompactUtf8JsonWithEscapes() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("a", "é\n");
    value.put("b", Arrays.asList(1, null, true));
    value.put("c", "\u0001😀€");

    // {"a":"é\n","b":[1,null,true],"c":"(U+0001)😀€"}: é 2 bytes, \n 2, U+0001 6, 😀 4, € 3
    assertThat(JsonValues.encodedSize(value)).isEqualTo(50);
    assertThat(JsonValues.encodedSize(Map.of())).isEqualTo(2);
    assertThat(JsonValues.encodedSize(List.of())).isEqualTo(2);
    assertThat(JsonValues.encodedSize(Map.of("n", 2.5))).isEqualTo(9);
  }
}
