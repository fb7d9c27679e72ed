"""The same workloads as `pnpm bench`, in PyTorch on the CPU: the reference nnkit's numbers are set against.

`--threads N` sets PyTorch's threads (default 1). Prints one JSON object:
{"torch": version, "threads": N, "rows": [{"workload", "unit", "median", "rates"}]}.
Run by packages/bench with a python3 that has torch (Debian's python3-torch, or a venv the bench makes).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
DEVICE = torch.device(sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "cpu")
torch.set_num_threads(THREADS)
torch.set_default_device(DEVICE)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
WARMUP, REPEATS, MIN_SECONDS = (1, 3, 0.5) if QUICK else (2, 5, 2.0)


def synchronized(step):
    """On a GPU a step only queues kernels: wait for them, so that the time is the work's."""
    if DEVICE.type != "cuda":
        return step

    def run():
        step()
        torch.cuda.synchronize()

    return run


def measure(step, units):
    step = synchronized(step)
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


class Seq2SeqAttention(nn.Module):
    """nnkit's seq2seq/translator with attention 'bahdanau': a bidirectional LSTM encoder, a tanh bridge from its final
    states to the decoder's, additive attention on the previous decoder output, the context fed with y_{t-1} into an
    LSTM cell, the output layer on the decoder's h."""

    def __init__(self, vocabulary=64, embedding=64, units=128):
        super().__init__()
        self.source_embed, self.target_embed = nn.Embedding(vocabulary, embedding), nn.Embedding(vocabulary, embedding)
        self.encoder = nn.LSTM(embedding, units, batch_first=True, bidirectional=True)
        self.bridge_h, self.bridge_c = nn.Linear(2 * units, units), nn.Linear(2 * units, units)
        self.key, self.query, self.score = nn.Linear(2 * units, units, bias=False), nn.Linear(units, units), nn.Linear(units, 1, bias=False)
        self.cell = nn.LSTMCell(embedding + 2 * units, units)
        self.out = nn.Linear(units, vocabulary)

    def forward(self, source, target_in):
        values, (h, c) = self.encoder(self.source_embed(source))  # values (batch, S, 2 units)
        h = torch.tanh(self.bridge_h(torch.cat([h[0], h[1]], -1)))
        c = torch.tanh(self.bridge_c(torch.cat([c[0], c[1]], -1)))
        keys = self.key(values)
        logits = []
        for y in self.target_embed(target_in).unbind(1):
            weights = torch.softmax(self.score(torch.tanh(keys + self.query(h).unsqueeze(1))).squeeze(-1), -1)
            context = torch.bmm(weights.unsqueeze(1), values).squeeze(1)
            h, c = self.cell(torch.cat([y, context], -1), (h, c))
            logits.append(self.out(h))
        return torch.stack(logits, 1)


def seq2seq(batch=64, source_length=20, target_length=20, vocabulary=64):
    model = Seq2SeqAttention(vocabulary)
    source = torch.randint(4, vocabulary, (batch, source_length))
    target = torch.randint(4, vocabulary, (batch, target_length + 1))
    loss_of = lambda: F.cross_entropy(model(source, target[:, :-1]).reshape(-1, vocabulary), target[:, 1:].reshape(-1))
    return measure(training_step(model, loss_of), batch * (target_length + 1))


rows = [
    {"workload": "matMul 512×512", "unit": "GFLOP/s", **matmul()},
    {"workload": "LeNet-5 training, batch 64", "unit": "images/s", **lenet5(64)},
    {"workload": "LeNet-5 training, batch 256", "unit": "images/s", **lenet5(256)},
    {"workload": "LSTM LM training, batch 32, seq 64, hidden 256", "unit": "tokens/s", **lstm_lm()},
    {"workload": "seq2seq + attention training, batch 64, 20 → 20 tokens, hidden 128", "unit": "tokens/s", **seq2seq()},
]
print(json.dumps({"torch": torch.__version__, "threads": THREADS, "device": DEVICE.type, "rows": rows}))
