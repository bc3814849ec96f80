/**
 * SGD (momentum, Nesterov, weight decay) and Adam over parameter groups, learning-rate schedules.
 * Gradient clipping lives on {@link org.archrepair.engine.autograd.Gradients}. Must not import models or repair.
 */
package org.archrepair.engine.optim;
