package org.archrepair.models;

import org.archrepair.engine.nn.Init;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/** The model zoo by name, for the command line and reports. */
public final class Models {
    private static final Map<String, BiFunction<Init, Integer, Network>> FACTORIES = new TreeMap<>(Map.ofEntries(
            Map.entry("resnet20", ResNetCifar::resnet20),
            Map.entry("resnet32", ResNetCifar::resnet32),
            Map.entry("resnet44", ResNetCifar::resnet44),
            Map.entry("resnet56", ResNetCifar::resnet56),
            Map.entry("resnet110", ResNetCifar::resnet110),
            Map.entry("resnet18", ResNet::resnet18),
            Map.entry("resnet34", ResNet::resnet34),
            Map.entry("resnet50", ResNet::resnet50),
            Map.entry("resnet101", ResNet::resnet101),
            Map.entry("resnet152", ResNet::resnet152),
            Map.entry("densenet121", DenseNet::densenet121)));

    private Models() {
    }

    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** A freshly initialized model; fails naming the known models for an unknown name. */
    public static Network create(String name, Init init, int classes) {
        var f = FACTORIES.get(name);
        if (f == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        return f.apply(init, classes);
    }
}
