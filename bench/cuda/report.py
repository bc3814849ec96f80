#!/usr/bin/env python3
"""Puts the GPU benchmarks side by side: report.py OUT_DIR writes OUT_DIR/summary.md.

Reads OUT_DIR/{ours,torch}-{kernels,train}.jsonl (CudaBench and torch_bench.py) and the JUnit XML
reports under OUT_DIR/conformance/. Ratios are PyTorch time / ours, as in RESULTS.md (> 1: ours is
faster); for training, ours images/s / PyTorch's (the same thing). Missing files or rows show as
"-": a run cut short by its time limit still gets a summary of what it measured.
"""
import glob
import json
import os
import sys
import xml.etree.ElementTree as ET

# our variant -> the PyTorch variant it is compared with
PAIRS = [("ptx", "fp32"), ("ptx-tf32", "tf32"), ("cudnn", "fp32"), ("cudnn-tf32", "tf32")]


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        pass                        # a line cut by a time limit
    return rows


def fmt(x, digits=3):
    return "-" if x is None else ("%.*f" % (digits, x))


def ratio(torch_ms, ours_ms):
    return None if torch_ms is None or ours_ms is None or ours_ms == 0 else torch_ms / ours_ms


def kernel_tables(ours, torch):
    index = {}
    for r in ours + torch:
        if "pass" in r:
            index[(r["side"], r["variant"], r["kind"], r["case"], r["pass"])] = r["ms"]
    keys = []
    for r in ours + torch:
        if "pass" in r and (r["kind"], r["case"], r["pass"]) not in keys:
            keys.append((r["kind"], r["case"], r["pass"]))
    lines = []
    for kind in ("conv", "batchnorm", "mixed"):
        rows = [k for k in keys if k[0] == kind]
        if not rows:
            continue
        pairs = PAIRS if kind == "conv" else PAIRS[:1]
        lines.append("\n### %s (ms, median; ratio = PyTorch / ours)\n" % kind)
        header = "| case | pass | " + " | ".join("ours %s | torch %s | ratio" % p for p in pairs) + " |"
        lines += [header, "|" + "---|" * (2 + 3 * len(pairs))]
        for _, case, pass_ in rows:
            cells = []
            for ov, tv in pairs:
                o, t = index.get(("ours", ov, kind, case, pass_)), index.get(("torch", tv, kind, case, pass_))
                cells += [fmt(o), fmt(t), fmt(ratio(t, o), 2)]
            lines.append("| %s | %s | %s |" % (case, pass_, " | ".join(cells)))
    return lines


def train_table(ours, torch):
    o = {r["variant"]: r for r in ours if r.get("kind") == "train"}
    t = {r["variant"]: r for r in torch if r.get("kind") == "train"}
    lines = ["\n### ResNet-18 training step (batch 128, fp32; images/s; ratio = ours / PyTorch eager)\n",
             "| ours | images/s | ms | loss first -> last | PyTorch | images/s | ratio | PyTorch (cudnn.benchmark) | images/s | ratio |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for ov, tv in PAIRS:
        a, b, c = o.get(ov), t.get(tv), t.get(tv + "-cudnn-benchmark")
        ips = lambda r: r["images_per_s"] if r else None
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            ov, fmt(ips(a), 0), fmt(a["ms"] if a else None, 1),
            "%.3f -> %.3f" % (a["loss_first"], a["loss_last"]) if a else "-",
            tv, fmt(ips(b), 0), fmt(ratio(ips(a), ips(b)), 2), tv + " benchmark", fmt(ips(c), 0),
            fmt(ratio(ips(a), ips(c)), 2)))
    for ov in o:
        a = o[ov]
        lines.append("\n%s: peak reserved %.0f MiB, cuMemAlloc calls %d after warm-up, %d at the end" % (
            ov, a["peak_reserved_mib"], a["driver_allocations_after_warmup"], a["driver_allocations_end"]))
    return lines


def conformance(out_dir):
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    failed = []
    for path in glob.glob(os.path.join(out_dir, "conformance", "**", "*.xml"), recursive=True):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for suite in root.iter("testsuite"):
            for k in totals:
                totals[k] += int(suite.get(k, 0))
            for case in suite.iter("testcase"):
                if case.find("failure") is not None or case.find("error") is not None:
                    failed.append("%s.%s" % (case.get("classname"), case.get("name")))
    lines = ["\n### Conformance on the GPU\n",
             "tests %(tests)d, failures %(failures)d, errors %(errors)d, skipped %(skipped)d" % totals]
    lines += ["- failed: " + f for f in failed[:50]]
    return lines


def main(out_dir):
    ours_k, torch_k = load(os.path.join(out_dir, "ours-kernels.jsonl")), load(os.path.join(out_dir, "torch-kernels.jsonl"))
    ours_t, torch_t = load(os.path.join(out_dir, "ours-train.jsonl")), load(os.path.join(out_dir, "torch-train.jsonl"))
    lines = ["# GPU benchmarks: ours beside PyTorch on the same GPU\n"]
    for r in ours_k + torch_k + ours_t + torch_t:
        if r.get("kind") in ("device", "unavailable"):
            lines.append("- %s %s %s: %s" % (r["side"], r["variant"], r["kind"], r.get("describe") or r.get("reason")))
    lines += conformance(out_dir)
    lines += kernel_tables(ours_k, torch_k)
    lines += train_table(ours_t, torch_t)
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
