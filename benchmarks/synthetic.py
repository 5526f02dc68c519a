"""Synthetic guides for the benchmark: realistic cards, varied, reproducible from a seed."""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = ["attention", "KV caching", "quantization", "LoRA", "RLHF", "retrieval", "tokenization",
          "mixture of experts", "speculative decoding", "scaling laws", "evaluation", "distillation"]
WORDS = ["model", "layer", "token", "weight", "gradient", "batch", "memory", "cache", "head",
         "context", "prompt", "latency", "throughput", "precision", "budget", "optimizer", "schedule",
         "dataset", "benchmark", "sequence", "window"]


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 14))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(*sentences)))


def _answer(rng: random.Random, n: int) -> str:
    kind = n % 6
    if kind == 0:  # a short paragraph with inline math
        return f"{_paragraph(rng)} The cost grows as $O(L^{{{n % 7 + 1}}} d_k)$ for length $L$."
    if kind == 1:  # a numbered list with bold labels
        items = "\n".join(f"{i}. **{rng.choice(WORDS).capitalize()}:** {_sentence(rng)}" for i in range(1, 5))
        return f"{_sentence(rng)}\n\n{items}"
    if kind == 2:  # code
        return (f"{_sentence(rng)}\n\n```python\ndef step_{n}(x, scale={n % 9 + 1}):\n"
                f"    # {rng.choice(WORDS)} update\n    return x * scale / {n % 5 + 2}\n```")
    if kind == 3:  # display math
        return (f"{_paragraph(rng, (1, 2))}\n\n"
                f"$$\\mathrm{{softmax}}\\left(\\frac{{QK^T}}{{\\sqrt{{d_{{{n % 13 + 1}}}}}}}\\right)V$$\n\n"
                f"{_sentence(rng)}")
    if kind == 4:  # a long answer that the cards must shrink or split
        return "\n\n".join(_paragraph(rng, (4, 6)) for _ in range(rng.randint(2, 4)))
    return (f"{_sentence(rng)}\n\n| Method | Memory | Speed |\n|---|---|---|\n"
            f"| A{n} | {n % 8 + 1} GB | fast |\n| B{n} | {n % 5 + 2} GB | slow |")


def write_guide(folder: Path, cards: int, seed: int = 7, per_section: int = 25) -> Path:
    """A content folder of the given number of cards: guide.yaml and a file per section."""
    rng = random.Random(seed)
    (folder / "sections").mkdir(parents=True, exist_ok=True)
    guide = ["title: Synthetic Interview Prep", "updated: 2026-11-28", "sections:"]
    for first in range(0, cards, per_section):
        number = first // per_section + 1
        lines = [f"title: {TOPICS[(number - 1) % len(TOPICS)].capitalize()} {number}", "cards:"]
        for card in range(first, min(first + per_section, cards)):
            answer = _answer(rng, card).replace("\n", "\n      ")
            lines += [f"  - id: card-{card + 1}",
                      f"    question: \"How does {rng.choice(TOPICS)} affect the {rng.choice(WORDS)} "
                      f"in case {card + 1}?\"",
                      f"    tags: [{rng.choice(TOPICS).replace(' ', '-')}]",
                      f"    difficulty: {rng.choice(['easy', 'medium', 'hard'])}",
                      "    answer: |",
                      f"      {answer}"]
        name = f"sections/part-{number:03d}.yaml"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        guide.append(f"  - file: {name}")
    (folder / "guide.yaml").write_text("\n".join(guide) + "\n", encoding="utf-8")
    return folder
