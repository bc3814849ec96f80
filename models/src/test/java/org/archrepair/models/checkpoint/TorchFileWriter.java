package org.archrepair.models.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-only: writes torch.save files the way PyTorch does, for state dicts made of float32 (or
 * other) storages: the zip format of torch 1.6+ (protocol-2 data.pkl with _rebuild_tensor_v2 and
 * BINPERSID storages, stored uncompressed under {@code <archive>/}) and the legacy format (five
 * pickles, _rebuild_tensor, then int64 count + raw data per storage key).
 */
final class TorchFileWriter {
    /** A storage: key, torch type name ("FloatStorage"), element count and raw little-endian bytes. */
    record Storage(String key, String type, long numel, byte[] data) {
        static Storage floats(String key, float... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) b.putFloat(v);
            return new Storage(key, "FloatStorage", values.length, b.array());
        }
    }

    /** A tensor entry: name -> view (offset, size, stride) of a storage. */
    record Tensor(String name, Storage storage, long offset, int[] size, long[] stride) {
        static Tensor contiguous(String name, Storage s, int... size) {
            long[] stride = new long[size.length];
            long st = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = st;
                st *= size[d];
            }
            return new Tensor(name, s, 0, size, stride);
        }
    }

    private TorchFileWriter() {
    }

    /** The data.pkl of torch 2.x for an OrderedDict state_dict, optionally wrapped as {wrapKey: sd, extras...}. */
    static byte[] zipPickle(int protocol, List<Tensor> tensors, String wrapKey, Map<String, Double> extras) {
        PickleWriter w = new PickleWriter(protocol);
        if (wrapKey != null) {
            w.emptyDict().mark();
            extras.forEach((k, v) -> w.str(k).real(v));
            w.str(wrapKey);
        }
        w.orderedDict();
        items(w, tensors, t -> tensorV2(w, t));
        // torch's state_dict() carries _metadata, pickled as BUILD with the instance __dict__
        w.emptyDict().str("_metadata").orderedDict().str("").emptyDict().str("version").integer(1).op('s').op('s')
                .op('s').build();
        if (wrapKey != null) w.setItems();
        return w.stop().bytes();
    }

    /** SETITEMS for several items (with a MARK), SETITEM for one, as CPython batches them. */
    private static void items(PickleWriter w, List<Tensor> tensors, java.util.function.Consumer<Tensor> value) {
        if (tensors.size() > 1) w.mark();
        for (Tensor t : tensors) {
            w.str(t.name());
            value.accept(t);
        }
        if (tensors.size() > 1) w.setItems();
        else if (tensors.size() == 1) w.op('s');
    }

    /** One tensor as torch 2.x pickles it: _rebuild_tensor_v2 over a BINPERSID storage, REDUCE. */
    static void tensorV2(PickleWriter w, Tensor t) {
        w.global("torch._utils", "_rebuild_tensor_v2").mark();
        w.mark().str("storage").global("torch", t.storage().type()).str(t.storage().key()).str("cpu")
                .integer(t.storage().numel()).tuple(5).persId();
        w.integer(t.offset());
        ints(w, t.size());
        ints(w, t.stride());
        w.bool(false).orderedDict().tuple(6).reduce();
    }

    private static void tensorLegacy(PickleWriter w, Tensor t) {
        w.global("torch._utils", "_rebuild_tensor").mark();
        w.mark().str("storage").global("torch", t.storage().type()).str(t.storage().key()).str("cuda:0")
                .integer(t.storage().numel()).none().tuple(6).persId();
        w.integer(t.offset());
        ints(w, t.size());
        ints(w, t.stride());
        w.tuple(4).reduce();
    }

    private static void ints(PickleWriter w, int[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = v[i];
        ints(w, l);
    }

    private static void ints(PickleWriter w, long[] v) {
        if (v.length > 3) w.mark();
        for (long x : v) w.integer(x);
        w.tuple(v.length);
    }

    /** Write a zip checkpoint: archive/data.pkl, archive/byteorder, archive/data/KEY..., archive/version. */
    static void writeZip(Path file, String archive, byte[] pickle, List<Storage> storages) throws IOException {
        writeZip(file, archive, pickle, storages, "little");
    }

    /** The same with a byteorder record of "little" or "big" (the storages' bytes must be in that order). */
    static void writeZip(Path file, String archive, byte[] pickle, List<Storage> storages, String byteorder)
            throws IOException {
        Files.write(file, zipBytes(archive, pickle, storages, byteorder));
    }

    /** The bytes of such a zip checkpoint. */
    static byte[] zipBytes(String archive, byte[] pickle, List<Storage> storages, String byteorder) {
        ByteArrayOutputStream os = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, archive + "/data.pkl", pickle);
            stored(zip, archive + "/byteorder", byteorder.getBytes());
            for (Storage s : storages) stored(zip, archive + "/data/" + s.key(), s.data());
            stored(zip, archive + "/version", "3\n".getBytes());
            stored(zip, archive + "/.data/serialization_id", "1234567890".getBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return os.toByteArray();
    }

    /** 2020-01-01 00:00 local time, as a DOS timestamp holds it. */
    private static final long FIXED_TIME = java.time.LocalDateTime.of(2020, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_TIME);   // the same bytes every time (the fuzz suite replays cases from their seeds)
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Write a legacy checkpoint {'best_prec1': prec, 'state_dict': OrderedDict}, storages in keyOrder. */
    static byte[] legacy(List<Tensor> tensors, double bestPrec1, List<String> keyOrder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PickleWriter magic = new PickleWriter(2);
        magic.op(0x8a).op(10).raw(new byte[]{0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a,
                (byte) 0xa8, 0x50, 0x19}).stop();
        out.writeBytes(magic.bytes());
        out.writeBytes(new PickleWriter(2).integer(1001).stop().bytes());
        PickleWriter info = new PickleWriter(2);
        info.emptyDict().mark().str("protocol_version").integer(1001).str("little_endian").bool(true)
                .str("type_sizes").emptyDict().mark().str("short").integer(2).str("int").integer(4).str("long")
                .integer(4).setItems().setItems().stop();
        out.writeBytes(info.bytes());
        PickleWriter obj = new PickleWriter(2);
        obj.emptyDict().mark().str("best_prec1").real(bestPrec1).str("state_dict").orderedDict();
        items(obj, tensors, t -> tensorLegacy(obj, t));
        out.writeBytes(obj.setItems().stop().bytes());
        PickleWriter keys = new PickleWriter(2);
        keys.op(']').op('q').op(0).mark();
        for (String k : keyOrder) keys.str(k);
        out.writeBytes(keys.op('e').stop().bytes());
        Map<String, Storage> byKey = new LinkedHashMap<>();
        for (Tensor t : tensors) byKey.put(t.storage().key(), t.storage());
        for (String k : keyOrder) {
            Storage s = byKey.get(k);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.numel()).array());
            out.writeBytes(s.data());
        }
        return out.toByteArray();
    }

    static List<Storage> storagesOf(List<Tensor> tensors) {
        Map<String, Storage> m = new LinkedHashMap<>();
        for (Tensor t : tensors) m.put(t.storage().key(), t.storage());
        return new ArrayList<>(m.values());
    }
}
