"""PyTorch single-thread reference for bench/run.mjs.

    /usr/bin/python3 bench/python/ref.py '<json spec>'

spec: {"workload": "matmul"|"add"|"conv2d"|"adam"|"mnist_seed"|"mnist_current"|"lstm_lm"|"transformer_encoder", ...params}
Prints one JSON object on the last line of stdout: {"ok": true, "best": s, "median": s, ...} with
seconds per call, or {"ok": false, "error": "..."}. Same timing scheme as bench/lib/timing.mjs.
"""
import os, json
import sys
import time


def summarize(times, reps):
    s = sorted(times)
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return {"best": s[0], "median": med, "samples": n, "reps": reps}


def measure(fn, sample_ms=60, samples=7, warmup=2):
    for _ in range(warmup):
        fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = (time.perf_counter() - t0) * 1000
        if dt >= sample_ms / 2:
            reps = max(1, round(reps * sample_ms / max(dt, 1e-3)))
            break
        reps *= 8 if dt < 1 else 2
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t0) / reps)
    return summarize(times, reps)


def measure_steps(fn, warmup=3, steps=15):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return summarize(times, 1)


def blas_lib():
    """The BLAS shared library actually mapped (Debian's torch dlopens it through alternatives)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {l.split()[-1].rsplit("/", 1)[-1] for l in f if "blas" in l.lower()}
        return ",".join(sorted(libs))
    except OSError:
        return ""


def main():
    spec = json.loads(sys.argv[1])
    import torch
    torch.set_num_threads(int(os.environ.get('WEBTORCH_BENCH_THREADS', '1')))
    torch.manual_seed(0)
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "blas": blas_lib()}
    w = spec["workload"]
    samples = spec.get("samples", 7)
    F = torch.nn.functional

    if w == "matmul":
        n = spec["n"]
        a, b = torch.rand(n, n), torch.rand(n, n)
        r = measure(lambda: torch.matmul(a, b), samples=samples)
    elif w == "add":
        n = spec["n"]
        a, b = torch.rand(n), torch.rand(n)
        r = measure(lambda: torch.add(a, b), samples=samples)
    elif w == "conv2d":
        x = torch.randn(*spec["input"], requires_grad=True)
        co, ci, kh, kw = spec["weight"]
        wt = torch.randn(co, ci, kh, kw, requires_grad=True)
        bias = torch.randn(co, requires_grad=True)
        gy = None

        def fwd():
            with torch.no_grad():
                F.conv2d(x, wt, bias)

        def fb():
            nonlocal gy
            x.grad = wt.grad = bias.grad = None
            y = F.conv2d(x, wt, bias)
            if gy is None:
                gy = torch.randn_like(y)
            y.backward(gy)
        r = measure(fb, samples=samples)
        r["forward"] = measure(fwd, samples=samples)
    elif w == "adam":
        n = spec["n"]
        p = torch.nn.Parameter(torch.randn(n))
        p.grad = torch.randn(n)
        opt = torch.optim.Adam([p], lr=1e-3)
        r = measure(opt.step, samples=samples, sample_ms=200, warmup=2)
    elif w in ("mnist_seed", "mnist_current"):
        bs = spec.get("batch", 64)
        x = torch.randn(bs, 1, 28, 28)
        y = torch.randint(0, 10, (bs,))
        from mnist_nets import Current, Seed
        if w == "mnist_seed":
            model = Seed()
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
        else:
            model = Current()
            opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
        model.train()

        def step():
            opt.zero_grad()
            loss = F.nll_loss(model(x), y)
            loss.backward()
            opt.step()
        r = measure_steps(step, warmup=spec.get("warmup", 3), steps=spec.get("steps", 15))
    elif w == "lstm_lm":
        # examples/word_language_model RNNModel (LSTM), its defaults; a fresh zero state per step
        nt, ni, nh, nl, p = spec["ntoken"], spec["ninp"], spec["nhid"], spec["nlayers"], spec["dropout"]
        enc, drop = torch.nn.Embedding(nt, ni), torch.nn.Dropout(p)
        rnn = torch.nn.LSTM(ni, nh, nl, dropout=p)
        dec = torch.nn.Linear(nh, nt)
        params = [q for m in (enc, rnn, dec) for q in m.parameters()]
        opt = torch.optim.SGD(params, lr=20)
        data = torch.randint(0, nt, (spec["seq"], spec["batch"]))
        targets = torch.randint(0, nt, (spec["seq"] * spec["batch"],))

        def step():
            opt.zero_grad()
            out, _ = rnn(drop(enc(data)))
            loss = F.cross_entropy(dec(drop(out)).view(-1, nt), targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 0.25)
            opt.step()
        r = measure_steps(step, warmup=spec.get("warmup", 3), steps=spec.get("steps", 15))
    elif w == "transformer_encoder":
        d = spec["d_model"]
        layer = torch.nn.TransformerEncoderLayer(d, spec["nhead"], batch_first=True)
        layer.train()
        opt = torch.optim.Adam(layer.parameters(), lr=1e-4)
        x = torch.randn(spec["batch"], spec["seq"], d)
        y = torch.randn(spec["batch"], spec["seq"], d)

        def step():
            opt.zero_grad()
            loss = F.mse_loss(layer(x), y)
            loss.backward()
            opt.step()
        r = measure_steps(step, warmup=spec.get("warmup", 3), steps=spec.get("steps", 15))
    else:
        raise ValueError("unknown workload " + w)
    r.update(ok=True, **info)
    print(json.dumps(r))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # reported as a skipped cell, not a crash of the whole run
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
