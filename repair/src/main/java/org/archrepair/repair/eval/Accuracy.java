package org.archrepair.repair.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model did on a labelled set: overall and per-class accuracy and the confusion matrix
 * (rows = true class, columns = predicted class), computed from per-example predictions.
 */
public record Accuracy(List<String> classes, int[] labels, int[] predictions) {

    public Accuracy {
        if (labels.length != predictions.length)
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        classes = List.copyOf(classes);
    }

    public int total() {
        return labels.length;
    }

    public int correct() {
        int c = 0;
        for (int i = 0; i < labels.length; i++) if (labels[i] == predictions[i]) c++;
        return c;
    }

    /** A fraction in [0, 1]. */
    public double accuracy() {
        return total() == 0 ? 0 : (double) correct() / total();
    }

    /** confusion[t][p] = number of examples of true class t predicted as p. */
    public int[][] confusion() {
        int k = classes.size();
        int[][] m = new int[k][k];
        for (int i = 0; i < labels.length; i++) m[labels[i]][predictions[i]]++;
        return m;
    }

    /** The same predictions restricted to the examples at indices (e.g. D_v minus D_fail). */
    public Accuracy subset(int[] indices) {
        int[] l = new int[indices.length], p = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            l[i] = labels[indices[i]];
            p[i] = predictions[indices[i]];
        }
        return new Accuracy(classes, l, p);
    }

    /** Dataset indices of the misclassified examples, ascending. */
    public int[] failures() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) if (labels[i] != predictions[i]) out.add(i);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The JSON report: model, total, correct, accuracy, per_class (name -> total/correct/accuracy), confusion. */
    public Map<String, Object> toJson(String model) {
        int[][] conf = confusion();
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            int n = 0;
            for (int v : conf[c]) n += v;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("total", n);
            e.put("correct", conf[c][c]);
            e.put("accuracy", n == 0 ? 0.0 : (double) conf[c][c] / n);
            perClass.put(classes.get(c), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("total", total());
        out.put("correct", correct());
        out.put("accuracy", accuracy());
        out.put("per_class", perClass);
        List<Object> rows = new ArrayList<>();
        for (int[] row : conf) rows.add(row);
        out.put("confusion", rows);
        out.put("classes", classes);
        return out;
    }

    /** The human-readable report: overall line, per-class table, confusion matrix. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("accuracy %d/%d (%.2f%%)%n%n", correct(), total(), 100 * accuracy()));
        int[][] conf = confusion();
        int w = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        b.append(String.format("%-" + w + "s %7s %7s %8s%n", "class", "total", "correct", "accuracy"));
        for (int c = 0; c < classes.size(); c++) {
            int n = 0;
            for (int v : conf[c]) n += v;
            b.append(String.format("%-" + w + "s %7d %7d %7.2f%%%n", classes.get(c), n, conf[c][c],
                    n == 0 ? 0.0 : 100.0 * conf[c][c] / n));
        }
        b.append(String.format("%nconfusion (rows: true class, columns: predicted)%n%-" + w + "s", ""));
        for (int c = 0; c < classes.size(); c++) b.append(String.format(" %5.5s", classes.get(c)));
        b.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            b.append(String.format("%-" + w + "s", classes.get(t)));
            for (int p = 0; p < classes.size(); p++) b.append(String.format(" %5d", conf[t][p]));
            b.append('\n');
        }
        return b.toString();
    }
}
