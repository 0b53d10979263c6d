"""(Re)generates every fixture under testdata/ with real TensorFlow.

Run from the repository root:
    "$(testdata/bench/bench-python.sh)" testdata/generate/make_checkpoints.py

Writes
    testdata/vocab.txt
    testdata/checkpoints/<name>/{<prefix>.index, <prefix>.data-*, checkpoint,
                                 hparams.json, reference.json}
for every fixture in spec.FIXTURES.  Checkpoints are written by
tf.compat.v1.train.Saver in graph mode; reference outputs are computed by a
second graph that restores the written checkpoint (see tf_model.py).
"""

import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep testdata/ free of __pycache__
# Deterministic, quiet, portable CPU kernels.  Must be set before importing TF.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import json  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from google.protobuf import text_format  # noqa: E402
from tensorflow.python.training import checkpoint_state_pb2  # noqa: E402
from tensorflow.python.training import saver as saver_lib  # noqa: E402

import spec  # noqa: E402
import tf_model  # noqa: E402

tf1 = tf.compat.v1
TESTDATA = os.path.dirname(HERE)
CKPT_ROOT = os.path.join(TESTDATA, "checkpoints")


def session_config():
  # Two CPU devices so variables can be pinned to /cpu:0 and /cpu:1 (sharded
  # fixture); single-threaded kernels for reproducible reductions.
  return tf1.ConfigProto(device_count={"CPU": 2},
                         intra_op_parallelism_threads=1,
                         inter_op_parallelism_threads=1)


class CreationOrderSaverBuilder(saver_lib.BulkSaverBuilder):
  """Saver builder that feeds SaveV2 in variable-creation order instead of the
  Saver's name-sorted order, so the data files are laid out in an order that
  differs from the (sorted) index key order."""

  def __init__(self, order):
    super().__init__()
    self._rank = {n: i for i, n in enumerate(order)}

  def save_op(self, filename_tensor, saveables):
    saveables = sorted(saveables, key=lambda s: self._rank[s.name])
    return super().save_op(filename_tensor, saveables)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------
def write_vocab():
  path = os.path.join(TESTDATA, "vocab.txt")
  with open(path, "w", encoding="utf-8", newline="\n") as f:
    for tok in spec.VOCAB:
      f.write(tok + "\n")


def save_checkpoint(fx, out_dir):
  values = tf_model.make_values(fx)
  sharded = fx.num_shards > 1
  assert fx.num_shards in (1, 2)
  device_fn = None
  if sharded:
    # generator tower + generator head on /cpu:1, the rest on /cpu:0
    device_fn = (lambda n: "/cpu:1" if n.startswith("generator") else "/cpu:0")
  g = tf.Graph()
  with g.as_default():
    variables = tf_model.create_variables(fx, values, device_fn)
    init = tf1.global_variables_initializer()
    set_step = None
    if fx.global_step is not None:
      set_step = tf1.assign(variables["global_step"],
                            np.int64(fx.global_step))
    builder = CreationOrderSaverBuilder(list(variables)) if sharded else None
    saver = tf1.train.Saver(var_list=list(variables.values()),
                            sharded=sharded, builder=builder, max_to_keep=5,
                            save_relative_paths=True)
    with tf1.Session(graph=g, config=session_config()) as sess:
      sess.run(init)
      if set_step is not None:
        sess.run(set_step)
      if fx.prefix.startswith("model.ckpt-"):
        assert fx.prefix == "model.ckpt-%d" % fx.global_step
        path = saver.save(sess, os.path.join(out_dir, "model.ckpt"),
                          global_step=fx.global_step, write_meta_graph=False)
      else:
        path = saver.save(sess, os.path.join(out_dir, fx.prefix),
                          write_meta_graph=False)
  assert os.path.basename(path) == fx.prefix, path
  # TF's Saver must have written a state file naming the new prefix.
  state = tf1.train.get_checkpoint_state(out_dir)
  assert os.path.basename(state.model_checkpoint_path) == fx.prefix
  return values


def write_state_file(fx, out_dir):
  """Leaves TF's `checkpoint` file as the Saver wrote it ("saver") or rewrites
  it (CheckpointState text proto, TF's own text_format) with fixed timestamp
  fields / an extra older path ("timestamps*") or gs:// paths ("gs")."""
  if fx.state == "saver":
    return
  st = checkpoint_state_pb2.CheckpointState()
  if fx.state == "gs":
    p = spec.GS_STATE_DIR + "/" + fx.prefix
    st.model_checkpoint_path = p
    st.all_model_checkpoint_paths.append(p)
  else:
    paths = [fx.prefix]
    if fx.state == "timestamps+missing-older":
      # An older checkpoint TF would still list but whose files are absent.
      paths.insert(0, "model.ckpt-%d" % (fx.global_step // 2))
    else:
      assert fx.state == "timestamps", fx.state
    st.model_checkpoint_path = fx.prefix
    st.all_model_checkpoint_paths.extend(paths)
    n = len(paths)
    st.all_model_checkpoint_timestamps.extend(
        [spec.STATE_TIMESTAMP - 3600.0 * (n - 1 - i) for i in range(n)])
    st.last_preserved_timestamp = spec.STATE_TIMESTAMP - 86400.0
  with open(os.path.join(out_dir, "checkpoint"), "w", newline="\n") as f:
    f.write(text_format.MessageToString(st))


def resolve_prefix(out_dir):
  """Like a converter: read `checkpoint`, take the basename of
  model_checkpoint_path, resolve it against the directory."""
  state = tf1.train.get_checkpoint_state(out_dir)
  return os.path.join(out_dir,
                      state.model_checkpoint_path.rsplit("/", 1)[-1])


# --------------------------------------------------------------------------
# Reference outputs (restored from disk)
# --------------------------------------------------------------------------
def compute_reference(fx, prefix_path):
  g = tf.Graph()
  with g.as_default():
    variables = tf_model.create_variables(fx)  # zeros; overwritten by restore
    ids = tf.constant(spec.INPUT_IDS, tf.int32)
    tt = tf.constant(spec.TOKEN_TYPE_IDS, tf.int32)
    mask = tf.constant(spec.ATTENTION_MASK, tf.int32)
    outs = tf_model.forward(fx, variables, ids, tt, mask)
    saver = tf1.train.Saver(var_list=list(variables.values()))
    with tf1.Session(graph=g, config=session_config()) as sess:
      saver.restore(sess, prefix_path)
      res = sess.run(outs)
      if fx.global_step is not None:
        assert sess.run(variables["global_step"]) == fx.global_step
  return res


def checkpoint_summary(fx, prefix_path):
  reader = tf.train.load_checkpoint(prefix_path)
  dtypes = reader.get_variable_to_dtype_map()
  var_list = [[name, dtypes[name].name, list(shape)]
              for name, shape in tf.train.list_variables(prefix_path)]
  return {
      "prefix": fx.prefix,
      "num_shards": fx.num_shards,
      "global_step": fx.global_step,
      "adam_slots": fx.adam,
      "num_variables": len(var_list),
      "variables": var_list,
  }


def f32(a):
  """float32 array -> nested lists of Python floats, each the shortest decimal that reads back as the same
  float32 (numpy's str of a float32), so reference.json stays small and loses nothing."""
  arr = np.asarray(a, dtype=np.float32)
  shortest = np.array([float(s) for s in arr.astype(str).ravel()], dtype=object).reshape(arr.shape)
  return shortest.tolist()


def dump_json(obj, level=0):
  """JSON with one innermost array per line (compact but diffable)."""
  pad = " " * level
  if isinstance(obj, dict):
    items = [pad + " " + json.dumps(k, ensure_ascii=False) + ": " +
             dump_json(v, level + 1) for k, v in obj.items()]
    return "{\n" + ",\n".join(items) + "\n" + pad + "}"
  # Nested lists go one element per line, except small heterogeneous tuples
  # such as ["name", "float32", [32, 32]] which stay on one line.
  if (isinstance(obj, list) and any(isinstance(x, (list, dict)) for x in obj)
      and not any(isinstance(x, str) for x in obj)):
    items = [pad + " " + dump_json(x, level + 1) for x in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"
  return json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
                    allow_nan=False)


def write_json(path, obj):
  with open(path, "w", encoding="utf-8", newline="\n") as f:
    f.write(dump_json(obj) + "\n")


def build_fixture(fx):
  out_dir = os.path.join(CKPT_ROOT, fx.name)
  if os.path.isdir(out_dir):
    shutil.rmtree(out_dir)
  os.makedirs(out_dir)

  save_checkpoint(fx, out_dir)
  write_state_file(fx, out_dir)
  data_files = sorted(f for f in os.listdir(out_dir) if ".data-" in f)
  assert data_files == [
      "%s.data-%05d-of-%05d" % (fx.prefix, i, fx.num_shards)
      for i in range(fx.num_shards)], data_files
  with open(os.path.join(out_dir, "hparams.json"), "w", newline="\n") as f:
    f.write(json.dumps(fx.hparams, indent=2) + "\n")

  prefix_path = resolve_prefix(out_dir)
  assert os.path.basename(prefix_path) == fx.prefix
  res = compute_reference(fx, prefix_path)
  dcfg, gcfg = spec.resolve(fx)
  ref = {
      "fixture": fx.name,
      "config": {"discriminator": dcfg, "generator": gcfg},
      "checkpoint": checkpoint_summary(fx, prefix_path),
      "inputs": {
          "input_ids": spec.INPUT_IDS,
          "token_type_ids": spec.TOKEN_TYPE_IDS,
          "attention_mask": spec.ATTENTION_MASK,
      },
      "discriminator": {
          "logits": f32(res["disc_logits"]),
          "hidden_states": [f32(h) for h in res["disc_hidden"]],
      },
      "generator": {
          "logits": f32(res["gen_logits"]),
          "hidden_states": [f32(h) for h in res["gen_hidden"]],
      },
  }
  write_json(os.path.join(out_dir, "reference.json"), ref)
  sizes = {f: os.path.getsize(os.path.join(out_dir, f))
           for f in sorted(os.listdir(out_dir))}
  print("%-9s %-16s shards=%d vars=%d  %s" % (
      fx.name, fx.prefix, fx.num_shards, ref["checkpoint"]["num_variables"],
      "  ".join("%s=%d" % kv for kv in sizes.items())))


def main():
  tf1.disable_eager_execution()
  os.makedirs(CKPT_ROOT, exist_ok=True)
  write_vocab()
  names = sys.argv[1:]
  for fx in spec.FIXTURES:
    if not names or fx.name in names:
      build_fixture(fx)


if __name__ == "__main__":
  main()
