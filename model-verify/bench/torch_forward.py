"""PyTorch side of run_bench.sh: an ELECTRA-shaped ElectraForPreTraining (random weights), THREADS threads (2).

Usage: torch_forward.py MODEL BATCH SEQ WARMUPS RUNS, MODEL being base or small (the shapes of
google/electra-{base,small}-discriminator); torch_forward.py matmul times one 1024x768 · 768x3072 linear.
"""
import os
import statistics
import sys
import time

import torch
from transformers import ElectraConfig, ElectraForPreTraining

# the same shapes as ForwardBenchmark.java
SHAPES = {
    "base": dict(embedding_size=768, hidden_size=768, num_attention_heads=12, intermediate_size=3072),
    "small": dict(embedding_size=128, hidden_size=256, num_attention_heads=4, intermediate_size=1024),
}


def main():
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    name = sys.argv[1]
    if name == "matmul":
        matmul()
        return
    batch, seq, warmups, runs = (int(a) for a in sys.argv[2:6])
    torch.manual_seed(7)
    config = ElectraConfig(vocab_size=30522, num_hidden_layers=12, max_position_embeddings=512, **SHAPES[name])
    model = ElectraForPreTraining(config).eval()
    ids = torch.randint(1000, config.vocab_size, (batch, seq))
    with torch.inference_mode():
        for _ in range(warmups):
            model(input_ids=ids)
        millis = []
        for _ in range(runs):
            start = time.perf_counter()
            model(input_ids=ids)
            millis.append((time.perf_counter() - start) * 1e3)
    millis.sort()
    print(f"torch forward {name} {batch}x{seq} (torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"attn {model.config._attn_implementation}): median {statistics.median(millis):.2f} ms, "
          f"best {millis[0]:.2f} ms, worst {millis[-1]:.2f} ms over {runs} runs")


def matmul():
    a = torch.randn(1024, 768)
    w = torch.randn(3072, 768)
    b = torch.randn(3072)
    with torch.inference_mode():
        for _ in range(5):
            torch.nn.functional.linear(a, w, b)
        best = min(_timed(lambda: torch.nn.functional.linear(a, w, b)) for _ in range(20))
    print(f"torch matmul 1024x768 · 768x3072: best {best * 1e3:.2f} ms, "
          f"{2 * 1024 * 768 * 3072 / best / 1e9:.1f} GFLOP/s (best)")


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
