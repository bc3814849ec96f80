package org.archrepair.repair.method;

import java.io.IOException;

/** A way to repair a model: ArchRepair or a weight-only level; more methods implement it with their issues. */
public interface RepairMethod {
    /** The name in reports and on the command line ("archrepair", "block", ...). */
    String name();

    /** What the method targets, from the context's localization. */
    Target target(RepairContext ctx);

    /** Repair ctx.net() in place (a block may be replaced); continue from ctx.dir()'s checkpoint when ctx.resume(). */
    Outcome repair(RepairContext ctx) throws IOException;
}
