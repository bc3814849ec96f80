/**
 * One small class per differentiable operation: a static {@code apply} (forward) beside
 * {@code backward}, the calculus in a one-line comment, both written as calls to the Backend.
 * Must not import nn, models or repair.
 */
package org.archrepair.engine.functions;
