"""PyTorch peer for bench/run.mjs: the same workloads as bench/workloads.mjs, on the CPU, float32.

Run as `OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_bench.py [--workloads W1,W2] [--quick] [--threads N]`.
Prints one JSON line per result, like the JavaScript participants. With UNROLL_BENCH_TURNS=1 (set by
bench/run.mjs) it takes turns like them (bench/timing.mjs): before each timed block (each warm-up,
each repeat) and each heavy set-up step it writes {"turn":"want","key":…,"what":…}, waits for the
line "go" on stdin, and writes {"turn":"done"} after the block.
"""
import json
import math
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
    "W5": dict(cell="gru", D=24, H=64, T=8, B=64, K=144, samples=8192, infer_batch=256, per_step=False, act="tanh",
               layers=2, dilations=[1, 1], quantiles=[0.5, 0.025, 0.975],
               panel=dict(series=414, period=24, horizon=48, windows_per_series=16, level_penalty=10.0, hw_learning_rate=0.01)),
}
METRICS = {"W1": ["train", "infer"], "W2": ["train", "infer"], "W3": ["train"], "W4": ["latency"], "W5": ["train"]}


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


class Dilated(nn.Module):
    """One recurrent layer whose state skips d - 1 steps: the d phases t mod d folded into the batch."""

    def __init__(self, rnn, d):
        super().__init__()
        self.rnn, self.d = rnn, d

    def forward(self, x):
        if self.d == 1:
            return self.rnn(x)[0]
        n, t, f = x.shape
        tp = -(-t // self.d) * self.d
        if tp != t:
            x = nn.functional.pad(x, (0, 0, 0, tp - t))
        # (N, T, F) -> (N, T/d, d, F) -> (N*d, T/d, F): phase p of sample n is row n*d + p
        y = self.rnn(x.reshape(n, tp // self.d, self.d, f).transpose(1, 2).reshape(n * self.d, tp // self.d, f))[0]
        h = y.shape[-1]
        return y.reshape(n, self.d, tp // self.d, h).transpose(1, 2).reshape(n, tp, h)[:, :t]


class Model(nn.Module):
    def __init__(self, w):
        super().__init__()
        layers = w.get("layers", 1)
        dilations = w.get("dilations", [1] * layers)
        if w["cell"] == "lstm" and layers == 1:
            self.rnn = nn.LSTM(w["D"], w["H"], batch_first=True)
        elif w["cell"] == "rnn":
            self.rnn = nn.RNN(w["D"], w["H"], nonlinearity=w["act"], batch_first=True)
        elif all(d == 1 for d in dilations):
            kind = nn.GRU if w["cell"] == "gru" else nn.LSTM
            self.rnn = kind(w["D"], w["H"], num_layers=layers, batch_first=True)
        else:
            kind = nn.GRU if w["cell"] == "gru" else nn.LSTM
            self.rnn = None
            self.stack = nn.ModuleList([Dilated(kind(w["D"] if l == 0 else w["H"], w["H"], batch_first=True), d) for l, d in enumerate(dilations)])
        self.head = nn.Linear(w["H"], w["K"])
        self.per_step = w["per_step"]

    def forward(self, x):
        if self.rnn is not None:
            out, _ = self.rnn(x)
        else:
            out = x
            for layer in self.stack:
                out = layer(out)
        return self.head(out if self.per_step else out[:, -1, :])


def pinball_loss(quantiles, k):
    """Mean over outputs of max(tau*u, (tau-1)*u), u = y - yhat; block q of the K outputs at level tau_q."""
    tau = torch.tensor(quantiles).repeat_interleave(k // len(quantiles))

    def loss(out, y):
        u = y - out
        return torch.maximum(tau * u, (tau - 1) * u).mean()

    return loss


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


def make_panel(w):
    """W5's synthetic panel and window order, the same formulas as makePanel in bench/workloads.mjs."""
    p = w["panel"]
    n_series, m, h, per = p["series"], p["period"], p["horizon"], p["windows_per_series"]
    lookback = w["T"] * w["D"]
    series = []
    for i in range(n_series):
        n = 700 + (37 * i) % 309
        t = torch.arange(n, dtype=torch.float64)
        r = 43758.5453 * torch.sin(12.9898 * t + 78.233 * i)
        series.append((10 + i) * (1 + 0.3 * torch.sin(2 * math.pi * t / m + i)) * (1 + 0.0005 * t) * (1 + 0.1 * (r - torch.floor(r) - 0.5)))
    pairs = []
    for k in range(n_series * per):
        i, j = k % n_series, k // n_series
        span = len(series[i]) - 2 * h - lookback + 1
        pairs.append((i, lookback + (7919 * j + 104729 * i) % span))
    return series, pairs


def logit(p):
    return math.log(p / (1 - p))


class PanelModel(nn.Module):
    """The panel forecaster of W5 (src/forecast/panel/holt-winters.ts, train.ts) in PyTorch: per-series
    Holt-Winters parameters (a, g, u_0 … u_{m-1}; alpha = sigmoid(a), gamma = sigmoid(g), s_j = exp(u_j)) in a
    sparse embedding, the recursion run in float64 over the batch's series together (one step of [B] tensors
    per time step up to the latest window end: PyTorch 1.13 has no scan), windows normalised and log-squashed,
    the GRU network in float32, the pinball loss plus lambda times each window's mean squared second
    difference of the log level (averaged over the batch)."""

    def __init__(self, w, series):
        super().__init__()
        p = w["panel"]
        m = self.m = p["period"]
        self.h, self.lam = p["horizon"], p["level_penalty"]
        self.lookback = w["T"] * w["D"]
        self.net = Model(w)
        init = torch.zeros(len(series), 2 + m, dtype=torch.float64)
        init[:, 0], init[:, 1] = logit(0.5), logit(0.25)
        for i, y in enumerate(series):
            seasons = min(4, len(y) // m)
            block = y[: seasons * m].reshape(seasons, m)
            init[i, 2:] = torch.log(block / block.mean(1, keepdim=True)).mean(0)
        self.hw = nn.Embedding(len(series), 2 + m, sparse=True, dtype=torch.float64)
        with torch.no_grad():
            self.hw.weight.copy_(init)
        longest = max(len(y) for y in series)
        self.values = torch.ones(len(series), longest, dtype=torch.float64)
        for i, y in enumerate(series):
            self.values[i, : len(y)] = y
        self.tau = torch.tensor(w["quantiles"]).repeat_interleave(self.h)

    def loss(self, idx, ends):
        m, h, L = self.m, self.h, self.lookback
        par = self.hw(idx)
        alpha, gamma, s0 = torch.sigmoid(par[:, 0]), torch.sigmoid(par[:, 1]), torch.exp(par[:, 2:])
        span = int(ends.max()) + h
        y = self.values[idx, :span]
        season = [s0[:, j] for j in range(m)]
        level = [y[:, 0] / season[0]]
        season.append(gamma * y[:, 0] / level[0] + (1 - gamma) * season[0])
        for t in range(1, int(ends.max())):
            level.append(alpha * y[:, t] / season[t] + (1 - alpha) * level[-1])
            season.append(gamma * y[:, t] / level[-1] + (1 - gamma) * season[t])
        lv = torch.stack(level, 1)
        logs = torch.log(torch.stack(season, 1))
        rows = torch.arange(len(idx))[:, None]
        log_level = torch.log(lv[rows[:, 0], ends - 1])[:, None]
        pos = ends[:, None] - L + torch.arange(L)[None, :]
        x = torch.log(y[rows, pos]) - log_level - logs[rows, pos]
        fut = ends[:, None] + torch.arange(h)[None, :]
        z = torch.log(y[rows, fut]) - log_level - logs[rows, ends[:, None] + torch.arange(h)[None, :] % m]  # s_{e + (k mod m)}
        out = self.net(x.float().reshape(len(idx), L // m, m))
        u = z.float().repeat(1, len(self.tau) // h) - out
        pin = torch.maximum(self.tau * u, (self.tau - 1) * u).mean()
        ll = torch.log(lv)
        d2 = ll[:, 2:] - 2 * ll[:, 1:-1] + ll[:, :-2]
        mask = (torch.arange(2, lv.shape[1])[None, :] < ends[:, None]).to(d2.dtype)
        pen = ((d2 * d2 * mask).sum(1) / (ends - 2).to(d2.dtype)).mean()
        return pin + self.lam * pen


for wid in (arg("--workloads", "W1,W2,W3,W4,W5")).split(","):
    w = WORKLOADS[wid]
    if "panel" in w:
        phase(wid, "train")
        with turn("setup"):
            torch.manual_seed(0)
            series, pairs = make_panel(w)
            pm = PanelModel(w, series)
            opt = torch.optim.Adam(pm.net.parameters(), lr=1e-3)
            hw_opt = torch.optim.SparseAdam(list(pm.hw.parameters()), lr=w["panel"]["hw_learning_rate"])
            idx_all = torch.tensor([i for i, _ in pairs])
            end_all = torch.tensor([e for _, e in pairs])
        state = {"from": 0}

        def panel_step():
            f = state["from"]
            if f + w["B"] > len(pairs):
                f = 0
            opt.zero_grad()
            hw_opt.zero_grad()
            loss = pm.loss(idx_all[f:f + w["B"]], end_all[f:f + w["B"]])
            loss.backward()
            nn.utils.clip_grad_norm_(pm.net.parameters(), 1.0)
            opt.step()
            hw_opt.step()
            state["from"] = f + w["B"]
            return w["B"]

        v, reps = measure_rate(panel_step, w["samples"])
        emit(wid, "train", v, repeats=reps, note=f"{THREADS} thread(s), Holt-Winters recursion over the batch in float64, network in float32")
        continue
    phase(wid, METRICS[wid][0])
    with turn("setup"):
        torch.manual_seed(0)
        model = Model(w)
    if "train" in METRICS[wid]:
        phase(wid, "train")
        with turn("setup"):
            x, y = make_data(w, max(w["samples"], w["B"]))
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            loss_fn = nn.CrossEntropyLoss() if w["per_step"] else pinball_loss(w["quantiles"], w["K"]) if "quantiles" in w else nn.MSELoss()
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
