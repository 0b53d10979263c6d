"""PyTorch side of run_bench.sh: ELECTRA-base-shaped ElectraForPreTraining (random weights), 2 threads.

Usage: torch_forward.py [batch=8] [seq=128] [warmups=3] [runs=10]
"""
import statistics
import sys
import time

import torch
from transformers import ElectraConfig, ElectraForPreTraining


def main():
    batch, seq, warmups, runs = ([int(a) for a in sys.argv[1:5]] + [8, 128, 3, 10][len(sys.argv[1:5]):])
    torch.set_num_threads(2)
    torch.manual_seed(7)
    config = ElectraConfig(vocab_size=30522, embedding_size=768, hidden_size=768, num_hidden_layers=12,
                           num_attention_heads=12, intermediate_size=3072, max_position_embeddings=512)
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
        a = torch.randn(1024, 768)
        w = torch.randn(3072, 768)
        b = torch.randn(3072)
        for _ in range(5):
            torch.nn.functional.linear(a, w, b)
        best = min(_timed(lambda: torch.nn.functional.linear(a, w, b)) for _ in range(20))
    millis.sort()
    print(f"torch forward {batch}x{seq} (torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"attn {model.config._attn_implementation}): median {statistics.median(millis):.1f} ms, "
          f"best {millis[0]:.1f} ms, worst {millis[-1]:.1f} ms over {runs} runs")
    print(f"torch matmul 1024x768 · 768x3072: best {best * 1e3:.2f} ms, "
          f"{2 * 1024 * 768 * 3072 / best / 1e9:.1f} GFLOP/s (best)")


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
