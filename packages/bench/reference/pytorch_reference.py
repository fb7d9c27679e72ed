"""The same workloads as `pnpm bench`, in PyTorch: the reference nnkit's numbers are set against.

`--threads N` sets PyTorch's threads (default 1); `--device cuda` runs on a GPU; `--workloads lenet,caption` runs only
the workloads whose names contain one of the words (case-insensitive); `--quick` measures briefly. Prints one JSON object:
{"torch": version, "build": "torch 1.13.0 (Debian, OpenBLAS)", "threads": N, "rows": [{"workload", "unit", "median", "rates"}]}.
Runs on torch 1.13 (Debian's python3-torch) and 2.x (pip's): every tensor and module is made on DEVICE explicitly,
as torch.set_default_device is 2.x only. Run by packages/bench with every python3 it finds that has torch.
"""
import json
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


THREADS = int(option("--threads", "1"))
DEVICE = torch.device(option("--device", "cpu"))
WORDS = [word for word in option("--workloads", "").lower().split(",") if word]
torch.set_num_threads(THREADS)
torch.manual_seed(0)
QUICK = "--quick" in sys.argv
WARMUP, REPEATS, MIN_SECONDS = (1, 3, 0.5) if QUICK else (2, 5, 2.0)


def blas():
    """The BLAS torch's matrix products run on. pip's wheels name theirs (MKL); Debian's says "generic" and takes
    whichever libblas.so.3 the system's alternatives point to (the reference BLAS, or OpenBLAS when it is installed),
    so that one is read from the libraries this process has loaded."""
    found = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    if found and found.group(1) != "generic":
        return {"mkl": "MKL", "open": "OpenBLAS", "openblas": "OpenBLAS"}.get(found.group(1), found.group(1))
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    try:
        loaded = [line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() or "mkl" in line.lower()]
    except OSError:
        return "BLAS unknown"
    for part, name in (("openblas", "OpenBLAS"), ("libmkl", "MKL"), ("blis", "BLIS"), ("/blas/", "reference BLAS")):
        if any(part in path.lower() for path in loaded):
            return name
    return "BLAS unknown"


def build():
    """Which PyTorch this is, as the bench names it: "torch 1.13.0 (Debian, OpenBLAS)", "torch 2.13.0+cpu (pip, MKL)"."""
    where = "Debian" if torch.__file__.startswith("/usr/lib/python3/") else "conda" if "conda" in torch.__file__ else "pip"
    return "torch %s (%s, %s)" % (torch.__version__, where, blas())


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
    a, b = torch.randn(n, n, device=DEVICE), torch.randn(n, n, device=DEVICE)
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
    model = LeNet5().to(DEVICE)
    xs, ys = torch.rand(batch, 1, 28, 28, device=DEVICE), torch.randint(0, 10, (batch,), device=DEVICE)
    return measure(training_step(model, lambda: F.cross_entropy(model(xs), ys)), batch)


class LstmLm(nn.Module):
    def __init__(self, vocabulary=2000, hidden=256):
        super().__init__()
        self.embed, self.lstm, self.out = nn.Embedding(vocabulary, 128), nn.LSTM(128, hidden, batch_first=True), nn.Linear(hidden, vocabulary)

    def forward(self, tokens):
        return self.out(self.lstm(self.embed(tokens))[0])


def lstm_lm(batch=32, steps=64, vocabulary=2000):
    model = LstmLm(vocabulary).to(DEVICE)
    tokens = torch.randint(0, vocabulary, (batch, steps + 1), device=DEVICE)
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
    model = Seq2SeqAttention(vocabulary).to(DEVICE)
    source = torch.randint(4, vocabulary, (batch, source_length), device=DEVICE)
    target = torch.randint(4, vocabulary, (batch, target_length + 1), device=DEVICE)
    loss_of = lambda: F.cross_entropy(model(source, target[:, :-1]).reshape(-1, vocabulary), target[:, 1:].reshape(-1))
    return measure(training_step(model, loss_of), batch * (target_length + 1))


class Captioner(nn.Module):
    """nnkit's captioner/captioner with the captioning recipe's 'scenes' preset and full setting (Show, Attend and Tell):

    encoder   cnn-features/conv3 on 56x56x1: three blocks conv 5x5 'same' -> ReLU (16, 32, 64 channels), 2x2 max
              pooling after the first two; conv3's ReLU map is the grid, 14x14 = 196 positions of 64, row by row,
              plus a trained position vector per position (nnkit starts it at a sine-cosine code)
    state     h_0, c_0 = tanh(W_init mean_i a_i + b), one layer each
    attention e_ti = v . tanh(U a_i + b_U + W h_{t-1}) (A = 128), alpha_t = softmax(e_t), context z_t = beta_t
              sum_i alpha_ti a_i with the gate beta_t = sigmoid(w_beta . h_{t-1} + b_beta)
    cell      an LSTM cell of 256 on [E y_{t-1}, z_t] (embedding 64)
    output    o_t = tanh(W_h h_t + b_h + W_z z_t), logits = W_o o_t + b_o over all steps at once
    loss      masked cross-entropy summed, plus 0.01 x the doubly stochastic penalty sum_i S_i^2 - T^2/L (S_i =
              sum_t alpha_ti), over the real tokens
    (nnkit's encoder also pools conv3's map, which nothing reads; this twin does not.)"""

    def __init__(self, vocabulary=29, embedding=64, units=256, attention_units=128, widths=(16, 32, 64), positions=196):
        super().__init__()
        depth = widths[-1]
        self.convs = nn.ModuleList(nn.Conv2d(c_in, c_out, 5, padding=2) for c_in, c_out in zip((1,) + widths[:-1], widths))
        self.position = nn.Parameter(0.5 * torch.randn(positions, depth))
        self.init_h, self.init_c = nn.Linear(depth, units), nn.Linear(depth, units)
        self.embed = nn.Embedding(vocabulary, embedding)
        self.key, self.query = nn.Linear(depth, attention_units), nn.Linear(units, attention_units, bias=False)
        self.score, self.gate = nn.Linear(attention_units, 1, bias=False), nn.Linear(units, 1)
        self.cell = nn.LSTMCell(embedding + depth, units)
        self.hidden, self.context = nn.Linear(units, units), nn.Linear(depth, units, bias=False)
        self.out = nn.Linear(units, vocabulary)

    def annotations(self, images):
        x = images
        for i, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if i < len(self.convs) - 1:
                x = F.max_pool2d(x, 2)
        return x.flatten(2).transpose(1, 2) + self.position  # (batch, 196, 64), row by row

    def forward(self, images, words_in):
        values = self.annotations(images)
        mean = values.mean(1)
        h, c = torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))
        keys = self.key(values)  # (batch, L, A), once per image
        hiddens, alphas = [], []
        for y in self.embed(words_in).unbind(1):
            alpha = torch.softmax(self.score(torch.tanh(keys + self.query(h).unsqueeze(1))).squeeze(-1), -1)
            context = torch.sigmoid(self.gate(h)) * torch.bmm(alpha.unsqueeze(1), values).squeeze(1)
            h, c = self.cell(torch.cat([y, context], -1), (h, c))
            hiddens.append(torch.tanh(self.hidden(h) + self.context(context)))
            alphas.append(alpha)
        return self.out(torch.stack(hiddens, 1)), torch.stack(alphas, 1)


def captioner(batch=64, words=10, vocabulary=29, penalty=0.01):
    """Captions of `words` words and the end token (T = words + 1 steps, every one real), as the bench's nnkit twin."""
    model = Captioner(vocabulary).to(DEVICE)
    images = torch.rand(batch, 1, 56, 56, device=DEVICE)
    caption = torch.randint(4, vocabulary, (batch, words + 2), device=DEVICE)
    mask = torch.ones(batch, words + 1, device=DEVICE)

    def loss_of():
        logits, alphas = model(images, caption[:, :-1])
        cross_entropy = (F.cross_entropy(logits.reshape(-1, vocabulary), caption[:, 1:].reshape(-1), reduction="none") * mask.reshape(-1)).sum()
        coverage = (alphas * mask.unsqueeze(2)).sum(1)  # (batch, L)
        covered = ((coverage**2).sum(1) - mask.sum(1) ** 2 / alphas.shape[2]).sum()
        return (cross_entropy + penalty * covered) / mask.sum()

    return measure(training_step(model, loss_of), batch)


WORKLOADS = [
    ("matMul 512×512", "GFLOP/s", matmul),
    ("LeNet-5 training, batch 64", "images/s", lambda: lenet5(64)),
    ("LeNet-5 training, batch 256", "images/s", lambda: lenet5(256)),
    ("LSTM LM training, batch 32, seq 64, hidden 256", "tokens/s", lstm_lm),
    ("seq2seq + attention training, batch 64, 20 → 20 tokens, hidden 128", "tokens/s", seq2seq),
    ("captioner training, batch 64, 56×56 → 14×14 grid, 10 words, hidden 256", "images/s", captioner),
]
rows = [{"workload": name, "unit": unit, **run()} for name, unit, run in WORKLOADS if not WORDS or any(word in name.lower() for word in WORDS)]
print(json.dumps({"torch": torch.__version__, "build": build(), "threads": THREADS, "device": DEVICE.type, "rows": rows}))
