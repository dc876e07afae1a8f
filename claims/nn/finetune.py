"""Fine-tune the top of multilingual-e5-small for a yes/no question about a text or a pair.

Training needs torch (``pip install torch``, CPU is enough); the result is an :class:`Adapter`
saved as a small ``.npz`` that :mod:`claims.nn.classifier` runs with numpy alone.

Method: the bottom layers stay frozen, so their hidden states are computed once with numpy.
The top ``trainable_layers`` layers get low-rank (LoRA) updates on every weight matrix, their
layer norms are trained, and a linear head reads the mean-pooled last hidden state. The merged
weights are ``W + (alpha / rank) * B @ A``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from claims.nn.classifier import LAYER_NORMS, MATRICES, Adapter
from claims.nn.e5 import Encoder


@dataclass(frozen=True)
class Recipe:
    trainable_layers: int = 4
    rank: int = 8
    alpha: float = 16.0
    epochs: int = 4
    batch_size: int = 16
    learning_rate: float = 5e-4
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    positive_weight: float = 1.0
    seed: int = 20241125
    meta: dict = field(default_factory=dict)


def frozen_states(
    encoder: Encoder,
    sequences: Sequence[Sequence[int]],
    stop: int,
    batch: int = 64,
    progress: Callable[[int], None] | None = None,
) -> list[np.ndarray]:
    """Return each sequence's hidden states after layer ``stop - 1`` (unpadded), in order."""
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
    out: list[np.ndarray] = [np.empty(0)] * len(sequences)
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        ids, mask = encoder.pad([sequences[i] for i in chunk])
        states = encoder.run_layers(encoder.embed_tokens(ids), mask, 0, stop)
        for row, i in enumerate(chunk):
            out[i] = states[row, : len(sequences[i])].astype(np.float16)
        if progress:
            progress(len(chunk))
    return out


def train(  # noqa: PLR0915 - the forward pass is written inline, beside its parameters
    encoder: Encoder,
    states: Sequence[np.ndarray],
    labels: Sequence[int],
    recipe: Recipe,
    progress: Callable[[str], None] | None = None,
) -> Adapter:
    """Train an adapter on frozen ``states`` (from :func:`frozen_states`) and 0/1 ``labels``."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(recipe.seed)
    rng = random.Random(recipe.seed)  # noqa: S311 - shuffles batches, nothing secret
    cfg = encoder.config
    first = cfg.layers - recipe.trainable_layers
    t = encoder.tensors
    hidden, heads = cfg.hidden, cfg.heads
    size = hidden // heads

    base = {
        name: torch.from_numpy(np.ascontiguousarray(t[name]))
        for name in t
        if name.startswith("l") and int(name[1:].split(".")[0]) >= first
    }
    params = _initial_parameters(base, range(first, cfg.layers), recipe.rank)
    head_w = torch.nn.Parameter(torch.zeros(hidden))
    head_b = torch.nn.Parameter(torch.zeros(()))
    scaling = recipe.alpha / recipe.rank

    def weight(layer: int, m: str) -> torch.Tensor:
        return (
            base[f"l{layer}.{m}.w"]
            + scaling * params[f"l{layer}.{m}.B"] @ params[f"l{layer}.{m}.A"]
        )

    def forward(x: torch.Tensor, mask: torch.Tensor, training: bool) -> torch.Tensor:
        batch, tokens, _ = x.shape
        bias = (1.0 - mask)[:, None, None, :] * -1e9

        def split(z: torch.Tensor) -> torch.Tensor:
            return z.view(batch, tokens, heads, size).transpose(1, 2)

        for layer in range(first, cfg.layers):
            p = f"l{layer}."

            def lin(inp: torch.Tensor, m: str, layer: int = layer) -> torch.Tensor:
                return F.linear(inp, weight(layer, m), base[f"l{layer}.{m}.b"])

            q, k, v = split(lin(x, "q")), split(lin(x, "k")), split(lin(x, "v"))
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(size) + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(batch, tokens, hidden)
            ao = F.dropout(lin(ctx, "ao"), recipe.dropout, training)
            x = F.layer_norm(x + ao, (hidden,), params[p + "aln.w"], params[p + "aln.b"], cfg.eps)
            mid = F.gelu(lin(x, "fi"), approximate="tanh")
            fo = F.dropout(lin(mid, "fo"), recipe.dropout, training)
            x = F.layer_norm(x + fo, (hidden,), params[p + "oln.w"], params[p + "oln.b"], cfg.eps)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        pooled = F.dropout(pooled, recipe.dropout, training)
        return pooled @ head_w + head_b

    # Batches of similar lengths waste little on padding.
    order = sorted(range(len(states)), key=lambda i: len(states[i]))
    batches = [order[i : i + recipe.batch_size] for i in range(0, len(order), recipe.batch_size)]
    optimiser, schedule = _optimiser(params, [head_w, head_b], recipe, recipe.epochs * len(batches))
    pos_weight = torch.tensor(recipe.positive_weight)
    for epoch in range(recipe.epochs):
        rng.shuffle(batches)
        running = 0.0
        for chunk in batches:
            x, mask = _pad(states, chunk)
            y = torch.tensor([float(labels[i]) for i in chunk])
            logits = forward(x, mask, True)
            loss = F.binary_cross_entropy_with_logits(logits, y, pos_weight=pos_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            running += float(loss.detach()) * len(chunk)
        if progress:
            progress(f"epoch {epoch + 1}/{recipe.epochs}: loss {running / len(states):.4f}")

    with torch.no_grad():
        weights = {name: _exported(name, value, scaling) for name, value in params.items()}
        weights["head.w"] = head_w.numpy().astype(np.float32)
        weights["head.b"] = np.asarray(head_b.numpy(), dtype=np.float32)
    return Adapter(first_trainable=first, weights=weights, meta=dict(recipe.meta))


def _pad(states: Sequence[np.ndarray], chunk: Sequence[int]):
    import torch

    longest = max(len(states[i]) for i in chunk)
    hidden = states[chunk[0]].shape[1]
    x = torch.zeros(len(chunk), longest, hidden)
    mask = torch.zeros(len(chunk), longest)
    for row, i in enumerate(chunk):
        n = len(states[i])
        x[row, :n] = torch.from_numpy(states[i].astype(np.float32))
        mask[row, :n] = 1.0
    return x, mask


def _initial_parameters(base: dict, layers: range, rank: int) -> dict:
    """LoRA factors (A random, B zero, so training starts from the base) and layer norms."""
    import torch

    params: dict[str, torch.nn.Parameter] = {}
    for layer in layers:
        for m in MATRICES:
            out_dim, in_dim = base[f"l{layer}.{m}.w"].shape
            a = torch.empty(rank, in_dim)
            torch.nn.init.kaiming_uniform_(a, a=math.sqrt(5))
            params[f"l{layer}.{m}.A"] = torch.nn.Parameter(a)
            params[f"l{layer}.{m}.B"] = torch.nn.Parameter(torch.zeros(out_dim, rank))
        for ln in LAYER_NORMS:
            params[f"l{layer}.{ln}"] = torch.nn.Parameter(base[f"l{layer}.{ln}"].clone())
    return params


def _exported(name: str, value, scaling: float) -> np.ndarray:
    """LoRA factors ship as float16, B pre-multiplied by the scaling; layer norms as float32."""
    if name.endswith(".B"):
        return (scaling * value).numpy().astype(np.float16)
    if name.endswith(".A"):
        return value.numpy().astype(np.float16)
    return value.numpy().astype(np.float32)


def _optimiser(params: dict, head: list, recipe: Recipe, total_steps: int) -> tuple:
    """AdamW with a 10 % linear warm-up and a linear decay to zero."""
    import torch

    lora = [p for n, p in params.items() if n.endswith((".A", ".B"))]
    norms = [p for n, p in params.items() if not n.endswith((".A", ".B"))]
    optimiser = torch.optim.AdamW(
        [
            {"params": lora, "lr": recipe.learning_rate, "weight_decay": recipe.weight_decay},
            {"params": norms, "lr": recipe.learning_rate, "weight_decay": 0.0},
            {"params": head, "lr": recipe.head_learning_rate, "weight_decay": 0.0},
        ]
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: (
            min(1.0, (step + 1) / max(1, total_steps // 10)) * max(0.0, 1 - step / total_steps)
        ),
    )
    return optimiser, schedule
