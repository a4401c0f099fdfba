package io.orchestro.threads.adapters.rest;

import java.beans.PropertyEditorSupport;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads UUIDs in paths only in their canonical 36-character form, as the JSON body's {@code
 * thread_id} is read. {@link UUID#fromString} alone also accepts short forms such as {@code
 * 1-2-3-4-5}, which would name a thread the client never meant.
 *
 * <p>A property editor rather than a {@code Converter}: when a converter fails, Spring's data
 * binder falls back to its default (lenient) UUID editor, while a custom editor has the last word.
 */
class StrictUuidEditor extends PropertyEditorSupport {

  @Override
  public void setAsText(String text) {
    UUID uuid = UUID.fromString(text);
    if (!uuid.toString().equals(text.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("'" + text + "' is not a UUID");
    }
    setValue(uuid);
  }

  @Override
  public String getAsText() {
    return getValue() == null ? "" : getValue().toString();
  }
}
