"""Writes an ELECTRA-large-shaped pretraining checkpoint with real TensorFlow,
for testdata/bench/run-bench.sh (issue 5: scale, speed and failure).

    "$(testdata/bench/bench-python.sh)" testdata/bench/make_large_checkpoint.py [OUT_DIR]

OUT_DIR defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/electra-convert/bench/large.
The checkpoint is about 4.3 GB and must never be committed.  If OUT_DIR
already holds a complete checkpoint (its COMPLETE marker lists every file with
its size and they all match) nothing is done.  Otherwise it is written into
OUT_DIR.partial and renamed into place only when complete.

Shapes: google-research/electra "large" (vocab 30522, 512 positions, type
vocab 2, H 1024, L 24, A 16, I 4096, embedding 1024 -> no
electra/embeddings_project), generator_hidden_size 0.25 (Hg 256, Lg 24, Ag 4,
Ig 1024, generator/embeddings_project [1024,256]), tied embeddings, adam_m and
adam_v for every variable, int64 global_step.  The variable list, names and
creation order come from testdata/generate/spec.py and the variables are
created by testdata/generate/tf_model.py; only the values differ: instead of
one RandomState stream per element (minutes for ~1.06e9 floats) every
variable is a seeded random block, rotated per variable and tiled to its
size.  Values carry no meaning; the benchmark only measures I/O.
"""

import json
import os
import shutil
import sys
import time

sys.dont_write_bytecode = True  # keep testdata/ free of __pycache__
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "generate"))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import spec  # noqa: E402
import tf_model  # noqa: E402

tf1 = tf.compat.v1

GLOBAL_STEP = 1000000
SEED = 5005
BLOCK = (1 << 20) + 7  # floats in the random block (odd length: tiles do not align with rows)
MARKER = "COMPLETE"
BATCH_BYTES = 256 << 20  # bytes of values fed per Session.run

LARGE = spec.Fixture(
    name="large", seed=SEED,
    hparams={
        "model_size": "large",
        "vocab_size": 30522,
        "embedding_size": 1024,
        "generator_hidden_size": 0.25,
        "generator_layers": 1.0,
        "max_seq_length": 512,
        "untied_generator_embeddings": False,
    },
    prefix="model.ckpt-%d" % GLOBAL_STEP, global_step=GLOBAL_STEP, adam=True,
    num_shards=1, state="saver",
    note="ELECTRA-large-shaped benchmark checkpoint (random values)")

EXPECTED = {
    "discriminator": {"vocab_size": 30522, "embedding_size": 1024,
                      "hidden_size": 1024, "num_hidden_layers": 24,
                      "num_attention_heads": 16, "intermediate_size": 4096,
                      "max_position_embeddings": 512, "type_vocab_size": 2},
    "generator": {"vocab_size": 30522, "embedding_size": 1024,
                  "hidden_size": 256, "num_hidden_layers": 24,
                  "num_attention_heads": 4, "intermediate_size": 1024,
                  "max_position_embeddings": 512, "type_vocab_size": 2},
}


def default_out_dir():
  cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(
      os.path.expanduser("~"), ".cache")
  return os.path.join(cache, "electra-convert", "bench", "large")


def is_complete(out_dir):
  try:
    with open(os.path.join(out_dir, MARKER), encoding="utf-8") as f:
      marker = json.load(f)
    return all(os.path.getsize(os.path.join(out_dir, name)) == size
               for name, size in marker["files"].items())
  except (OSError, ValueError, KeyError, TypeError):
    return False


def scale_of(name):
  leaf = name.split("/")[-1]
  if leaf == "adam_m":
    return 1e-3, False
  if leaf == "adam_v":
    return 1e-5, True
  if leaf == "gamma":
    return 0.1, False  # around 0 instead of 1: irrelevant for I/O
  return 0.02, False


def write_checkpoint(out_dir):
  dcfg, gcfg = spec.resolve(LARGE)
  assert dcfg == EXPECTED["discriminator"], dcfg
  assert gcfg == EXPECTED["generator"], gcfg
  variables_spec = spec.all_variables(LARGE)
  total = sum(4 * int(np.prod(s)) for _, s, d in variables_spec if d == "float32")
  print("large: %d variables, %.2f GB of float32" % (len(variables_spec), total / 1e9),
        flush=True)

  block = np.random.RandomState(SEED).standard_normal(BLOCK).astype(np.float32)
  g = tf.Graph()
  with g.as_default():
    # values=None: zeros initializers, whose initial-value tensors are fed
    # below (one variable at a time, so Python never holds the whole model).
    variables = tf_model.create_variables(LARGE)
    saver = tf1.train.Saver(var_list=list(variables.values()), max_to_keep=1,
                            save_relative_paths=True)
    config = tf1.ConfigProto(intra_op_parallelism_threads=2,
                             inter_op_parallelism_threads=1)
    with tf1.Session(graph=g, config=config) as sess:
      t0 = time.time()
      # Feeds go in batches of ~BATCH_BYTES: one Session.run per variable
      # costs ~0.1 s of graph pruning (minutes for 2353 variables), one run
      # for everything would hold the whole model twice.
      ops, feeds, pending = [], {}, 0
      for i, (name, shape, dtype) in enumerate(variables_spec):
        v = variables[name]
        if dtype == "int64":
          value = np.array(GLOBAL_STEP, dtype=np.int64)
        else:
          n = int(np.prod(shape))
          scale, positive = scale_of(name)
          value = np.resize(np.roll(block, 7919 * i), n)
          if positive:
            np.abs(value, out=value)
          value *= scale
          value = value.reshape(shape)
        ops.append(v.initializer)
        feeds[v.initializer.inputs[1]] = value
        pending += value.nbytes
        if pending >= BATCH_BYTES or i == len(variables_spec) - 1:
          sess.run(ops, feeds)
          ops, feeds, pending = [], {}, 0
      print("large: variables initialised in %.1f s" % (time.time() - t0), flush=True)
      t0 = time.time()
      path = saver.save(sess, os.path.join(out_dir, "model.ckpt"),
                        global_step=GLOBAL_STEP, write_meta_graph=False)
      print("large: saved %s in %.1f s" % (path, time.time() - t0), flush=True)
  assert os.path.basename(path) == LARGE.prefix, path


def main():
  out_dir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else default_out_dir())
  if is_complete(out_dir):
    print("large: %s is complete, nothing to do" % out_dir)
    return
  tf1.disable_eager_execution()
  partial = out_dir + ".partial"
  for d in (partial, out_dir):
    if os.path.isdir(d):
      shutil.rmtree(d)
  os.makedirs(partial)
  write_checkpoint(partial)
  with open(os.path.join(partial, "hparams.json"), "w", newline="\n") as f:
    f.write(json.dumps(LARGE.hparams, indent=2) + "\n")
  files = {name: os.path.getsize(os.path.join(partial, name))
           for name in sorted(os.listdir(partial))}
  with open(os.path.join(partial, MARKER), "w", newline="\n") as f:
    f.write(json.dumps({"prefix": LARGE.prefix, "files": files}, indent=2) + "\n")
  os.rename(partial, out_dir)
  print("large: %s  %s" % (out_dir, "  ".join("%s=%d" % kv for kv in files.items())))


if __name__ == "__main__":
  main()
