package org.archrepair.repair.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.engine.io.OneLine;
import org.archrepair.engine.io.Safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resume file {@link Trainer} writes after every epoch, read back and checked like any input
 * file: a safetensors file whose metadata says it is a training state ({@link Trainer#FORMAT}) of
 * this very configuration and data, a completed epoch count in 0..epochs written as digits, a
 * history of exactly that many well-formed records (epochs 1, 2, ...), and finite weights and
 * momentum. Every violation is an IOException naming the file and the field, on one line; no value
 * from the file reaches the trainer unchecked.
 *
 * <p>What it is not: the model's fit (names and shapes), which the trainer checks on loading.
 */
record ResumeFile(Map<String, HostArray> weights, Map<String, HostArray> momentum, List<EpochRecord> history,
                  int epochsDone) {

    /** file as written for config (its JSON) on data, of a run of epochs epochs. */
    static ResumeFile read(Path file, String config, String data, int epochs) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!Trainer.FORMAT.equals(meta.get("format")))
            throw bad(file, "it is not a training state (metadata format " + quote(meta.get("format")) + ", expected "
                    + Trainer.FORMAT + ")");
        if (!json(file, meta, "config").equals(JsonFormat.read(config)))
            throw new IOException(OneLine.of("--resume: " + file + " was trained with " + meta.get("config")
                    + ", this run asks for " + config));
        if (!data.equals(meta.get("data")))
            throw new IOException(OneLine.of("--resume: " + file + " was trained on " + meta.get("data") + ", this run on "
                    + data));
        int done = epochsDone(file, meta.get("epoch"), epochs);
        List<EpochRecord> history;
        try {
            history = EpochRecord.listFromJson(json(file, meta, "history"));
        } catch (IllegalArgumentException e) {
            throw bad(file, "metadata 'history': " + e.getMessage());
        }
        if (history.size() != done)
            throw bad(file, "metadata 'history' has " + history.size() + " epochs, 'epoch' says " + done);
        for (int i = 0; i < done; i++)
            if (history.get(i).epoch() != i + 1)
                throw bad(file, "metadata 'history' entry " + (i + 1) + " is epoch " + history.get(i).epoch());
        Map<String, HostArray> weights = new LinkedHashMap<>(), momentum = new LinkedHashMap<>();
        for (Map.Entry<String, HostArray> e : c.tensors().entrySet()) {
            int bad = e.getValue().nonFiniteCount();
            if (bad > 0) throw bad(file, "tensor '" + e.getKey() + "' holds " + bad + " NaN or infinite values");
            if (e.getKey().startsWith(Trainer.MOMENTUM)) momentum.put(e.getKey().substring(Trainer.MOMENTUM.length()), e.getValue());
            else weights.put(e.getKey(), e.getValue());
        }
        return new ResumeFile(weights, momentum, history, done);
    }

    private static JsonNode json(Path file, Map<String, String> meta, String key) throws IOException {
        String text = meta.get(key);
        if (text == null) throw bad(file, "metadata '" + key + "' is missing");
        try {
            return JsonFormat.read(text);
        } catch (JsonProcessingException e) {
            throw bad(file, "metadata '" + key + "': " + JsonFormat.describe(e));
        }
    }

    private static int epochsDone(Path file, String text, int epochs) throws IOException {
        if (text == null || !text.matches("[0-9]{1,9}"))
            throw bad(file, "metadata 'epoch' is " + quote(text) + ", expected the number of completed epochs, 0.."
                    + epochs);
        int done = Integer.parseInt(text);
        if (done > epochs)
            throw bad(file, "metadata 'epoch' is " + done + ", more than the " + epochs + " epochs of this run");
        return done;
    }

    private static String quote(String s) {
        return s == null ? "missing" : "'" + (s.length() <= 40 ? s : s.substring(0, 40) + "...") + "'";
    }


    private static IOException bad(Path file, String what) {
        return new IOException(OneLine.of("--resume: " + file + ": " + what));
    }
}
