package org.archrepair.models.fuzz;

import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.io.SafetensorsException;
import org.archrepair.models.checkpoint.CheckpointException;
import org.archrepair.models.checkpoint.CheckpointFuzz;
import org.archrepair.models.checkpoint.Checkpoints;
import org.archrepair.models.checkpoint.PickleGen;
import org.archrepair.models.data.DataFuzz;
import org.archrepair.models.data.DatasetException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The readers the suite fuzzes and their seeds, weighted roughly as issue 13's survey was: the
 * unpickler most (it is the largest attack surface), on mutated seeds and on random opcode streams
 * ({@link PickleGen}), then zip and legacy checkpoints,
 * a pickle mutated inside an otherwise valid zip, safetensors, CIFAR-10 batches plain and gzipped,
 * tar archives plain and gzipped, and Tiny-ImageNet images. bombBytes sizes the decompression-bomb
 * seeds (above the read budget of the heap they run in, to reach the limits).
 */
final class Targets {
    private Targets() {
    }

    private static final List<Class<? extends IOException>> CHECKPOINT = List.of(CheckpointException.class,
            SafetensorsException.class);
    private static final List<Class<? extends IOException>> DATASET = List.of(DatasetException.class);

    static List<Target> all(int bombBytes) {
        UnaryOperator<byte[]> asIs = b -> b;
        List<byte[]> pickles = CheckpointFuzz.pickleSeeds();
        List<byte[]> bins = DataFuzz.binSeeds(), tars = DataFuzz.tarSeeds();
        List<byte[]> binGz = new ArrayList<>(DataFuzz.gzip(bins)), tarGz = new ArrayList<>(DataFuzz.gzip(tars));
        binGz.add(DataFuzz.gzipBomb(bombBytes));
        tarGz.add(DataFuzz.tarBomb(bombBytes));
        return List.of(
                new Target("pickle", "raw.pkl", 18, pickles, asIs, CheckpointFuzz::unpickle, List.of(CheckpointException.class)),
                new Target("pickle-ops", "ops.pkl", 12, pickles, PickleGen::random, asIs, CheckpointFuzz::unpickle,
                        List.of(CheckpointException.class)),
                new Target("pickle-in-zip", "pickle-in.pt", 10, pickles, CheckpointFuzz::zipWithPickle, Checkpoints::read,
                        CHECKPOINT),
                new Target("torch-zip", "checkpoint.pt", 12, CheckpointFuzz.zipSeeds(), asIs, Checkpoints::read, CHECKPOINT),
                new Target("torch-legacy", "legacy.th", 8, CheckpointFuzz.legacySeeds(), asIs, Checkpoints::read, CHECKPOINT),
                new Target("safetensors", "model.safetensors", 12, safetensorsSeeds(), asIs, Checkpoints::read, CHECKPOINT),
                new Target("cifar-bin", "test_batch.bin", 5, bins, asIs, DataFuzz::loadCifar, DATASET),
                new Target("cifar-bin-gz", "test_batch.bin.gz", 5, binGz, asIs, DataFuzz::loadCifar,
                        DATASET),
                new Target("cifar-tar", "cifar.tar", 5, tars, asIs, DataFuzz::loadCifar, DATASET),
                new Target("cifar-tar-gz", "cifar.tar.gz", 5, tarGz, asIs, DataFuzz::loadCifar, DATASET),
                new Target("image", "image.png", 3, DataFuzz.imageSeeds(), asIs, DataFuzz::readImage, DATASET));
    }

    /** Files written by our writer, F16/BF16/I64 headers by hand, and headers at the limits. */
    static List<byte[]> safetensorsSeeds() {
        List<byte[]> seeds = new ArrayList<>();
        Map<String, HostArray> t = new LinkedHashMap<>();
        t.put("conv.weight", new HostArray(new int[]{2, 1, 1, 2}, new float[]{1, -2, 3.5f, Float.MIN_VALUE}));
        t.put("bn.running_var", new HostArray(new int[]{3}, new float[]{1, 2, 3}));
        t.put("scalar", new HostArray(new int[0], new float[]{42}));
        seeds.add(written(t, Map.of("format", "pt", "note", "caf\u00e9")));
        seeds.add(raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[4,12]},"
                + "\"__metadata__\":{\"k\":\"v\"}}", 12));
        seeds.add(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", 4));
        seeds.add(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":" + "[".repeat(80)
                + "]".repeat(80) + "}}", 4));
        return seeds;
    }

    private static byte[] written(Map<String, HostArray> tensors, Map<String, String> meta) {
        try {
            Path f = Files.createTempFile("seed", ".safetensors");
            try {
                Safetensors.write(f, tensors, meta);
                return Files.readAllBytes(f);
            } finally {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] raw(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }
}
