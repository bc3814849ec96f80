package org.archrepair.models.checkpoint;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only Python globals a checkpoint may name, and what they become:
 * {@code collections.OrderedDict} (a LinkedHashMap), {@code torch._utils._rebuild_tensor},
 * {@code _rebuild_tensor_v2} and {@code _rebuild_parameter} (a {@link TensorRef}), and the storage
 * classes of {@link StorageType} (only inside persistent ids). Anything else, e.g.
 * {@code os.system} or {@code builtins.eval}, is rejected by name before the pickle can use it.
 * BUILD is accepted only on an OrderedDict (torch stores the modules' {@code _metadata} that way)
 * and its state is ignored. Persistent ids become {@link StorageRef}s, collected by key.
 */
final class TorchAllowlist implements Unpickler.Resolver {
    private enum Function { ORDERED_DICT, REBUILD_TENSOR, REBUILD_TENSOR_V2, REBUILD_PARAMETER }

    /** More dimensions than PyTorch allows. */
    static final int MAX_RANK = 64;

    private static final Map<String, Function> FUNCTIONS = Map.of(
            "collections.OrderedDict", Function.ORDERED_DICT,
            "torch._utils._rebuild_tensor", Function.REBUILD_TENSOR,
            "torch._utils._rebuild_tensor_v2", Function.REBUILD_TENSOR_V2,
            "torch._utils._rebuild_parameter", Function.REBUILD_PARAMETER);

    /** A storage class named by a GLOBAL; it is not callable and only valid inside a persistent id. */
    private record StorageClass(StorageType type) {
    }

    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    /** Every storage the pickle referenced, by key, in first-use order. */
    Map<String, StorageRef> storages() {
        return storages;
    }

    @Override
    public Object global(String module, String name) {
        Function f = FUNCTIONS.get(module + "." + name);
        if (f != null) return f;
        StorageType t = module.equals("torch") ? StorageType.byTorchName(name) : null;
        if (t != null) return new StorageClass(t);
        boolean userClass = !module.startsWith("torch") && !module.equals("collections") && !module.equals("builtins")
                && !module.equals("os") && !module.equals("posix") && !module.equals("subprocess");
        throw new IllegalArgumentException("global " + module + "." + name + " is not allowed; a checkpoint may only name "
                + String.join(", ", FUNCTIONS.keySet().stream().sorted().toList()) + " and torch.<Type>Storage"
                + (userClass ? " (a whole pickled model? save and load model.state_dict() instead)" : ""));
    }

    @Override
    public Object call(Object callable, Tuple args) {
        if (!(callable instanceof Function f))
            throw new IllegalArgumentException("cannot call " + Unpickler.describe(callable));
        return switch (f) {
            case ORDERED_DICT -> {
                if (args.size() != 0) throw new IllegalArgumentException("OrderedDict() takes no arguments here");
                yield new LinkedHashMap<>();
            }
            case REBUILD_TENSOR -> tensor(args, 4, 4);
            case REBUILD_TENSOR_V2 -> tensor(args, 6, 7);
            case REBUILD_PARAMETER -> {
                if (args.size() != 3 || !(args.get(0) instanceof TensorRef t))
                    throw new IllegalArgumentException("_rebuild_parameter expects (tensor, requires_grad, hooks)");
                yield t;
            }
        };
    }

    /** (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]]). */
    private static TensorRef tensor(Tuple a, int min, int max) {
        if (a.size() < min || a.size() > max)
            throw new IllegalArgumentException("tensor rebuild expects " + min + (max > min ? ".." + max : "")
                    + " arguments, got " + a.size());
        if (!(a.get(0) instanceof StorageRef s))
            throw new IllegalArgumentException("tensor storage is " + Unpickler.describe(a.get(0)) + ", not a persistent storage");
        if (a.size() >= 6 && a.get(5) instanceof Map<?, ?> hooks && !hooks.isEmpty())
            throw new IllegalArgumentException("tensor has backward hooks");
        int[] size = ints(a.get(2), "size");
        long[] stride = longs(a.get(3), "stride");
        if (size.length > MAX_RANK)
            throw new IllegalArgumentException("tensor has " + size.length + " dimensions, more than " + MAX_RANK);
        if (stride.length != size.length)
            throw new IllegalArgumentException("size has " + size.length + " dimensions, stride " + stride.length);
        return new TensorRef(s, integer(a.get(1), "storage offset"), size, stride);
    }

    @Override
    public void build(Object obj, Object state) {
        if (obj instanceof Map<?, ?> && (state instanceof Map<?, ?> || state instanceof Tuple)) return;
        throw new IllegalArgumentException("BUILD on " + Unpickler.describe(obj) + " is not allowed");
    }

    /** ('storage', torch.XStorage, key, location, numel[, view_metadata]) -> StorageRef. */
    @Override
    public Object persistentLoad(Object pid) {
        if (!(pid instanceof Tuple t) || t.size() < 5 || t.size() > 6 || !"storage".equals(t.get(0)))
            throw new IllegalArgumentException("persistent id must be ('storage', type, key, location, numel[, view]), got "
                    + Unpickler.preview(pid));
        if (!(t.get(1) instanceof StorageClass sc))
            throw new IllegalArgumentException("persistent id names storage type " + Unpickler.describe(t.get(1)));
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String))
            throw new IllegalArgumentException("persistent id key and location must be strings");
        if (key.length() > 1024) throw new IllegalArgumentException("storage key of " + key.length() + " characters");
        long numel = integer(t.get(4), "storage size");
        long viewOffset = 0, viewSize = numel;
        if (t.size() == 6 && t.get(5) != null) {
            if (!(t.get(5) instanceof Tuple v) || v.size() != 3)
                throw new IllegalArgumentException("storage view must be (key, offset, size)");
            viewOffset = integer(v.get(1), "view offset");
            viewSize = integer(v.get(2), "view size");
            if (viewOffset > numel - viewSize)   // both >= 0 (integer): no overflow
                throw new IllegalArgumentException("storage view [" + viewOffset + ", +" + viewSize + ") exceeds its "
                        + numel + " elements");
        }
        StorageRef seen = storages.get(key);
        if (seen != null && (seen.type() != sc.type() || seen.numel() != numel))
            throw new IllegalArgumentException("storage '" + key + "' is declared twice with different types or sizes");
        storages.putIfAbsent(key, new StorageRef(key, sc.type(), numel, 0, numel));
        return new StorageRef(key, sc.type(), numel, viewOffset, viewSize);
    }

    private static long integer(Object o, String what) {
        if (o instanceof Long l && l >= 0) return l;
        if (o instanceof BigInteger) throw new IllegalArgumentException(what + " is " + Unpickler.preview(o) + ", too large");
        throw new IllegalArgumentException(what + " must be a non-negative int, got " + Unpickler.preview(o));
    }

    private static long[] longs(Object o, String what) {
        if (!(o instanceof Tuple t)) throw new IllegalArgumentException(what + " must be a tuple, got " + Unpickler.describe(o));
        List<Object> items = t.items();
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(items.get(i), what);
        return out;
    }

    private static int[] ints(Object o, String what) {
        long[] l = longs(o, what);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " " + l[i] + " exceeds 2^31");
            out[i] = (int) l[i];
        }
        return out;
    }
}
