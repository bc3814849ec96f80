/**
 * JMH benchmarks of our CPU kernels side by side with PyTorch CPU (through DJL), the PyTorch
 * peer itself ({@link org.archrepair.bench.Torch}) and the report that turns JMH results into
 * the tables of {@code bench/RESULTS.md}.
 *
 * <p>Owns: benchmark classes ({@code *Bench}), their shapes ({@link org.archrepair.bench.Layers}),
 * seeded inputs. Must not be imported by any other module; it may import all of them.
 */
package org.archrepair.bench;
