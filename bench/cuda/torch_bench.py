#!/usr/bin/env python3
"""PyTorch's side of the GPU benchmarks: the cases of cases.json on the same GPU as CudaBench.

usage: torch_bench.py kernels|train CASES.json OUT.jsonl [--device cuda|cpu] [--quick]

Writes JSON lines with the keys CudaBench writes (side, variant, kind, case, pass, ms, min_ms,
gflops, ...), so that report.py can put the two side by side. Variants: "fp32" (TF32 off for cuDNN
and matmul: exact float32, as our "ptx" and "cudnn" variants) and "tf32" (both on, as our
"-tf32" variants). Kernels run with torch.backends.cudnn.benchmark on (PyTorch picks its fastest
algorithm); the training step runs plain eager (benchmark off, PyTorch's default) and with benchmark
on. Timing: CUDA events around each call (host clock on the CPU), median of the repetitions.

--device cpu --quick exists to check this script where there is no GPU (batch 2, one repetition).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VARIANTS = {"fp32": False, "tf32": True}


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


class Timer:
    def __init__(self, device):
        self.device = device

    def ms(self, fn):
        if self.device == "cuda":
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            return start.elapsed_time(end)
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) * 1000


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


class Out:
    def __init__(self, path):
        self.f = open(path, "w")

    def add(self, **record):
        line = json.dumps(record)
        self.f.write(line + "\n")
        self.f.flush()
        print(line, flush=True)


def kernels(cases, out, device, quick):
    torch.backends.cudnn.benchmark = True
    batch = 2 if quick else cases["batch"]
    warmup, reps = (0, 1) if quick else (cases["timing"]["warmup"], cases["timing"]["reps"])
    timer = Timer(device)
    gen = torch.Generator(device="cpu").manual_seed(1)

    def rand(*shape):
        return torch.randn(*shape, generator=gen).to(device)

    def time_it(variant, kind, name, pass_, flops, fn):
        for _ in range(warmup):
            timer.ms(fn)
        ms = [timer.ms(fn) for _ in range(reps)]
        first = ms[0]
        m = median(ms)
        out.add(side="torch", variant=variant, kind=kind, case=name, **{"pass": pass_}, ms=m, min_ms=min(ms),
                first_ms=first, gflops=flops / m / 1e6 if flops else 0.0)

    for variant, tf32 in VARIANTS.items():
        set_tf32(tf32)
        with torch.no_grad():
            for c in cases["conv"]:
                n, cin, h, w, k, r = batch, c["c"], c["h"], c["w"], c["k"], c["r"]
                s, p, d, g = c["stride"], c["pad"], c["dil"], c["groups"]
                x, wt = rand(n, cin, h, w), rand(k, cin // g, r, r)
                y = F.conv2d(x, wt, None, s, p, d, g)
                dy = rand(*y.shape)
                flops = 2.0 * y.numel() * (cin // g) * r * r
                args = ([s, s], [p, p], [d, d], False, [0, 0], g)
                time_it(variant, "conv", c["name"], "forward", flops, lambda: F.conv2d(x, wt, None, s, p, d, g))
                time_it(variant, "conv", c["name"], "backward_data", flops,
                        lambda: torch.ops.aten.convolution_backward(dy, x, wt, None, *args, [True, False, False]))
                time_it(variant, "conv", c["name"], "backward_weight", flops,
                        lambda: torch.ops.aten.convolution_backward(dy, x, wt, None, *args, [False, True, False]))
        if tf32:
            continue                       # batch norm and the mixed sum do not use TF32
        for c in cases["batchnorm"]:
            x, dy = rand(batch, c["c"], c["h"], c["w"]), rand(batch, c["c"], c["h"], c["w"])
            gamma, beta = rand(c["c"]).requires_grad_(), rand(c["c"]).requires_grad_()
            rm, rv = torch.zeros(c["c"], device=device), torch.ones(c["c"], device=device)
            xg = x.clone().requires_grad_()

            def bn_forward():
                with torch.no_grad():
                    F.batch_norm(x, rm, rv, gamma, beta, True, 0.1, 1e-5)

            def bn_forward_backward():
                y = F.batch_norm(xg, rm, rv, gamma, beta, True, 0.1, 1e-5)
                torch.autograd.grad(y, [xg, gamma, beta], dy)

            time_it(variant, "batchnorm", c["name"], "forward", 0, bn_forward)
            time_it(variant, "batchnorm", c["name"], "forward_backward", 0, bn_forward_backward)
        for c in cases["mixed"]:
            xs = [rand(batch, c["c"], c["h"], c["w"]).requires_grad_() for _ in range(c["inputs"])]
            wts = rand(c["inputs"]).requires_grad_()
            dy = rand(batch, c["c"], c["h"], c["w"])

            def mixed():
                y = wts[0] * xs[0]
                for i in range(1, len(xs)):
                    y = y + wts[i] * xs[i]
                return y

            def mixed_forward():
                with torch.no_grad():
                    mixed()

            time_it(variant, "mixed", c["name"], "forward", 0, mixed_forward)
            time_it(variant, "mixed", c["name"], "forward_backward", 0,
                    lambda: torch.autograd.grad(mixed(), xs + [wts], dy))


class BasicBlock(nn.Module):
    """kuangliu/pytorch-cifar's BasicBlock, as models/ResNet.java builds it."""

    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or inp != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        layers, inp = [], 64
        for planes, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            layers.append(nn.Sequential(BasicBlock(inp, planes, stride), BasicBlock(planes, planes, 1)))
            inp = planes
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(512, classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def train(cases, out, device, quick):
    t = cases["train"]
    batch = 2 if quick else t["batch"]
    warmup, steps = (1, 2) if quick else (t["warmup"], t["steps"])
    for variant, tf32 in VARIANTS.items():
        for benchmark in (False, True):
            set_tf32(tf32)
            torch.backends.cudnn.benchmark = benchmark
            torch.manual_seed(1)
            model = ResNet18(t["classes"]).to(device).train()
            opt = torch.optim.SGD(model.parameters(), lr=t["lr"], momentum=t["momentum"], weight_decay=t["weight_decay"])
            x = torch.randn(batch, 3, 32, 32, device=device)
            y = torch.randint(0, t["classes"], (batch,), device=device)
            ms, losses = [], []
            for i in range(warmup + steps):
                if device == "cuda":
                    torch.cuda.synchronize()
                t0 = time.perf_counter()
                opt.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())          # waits for the device, as ours does
                if i >= warmup:
                    ms.append((time.perf_counter() - t0) * 1000)
            m = median(ms)
            out.add(side="torch", variant=variant + ("-cudnn-benchmark" if benchmark else ""), kind="train",
                    case="resnet18 batch %d" % batch, ms=m, min_ms=min(ms), images_per_s=batch / m * 1000,
                    loss_first=losses[0], loss_last=losses[-1],
                    peak_reserved_mib=torch.cuda.max_memory_reserved() / 2**20 if device == "cuda" else 0.0)


def main(argv):
    if len(argv) < 3 or argv[0] not in ("kernels", "train"):
        sys.exit(__doc__)
    device = argv[argv.index("--device") + 1] if "--device" in argv else "cuda"
    quick = "--quick" in argv
    with open(argv[1]) as f:
        cases = json.load(f)
    out = Out(argv[2])
    info = {"torch": torch.__version__, "cuda": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version() if device == "cuda" else None,
            "gpu": torch.cuda.get_device_name(0) if device == "cuda" else "cpu"}
    out.add(side="torch", variant="-", kind="device", describe=json.dumps(info))
    (kernels if argv[0] == "kernels" else train)(cases, out, device, quick)


if __name__ == "__main__":
    main(sys.argv[1:])
