"""PyTorch peer for bench/run.mjs: the same workloads as bench/workloads.mjs, on the CPU, float32.

Run as `OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py [--workloads W1,W2] [--quick] [--threads N]`.
Prints one JSON line per result, like the JavaScript participants. With UNROLL_BENCH_TURNS=1 (set by
bench/run.mjs) it takes turns like them (bench/timing.mjs): before each timed block (each warm-up,
each repeat) and each heavy set-up step it writes {"turn":"want","key":…,"what":…}, waits for the
line "go" on stdin, and writes {"turn":"done"} after the block.
"""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

WORKLOADS = {
    "W1": dict(cell="lstm", D=4, H=64, T=30, B=64, K=1, samples=8192, infer_batch=256, per_step=False, act="tanh"),
    "W2": dict(cell="rnn", D=4, H=64, T=30, B=64, K=1, samples=8192, infer_batch=256, per_step=False, act="tanh"),
    "W3": dict(cell="lstm", D=65, H=256, T=64, B=32, K=65, samples=256, infer_batch=32, per_step=True, act="tanh"),
    "W4": dict(cell="rnn", D=1, H=1, T=3, B=1, K=1, samples=1, infer_batch=1, per_step=False, act="relu"),
}
METRICS = {"W1": ["train", "infer"], "W2": ["train", "infer"], "W3": ["train"], "W4": ["latency"]}


def arg(name, default=None):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


QUICK = "--quick" in sys.argv
BUDGET = dict(warmup=0.6, seconds=0.5, repeats=3) if QUICK else dict(warmup=1.5, seconds=2.0, repeats=5)
THREADS = int(arg("--threads", "1"))
torch.set_num_threads(THREADS)
NAME = "pytorch"


TURNS = os.environ.get("UNROLL_BENCH_TURNS") == "1"
CRASH_TURN = int(os.environ.get("UNROLL_BENCH_CRASH_TURN", "0") or 0)
_turn = {"key": None, "holding": False, "granted": 0}


def phase(workload, metric):
    _turn["key"] = f"{workload}/{metric}"


class turn:
    """`with turn("repeat 2"):` runs the block while holding the harness's token (no-op without turns)."""

    def __init__(self, what):
        self.what = what
        self.mine = False

    def __enter__(self):
        if not TURNS or _turn["holding"]:
            return self
        print(json.dumps({"turn": "want", "key": _turn["key"], "what": self.what}), flush=True)
        line = sys.stdin.readline()
        if line.strip() != "go":
            sys.exit(f"bench turn: expected 'go' from the harness, got {line.strip()!r}" if line else "bench turn: the harness closed stdin")
        _turn["holding"] = self.mine = True
        _turn["granted"] += 1
        if _turn["granted"] == CRASH_TURN:
            sys.stderr.write(f"UNROLL_BENCH_CRASH_TURN={CRASH_TURN}: exiting while holding the turn\n")
            sys.stderr.flush()
            os._exit(70)
        return self

    def __exit__(self, *exc):
        if self.mine:
            _turn["holding"] = False
            print('{"turn":"done"}', flush=True)
        return False


def emit(workload, metric, value, **extra):
    print(json.dumps(dict(participant=NAME, workload=workload, metric=metric, value=value, **extra)), flush=True)


def measure_rate(step, max_units=float("inf")):
    with turn("warm-up"):
        t0 = time.perf_counter()
        while True:
            step()
            if time.perf_counter() - t0 >= BUDGET["warmup"]:
                break
    rates = []
    for r in range(BUDGET["repeats"]):
        with turn(f"repeat {r + 1}"):
            units = 0
            t0 = time.perf_counter()
            while True:
                units += step()
                dt = time.perf_counter() - t0
                if dt >= BUDGET["seconds"] or units >= max_units:
                    break
            rates.append(units / dt)
    return statistics.median(rates), rates


def measure_latency(fn):
    with turn("warm-up"):
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < BUDGET["warmup"]:
            for _ in range(100):
                fn()
    lat = []
    for r in range(BUDGET["repeats"]):
        with turn(f"repeat {r + 1}"):
            calls = 0
            t0 = time.perf_counter()
            while True:
                for _ in range(200):
                    fn()
                calls += 200
                dt = time.perf_counter() - t0
                if dt >= BUDGET["seconds"]:
                    break
            lat.append(dt * 1e6 / calls)
    return statistics.median(lat), lat


class Model(nn.Module):
    def __init__(self, w):
        super().__init__()
        if w["cell"] == "lstm":
            self.rnn = nn.LSTM(w["D"], w["H"], batch_first=True)
        else:
            self.rnn = nn.RNN(w["D"], w["H"], nonlinearity=w["act"], batch_first=True)
        self.head = nn.Linear(w["H"], w["K"])
        self.per_step = w["per_step"]

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out if self.per_step else out[:, -1, :])


def make_data(w, count):
    g = torch.Generator().manual_seed(7)
    if w["per_step"]:
        idx = torch.randint(0, w["D"], (count, w["T"]), generator=g)
        x = nn.functional.one_hot(idx, w["D"]).float()
        y = torch.randint(0, w["K"], (count, w["T"]), generator=g)
        return x, y
    steps = (torch.rand(count, w["T"], 1, generator=g) - 0.5) * 0.1
    price = steps.cumsum(1)
    x = price + (torch.rand(count, w["T"], w["D"], generator=g) - 0.5) * 0.02
    y = price[:, -1, :].repeat(1, w["K"]) + (torch.rand(count, w["K"], generator=g) - 0.5) * 0.1
    return x.contiguous(), y


for wid in (arg("--workloads", "W1,W2,W3,W4")).split(","):
    w = WORKLOADS[wid]
    phase(wid, METRICS[wid][0])
    with turn("setup"):
        torch.manual_seed(0)
        model = Model(w)
    if "train" in METRICS[wid]:
        phase(wid, "train")
        with turn("setup"):
            x, y = make_data(w, max(w["samples"], w["B"]))
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = nn.CrossEntropyLoss() if w["per_step"] else nn.MSELoss()
            nb = x.shape[0] // w["B"]
            batches = [(x[i * w["B"]:(i + 1) * w["B"]], y[i * w["B"]:(i + 1) * w["B"]]) for i in range(nb)]
        state = {"i": 0}
        units = w["B"] * w["T"] if w["per_step"] else w["B"]

        def step():
            xb, yb = batches[state["i"] % nb]
            state["i"] += 1
            opt.zero_grad()
            out = model(xb)
            loss = loss_fn(out.reshape(-1, w["K"]), yb.reshape(-1)) if w["per_step"] else loss_fn(out, yb)
            loss.backward()
            opt.step()
            return units

        v, reps = measure_rate(step, float("inf") if w["per_step"] else w["samples"])
        emit(wid, "train", v, repeats=reps, note=f"{THREADS} thread(s)")
    if "infer" in METRICS[wid]:
        phase(wid, "infer")
        with turn("setup"):
            x, _ = make_data(w, w["samples"])
            chunks = list(torch.split(x, w["infer_batch"]))
        state = {"i": 0}

        def infer():
            with torch.no_grad():
                model(chunks[state["i"] % len(chunks)])
            state["i"] += 1
            return w["infer_batch"]

        v, reps = measure_rate(infer, w["samples"])
        emit(wid, "infer", v, repeats=reps, note=f"batch {w['infer_batch']}, {THREADS} thread(s)")
    if "latency" in METRICS[wid]:
        phase(wid, "latency")
        x = torch.tensor([[[1.0], [2.0], [3.0]]])

        def run():
            with torch.no_grad():
                model(x)

        v, reps = measure_latency(run)
        emit(wid, "latency", v, repeats=reps, note="forward of one 3-step sequence, no_grad")
