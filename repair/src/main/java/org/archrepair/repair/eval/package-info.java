/**
 * Evaluation: a network's predictions over a data set in eval mode without a graph, accuracy per
 * class and the confusion matrix, mean loss for early stopping. Must not train or write files.
 */
package org.archrepair.repair.eval;
