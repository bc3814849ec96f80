/**
 * The {@code archrepair} command line (picocli): one class per command (repair, localize,
 * evaluate, train), the option groups they share (model, data, failures, budget, device), and the
 * progress display. Parses flags into records and calls the packages that do the work; bad input
 * becomes one line naming the flag or file at fault and exit code 2. Computes nothing itself.
 */
package org.archrepair.repair.cli;
