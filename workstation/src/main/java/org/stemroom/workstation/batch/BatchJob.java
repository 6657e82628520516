package org.stemroom.workstation.batch;

import java.nio.file.Path;

/**
 * One file of a batch: its input, its own output folder, and per-job overrides (null = the batch's setting).
 */
public record BatchJob(String name, Path input, Path outDir, String preset, String layout, String room,
                       String separator) { }
