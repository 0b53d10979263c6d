"""Writes testdata/meta-graph/: a tiny TF1 graph-mode checkpoint with the .meta graph file that tf.compat.v1's
Saver writes beside it, and expected.json, what TensorFlow itself reads from that graph.

Run from the repository root:
    "$(testdata/bench/bench-python.sh)" testdata/generate/make_meta_graph.py

The graph holds what a reader of ELECTRA's .meta files looks for: a variable and a Reshape named like the
attention reshape of google-research/electra (electra/encoder/layer_0/attention/self/Reshape, to
[batch, seq, heads, head_size] = [2, 3, 4, 8]), whose shape input is an int32 Const stored as tensor_content, plus
int Consts as TensorFlow stores them otherwise: int64 scalars (int64_val), int32 scalars and a one-element vector
(int_val), a [2, 3] int32 (tensor_content). Output is deterministic (two runs give identical bytes): the variables'
values are fixed, the Saver is told not to write its state file (which carries wall-clock timestamps) and a fixed
one is written instead.
"""

import json
import os
import shutil
import sys

sys.dont_write_bytecode = True
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf1 = tf.compat.v1
HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(os.path.dirname(HERE), "meta-graph")
SCOPE = "electra/encoder/layer_0/attention/self"


def main():
  if os.path.isdir(TARGET):
    shutil.rmtree(TARGET)
  os.makedirs(TARGET)
  tf1.disable_eager_execution()
  g = tf.Graph()
  with g.as_default():
    step = tf1.train.get_or_create_global_step()
    with tf1.variable_scope(SCOPE):
      kernel = tf1.get_variable("query/kernel", initializer=np.arange(6 * 32, dtype=np.float32).reshape(6, 32) / 64)
      tf.reshape(kernel, [2, 3, 4, 8], name="Reshape")
    tf.constant(1000, dtype=tf.int64, name="train_steps")
    tf.fill([4], tf.constant(7, dtype=tf.int32, name="seven"), name="sevens")
    tf.constant(np.full([2, 3], 5, dtype=np.int32), name="fives")
    saver = tf1.train.Saver(save_relative_paths=True)
    with tf1.Session(graph=g) as sess:
      sess.run(tf1.global_variables_initializer())
      sess.run(step.assign(1))
      saver.save(sess, os.path.join(TARGET, "model.ckpt"), global_step=1, write_state=False)
  with open(os.path.join(TARGET, "checkpoint"), "w") as f:
    f.write('model_checkpoint_path: "model.ckpt-1"\nall_model_checkpoint_paths: "model.ckpt-1"\n')

  # what TensorFlow reads back from the written file: every node, and every int Const's values (tf.make_ndarray)
  meta_graph = tf1.MetaGraphDef()
  with open(os.path.join(TARGET, "model.ckpt-1.meta"), "rb") as f:
    meta_graph.ParseFromString(f.read())
  nodes = []
  for node in meta_graph.graph_def.node:
    entry = {"name": node.name, "op": node.op, "inputs": list(node.input), "attrs": sorted(node.attr)}
    value = node.attr["value"].tensor if node.op == "Const" and "value" in node.attr else None
    if value is not None and value.dtype in (tf.int32.as_datatype_enum, tf.int64.as_datatype_enum):
      array = tf.make_ndarray(value)
      storage = "tensor_content" if value.tensor_content else ("int64_val" if value.int64_val else "int_val")
      entry["value"] = {"shape": list(array.shape), "values": [int(v) for v in array.reshape(-1)], "storage": storage}
    nodes.append(entry)
  with open(os.path.join(TARGET, "expected.json"), "w") as f:
    json.dump({"tensorflow": tf.__version__, "nodes": nodes}, f, indent=1)
    f.write("\n")
  print("wrote", TARGET, len(nodes), "nodes")


if __name__ == "__main__":
  main()
