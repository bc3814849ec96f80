/**
 * Writing results: JSON through Jackson, charts through XChart (PNG and SVG), every file written
 * atomically (engine/io/AtomicFile). Owns formats, not numbers: what is reported is computed elsewhere.
 */
package org.archrepair.repair.report;
