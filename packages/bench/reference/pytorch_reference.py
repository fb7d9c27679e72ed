"""The same workloads as `pnpm bench`, in PyTorch on one CPU thread: the reference nnkit's numbers are set against.

Prints one JSON object: {"torch": version, "rows": [{"workload", "unit", "median", "rates"}]}.
Run by packages/bench when a python3 with torch is found (Debian: apt-get install python3-torch).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
WARMUP, REPEATS, MIN_SECONDS = (1, 3, 0.5) if QUICK else (2, 5, 2.0)


def measure(step, units):
    for _ in range(WARMUP):
        step()
    rates = []
    for _ in range(REPEATS):
        steps, start = 0, time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= MIN_SECONDS:
                break
        rates.append(steps * units / elapsed)
    return {"median": sorted(rates)[len(rates) // 2], "rates": rates}


def matmul(n=512):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return measure(lambda: torch.mm(a, b), 2 * n**3 / 1e9)


class LeNet5(nn.Module):
    """nnkit's modern preset: 28x28 padded to 32x32, C1 6@5x5, max pool, C3 16@5x5, max pool, 120, 84, 10, ReLU."""

    def __init__(self):
        super().__init__()
        self.c1, self.c3 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
        self.c5, self.f6, self.out = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(F.pad(x, (2, 2, 2, 2)))), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.c5(x.flatten(1)))
        return self.out(F.relu(self.f6(x)))


def training_step(model, loss_of):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        loss = loss_of()
        loss.backward()
        optimizer.step()

    return step


def lenet5(batch=64):
    model = LeNet5()
    xs, ys = torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,))
    return measure(training_step(model, lambda: F.cross_entropy(model(xs), ys)), batch)


class LstmLm(nn.Module):
    def __init__(self, vocabulary=2000, hidden=256):
        super().__init__()
        self.embed, self.lstm, self.out = nn.Embedding(vocabulary, 128), nn.LSTM(128, hidden, batch_first=True), nn.Linear(hidden, vocabulary)

    def forward(self, tokens):
        return self.out(self.lstm(self.embed(tokens))[0])


def lstm_lm(batch=32, steps=64, vocabulary=2000):
    model = LstmLm(vocabulary)
    tokens = torch.randint(0, vocabulary, (batch, steps + 1))
    loss_of = lambda: F.cross_entropy(model(tokens[:, :-1]).reshape(-1, vocabulary), tokens[:, 1:].reshape(-1))
    return measure(training_step(model, loss_of), batch * steps)


rows = [
    {"workload": "matMul 512×512", "unit": "GFLOP/s", **matmul()},
    {"workload": "LeNet-5 training, batch 64", "unit": "images/s", **lenet5()},
    {"workload": "LSTM LM training, batch 32, seq 64, hidden 256", "unit": "tokens/s", **lstm_lm()},
]
print(json.dumps({"torch": torch.__version__, "rows": rows}))
