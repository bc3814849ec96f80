/**
 * Files: safetensors read/write (spec-compliant; reading bounded and checked as untrusted input, every
 * failure a {@link org.archrepair.engine.io.SafetensorsException}), atomic writes, the project's one
 * Jackson configuration ({@link org.archrepair.engine.io.JsonFormat}) and the memory budget of one
 * file read ({@link org.archrepair.engine.io.ReadBudget}). Must not import models or repair.
 */
package org.archrepair.engine.io;
