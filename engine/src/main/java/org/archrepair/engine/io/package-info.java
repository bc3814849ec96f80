/**
 * Files: safetensors read/write (spec-compliant, bounds-checked), atomic writes, a small strict JSON.
 * Must not import models or repair.
 */
package org.archrepair.engine.io;
