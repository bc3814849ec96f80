/**
 * Reverse-mode differentiation: {@link org.archrepair.engine.autograd.Function} (a recorded op),
 * {@link org.archrepair.engine.autograd.Autograd#grad} (gradients for any list of leaves, as a
 * {@link org.archrepair.engine.autograd.Gradients} map), no-grad scopes. Must not import models or repair.
 */
package org.archrepair.engine.autograd;
