package io.orchestro.threads.adapters.persistence.json;

import java.nio.file.Path;

/**
 * A file that start-up could not load, moved aside so that everything else loads.
 *
 * @param file where it was, relative to the store's directory
 * @param movedTo where it is now, relative to the store's directory (next to it, the same name with
 *     {@code .reason.txt} says why); null when it could not be moved and stayed in place
 * @param reason why it could not be loaded
 */
public record DamagedFile(Path file, Path movedTo, String reason) {}
