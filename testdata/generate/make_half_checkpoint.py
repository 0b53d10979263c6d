"""Derives testdata/checkpoints/small-half from the committed "small" fixture with real TensorFlow.

Run from the repository root (after make_checkpoints.py, whose "small" it reads):
    "$(testdata/bench/bench-python.sh)" testdata/generate/make_half_checkpoint.py

Every model variable of "small" is cast by TensorFlow (tf.cast, round to nearest even) and saved by
tf.compat.v1.train.Saver under the same name: matrices (kernels and embedding tables) as float16, vectors
(biases, LayerNorm) as bfloat16; global_step stays int64 and the Adam slots are left out (the converter drops
them). The converter must widen these to float32 and transpose the float16 kernels, which no float32 fixture
exercises; the Java tests compare its output with the float32 fixture's conversion rounded the same way.
"""

import os
import shutil
import sys

sys.dont_write_bytecode = True
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import tensorflow as tf  # noqa: E402

tf1 = tf.compat.v1
HERE = os.path.dirname(os.path.abspath(__file__))
CKPT_ROOT = os.path.join(os.path.dirname(HERE), "checkpoints")
SOURCE = os.path.join(CKPT_ROOT, "small")
TARGET = os.path.join(CKPT_ROOT, "small-half")


def main():
  reader = tf.train.load_checkpoint(SOURCE)
  shapes = reader.get_variable_to_shape_map()
  names = sorted(n for n in shapes if "adam_" not in n)
  if os.path.isdir(TARGET):
    shutil.rmtree(TARGET)
  os.makedirs(TARGET)
  g = tf.Graph()
  with g.as_default():
    variables = []
    for name in names:
      value = reader.get_tensor(name)
      if value.dtype.kind == "f":
        dtype = tf.float16 if value.ndim == 2 else tf.bfloat16
        initial = tf.cast(tf.constant(value), dtype)
      else:
        initial = tf.constant(value)
      variables.append(tf1.Variable(initial, name=name, trainable=False))
    saver = tf1.train.Saver(var_list=variables, save_relative_paths=True)
    with tf1.Session(graph=g) as sess:
      sess.run(tf1.global_variables_initializer())
      step = int(reader.get_tensor("global_step"))
      saver.save(sess, os.path.join(TARGET, "model.ckpt"), global_step=step, write_meta_graph=False)
  shutil.copy(os.path.join(SOURCE, "hparams.json"), os.path.join(TARGET, "hparams.json"))
  print("wrote", TARGET, len(names), "variables")


if __name__ == "__main__":
  main()
