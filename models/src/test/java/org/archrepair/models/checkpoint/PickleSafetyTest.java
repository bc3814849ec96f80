package org.archrepair.models.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malicious and malformed pickles inside otherwise valid zip checkpoints: every global outside the
 * allowlist is rejected by name at its byte offset, before anything could call it; so are opcodes
 * that build arbitrary objects, calls of non-callables, and declared lengths beyond the input.
 */
class PickleSafetyTest {
    @TempDir
    Path dir;

    private IOException reject(String name, byte[] pickle) throws IOException {
        Path f = dir.resolve(name + ".pt");
        TorchFileWriter.writeZip(f, name, pickle, List.of());
        return assertThrows(IOException.class, () -> Checkpoints.read(f));
    }

    private static void assertMentions(IOException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    @Test
    void osSystemViaGlobalIsRejectedAtItsOffset() throws Exception {
        // the classic payload: os.system('touch pwned') through GLOBAL + REDUCE
        PickleWriter w = new PickleWriter(2);
        w.global("os", "system").str("touch " + dir.resolve("pwned")).tuple(1).reduce().stop();
        IOException e = reject("os", w.bytes());
        assertMentions(e, "os.pt!os/data.pkl", "at byte 2", "global os.system is not allowed");
        assertTrue(!dir.resolve("pwned").toFile().exists());
    }

    @Test
    void builtinsEvalViaStackGlobalIsRejected() throws Exception {
        PickleWriter w = new PickleWriter(4);
        w.str("builtins").str("eval").op(0x93).str("__import__('os').system('id')").tuple(1).reduce().stop();
        IOException e = reject("eval", w.bytes());
        assertMentions(e, "eval.pt!eval/data.pkl", "STACK_GLOBAL", "global builtins.eval is not allowed");
    }

    @Test
    void lookalikeOfAnAllowedNameIsRejected() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.global("torch._utils", "_rebuild_tensor_v2.__globals__").stop();
        assertMentions(reject("lookalike", w.bytes()), "torch._utils._rebuild_tensor_v2.__globals__ is not allowed");
        PickleWriter w2 = new PickleWriter(2);
        w2.global("torch", "load").stop();
        assertMentions(reject("torchload", w2.bytes()), "global torch.load is not allowed");
    }

    @Test
    void instanceBuildingOpcodesAreRejected() throws Exception {
        PickleWriter inst = new PickleWriter(2);
        inst.mark().op('i').raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII)).stop();
        assertMentions(reject("inst", inst.bytes()), "unsupported pickle opcode INST (0x69)", "at byte 3");
        PickleWriter newobj = new PickleWriter(2);
        newobj.global("collections", "OrderedDict").tuple(0).op(0x81).stop();
        assertMentions(reject("newobj", newobj.bytes()), "unsupported pickle opcode NEWOBJ (0x81)");
    }

    @Test
    void callingAStorageClassOrAStringIsRejected() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.global("torch", "FloatStorage").integer(10).tuple(1).reduce().stop();
        assertMentions(reject("callstorage", w.bytes()), "REDUCE", "cannot call StorageClass");
        PickleWriter s = new PickleWriter(2);
        s.str("os.system").tuple(0).reduce().stop();
        assertMentions(reject("callstring", s.bytes()), "REDUCE", "cannot call String");
    }

    @Test
    void buildOnATensorIsRejected() throws Exception {
        PickleWriter w = new PickleWriter(2);
        TorchFileWriter.tensorV2(w, TorchFileWriter.Tensor.contiguous("w", TorchFileWriter.Storage.floats("0", 1, 2), 2));
        w.emptyDict().build().stop();
        assertMentions(reject("build", w.bytes()), "BUILD on TensorRef is not allowed");
    }

    @Test
    void declaredLengthBeyondTheInputIsRejectedBeforeAllocating() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.op('X').raw(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}).stop();
        assertMentions(reject("huge", w.bytes()), "declared length 2147483647 exceeds");
    }

    @Test
    void malformedPersistentIdIsRejected() throws Exception {
        PickleWriter w = new PickleWriter(2);
        w.mark().str("storage").str("FloatStorage").str("0").str("cpu").integer(4).tuple(5);
        w.persId().stop();
        assertMentions(reject("pid", w.bytes()), "BINPERSID", "names storage type String");
    }
}
