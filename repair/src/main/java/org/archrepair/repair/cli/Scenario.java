package org.archrepair.repair.cli;

import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;

import java.io.IOException;
import java.util.Map;

/**
 * Where a comparison's failures come from (the paper's section 4.1). Scenario 1, "clean": D_fail
 * from the test set D_v, the repaired model measured on D_v \ D_fail (Table 4). Scenario 2 draws
 * D_fail from one corrupted test set D^c and also measures the clean test set and the other
 * corruptions (Table 5): it is a second implementation of this interface, whose source is the
 * corrupted set and whose evaluations are the clean set and the other corruptions; compare and its
 * table already carry extra evaluations through.
 */
interface Scenario {
    /** "clean", or the corruption's name. */
    String name();

    /** The set D_fail is drawn from and D_v \ D_fail is measured on. */
    ImageDataset source(DataOptions data) throws IOException;

    /** Further sets every repaired model (and the original) is measured on, by column name. */
    default Map<String, ImageDataset> evaluations(DataOptions data) throws IOException {
        return Map.of();
    }

    /** Scenario 1 (Table 4). */
    Scenario CLEAN = new Scenario() {
        @Override
        public String name() {
            return "clean";
        }

        @Override
        public ImageDataset source(DataOptions data) throws IOException {
            return data.load(Split.TEST);
        }
    };

    /** --scenario and --corruption. */
    static Scenario of(String scenario, String corruption) {
        return switch (scenario) {
            case "clean" -> {
                if (corruption != null) throw new IllegalArgumentException("--corruption applies to --scenario corruption");
                yield CLEAN;
            }
            case "corruption" -> throw new IllegalArgumentException("--scenario corruption: this build has no corrupted "
                    + "test sets yet (the CIFAR-10-C loader arrives with its issue); use --scenario clean");
            default -> throw new IllegalArgumentException("--scenario " + scenario + ": expected clean or corruption");
        };
    }
}
