/**
 * The architecture search of ArchRepair (the paper's section 3.3, ALGORITHM.md sections 6 and 7):
 * a block relaxed into {@link org.archrepair.repair.search.Cell}s whose edges are
 * {@link org.archrepair.repair.search.MixedEdge}s over the candidate
 * {@link org.archrepair.repair.search.Primitive}s and the inherited layer
 * ({@link org.archrepair.repair.search.SearchSpace}, built from {@link org.archrepair.repair.search.CellSpec}),
 * the {@link org.archrepair.repair.search.Architect}'s step on the architecture parameters, the
 * {@link org.archrepair.repair.search.Genotype} and discretization. The loops that drive them are in
 * {@code repair.method}. Must not contain numeric kernels: every op is an engine function.
 */
package org.archrepair.repair.search;
