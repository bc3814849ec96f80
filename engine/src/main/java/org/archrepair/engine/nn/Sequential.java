package org.archrepair.engine.nn;

import org.archrepair.engine.Tensor;

import java.util.List;

/** Children "0", "1", ... applied in order, as torch.nn.Sequential. */
public class Sequential extends Module {
    public Sequential(List<? extends Module> modules) {
        for (int i = 0; i < modules.size(); i++) child(Integer.toString(i), modules.get(i));
    }

    public Sequential(Module... modules) {
        this(List.of(modules));
    }

    public int size() {
        return children().size();
    }

    public Module at(int i) {
        return get(Integer.toString(i));
    }

    @Override
    protected Tensor compute(Tensor x) {
        for (Module m : children().values()) x = m.forward(x);
        return x;
    }
}
