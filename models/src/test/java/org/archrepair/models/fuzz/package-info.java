/**
 * The fuzz suite of the file readers (issue 13): a seeded mutation harness of our own (Jazzer 0.24.0
 * runs on Java 25 but cannot instrument its class files, major version 69, so it would fuzz blind),
 * seed files generated in the test phase by the checkpoint and data test helpers, a short run in
 * the default suite ({@code FuzzTest}), a long run as a command ({@code models/fuzz.sh}, {@link
 * org.archrepair.models.fuzz.FuzzMain}), and the regression files of every crash it found.
 *
 * <p>What it must not do: need network, data folders or a GPU, or write outside its work folder.
 */
package org.archrepair.models.fuzz;
