"""TF1-graph re-statement of google-research/electra's model for the fixtures.

Variables are created with tf.compat.v1.get_variable under the exact names
google-research/electra produces (see spec.model_variables); the forward pass
uses raw TF ops that mirror model/modeling.py and run_pretraining.py:

  BertModel:   embedding_lookup -> + token_type (one-hot matmul) -> + position
               (slice) -> layer_norm -> [embeddings_project] -> transformer
  layer_norm:  tf.contrib.layers.layer_norm(begin_norm_axis=-1): nn.moments +
               nn.batch_normalization, variance_epsilon 1e-12
  attention:   q/k/v dense on the 2-D [B*T, H] matrix, scores * 1/sqrt(d),
               + (1 - mask) * -10000.0, softmax, context
  gelu:        x * 0.5 * (1 + erf(x / sqrt(2)))
  tf.layers.dense on rank-3 input = tensordot(x, kernel, [[2], [0]]) + bias
  discriminator_predictions: dense(H, gelu) -> dense_1(1) -> squeeze(-1)
  generator_predictions:     dense(E, gelu) -> layer_norm ->
                             matmul(., word_embeddings, transpose_b) + output_bias
Dropout is off (is_training=False).
"""

import math

import numpy as np
import tensorflow as tf

import spec

tf1 = tf.compat.v1


# --------------------------------------------------------------------------
# Deterministic values
# --------------------------------------------------------------------------
def make_values(fx):
  """{name: np.ndarray} for every variable of the fixture, drawn from one
  numpy RandomState(fx.seed) stream in creation order."""
  rng = np.random.RandomState(fx.seed)
  vals = {}
  for name, shape, dtype in spec.all_variables(fx):
    if dtype == "int64":
      assert name == "global_step"
      vals[name] = np.array(fx.global_step, dtype=np.int64)
      continue
    vals[name] = draw_value(name, shape, rng)
  return vals


def draw_value(name, shape, rng):
  """One variable's values from rng, scaled by what the variable is (so that
  the outputs stay in a well-conditioned range); also the variant fixtures'."""
  n = rng.standard_normal(shape)
  leaf = name.split("/")[-1]
  if leaf == "adam_m":
    v = 1e-3 * n
  elif leaf == "adam_v":
    v = 1e-5 * np.abs(n) + 1e-8
  elif leaf == "word_embeddings":
    v = 0.2 * n
  elif leaf in ("token_type_embeddings", "position_embeddings"):
    v = 0.1 * n
  elif leaf == "gamma":
    v = 1.0 + 0.1 * n
  elif leaf == "beta":
    v = 0.1 * n
  elif leaf == "kernel":
    v = (0.8 / math.sqrt(shape[0])) * n
  elif leaf == "bias":
    v = 0.05 * n
  elif leaf == "output_bias":
    v = 0.1 * n
  else:
    raise ValueError(name)
  return v.astype(np.float32)


# --------------------------------------------------------------------------
# Variable creation
# --------------------------------------------------------------------------
def create_variables(fx, values=None, device_fn=None):
  """Creates all checkpoint variables in the current graph.

  values: {name: array} used as constant initializers (None -> zeros; used
  for the restore graph).  device_fn(name) -> device string or None.
  Returns an ordered {name: tf.Variable}."""
  out = {}
  for name, shape, dtype in spec.all_variables(fx):
    dev = device_fn(name) if device_fn else None
    with tf1.device(dev):
      if name == "global_step":
        v = tf1.train.get_or_create_global_step()  # int64 scalar
        assert v.dtype.base_dtype == tf.int64
      else:
        init = (tf1.constant_initializer(values[name]) if values is not None
                else tf1.zeros_initializer())
        slot = name.endswith("/adam_m") or name.endswith("/adam_v")
        v = tf1.get_variable(name, shape=shape, dtype=tf.float32,
                             initializer=init, trainable=not slot)
    assert v.op.name == name, (v.op.name, name)
    out[name] = v
  return out


# --------------------------------------------------------------------------
# Forward pass (modeling.py semantics)
# --------------------------------------------------------------------------
def gelu(x):
  cdf = 0.5 * (1.0 + tf.math.erf(x / tf.sqrt(2.0)))
  return x * cdf


def layer_norm(x, v, scope):
  # tf.contrib.layers.layer_norm(begin_norm_axis=-1, begin_params_axis=-1)
  beta, gamma = v[scope + "/beta"], v[scope + "/gamma"]
  rank = x.shape.ndims
  mean, variance = tf.nn.moments(x, [rank - 1], keepdims=True)
  return tf.nn.batch_normalization(x, mean, variance, offset=beta,
                                   scale=gamma, variance_epsilon=1e-12)


def dense(x, v, scope, act=None):
  # tf.layers.dense (keras core Dense): rank 2 -> matmul, rank > 2 -> tensordot
  kernel, bias = v[scope + "/kernel"], v[scope + "/bias"]
  if x.shape.ndims == 2:
    y = tf.matmul(x, kernel)
  else:
    y = tf.tensordot(x, kernel, [[x.shape.ndims - 1], [0]])
  y = tf.nn.bias_add(y, bias)
  return act(y) if act is not None else y


def bert_model(v, cfg, emb_scope, scope, input_ids, token_type_ids, input_mask):
  """Returns (hidden_states list [emb_out, layer_1 .. layer_L], each [B,T,H])."""
  b, t = input_ids.shape.as_list()
  width = v[emb_scope + "/word_embeddings"].shape.as_list()[1]
  h = cfg["hidden_size"]
  nh = cfg["num_attention_heads"]
  d = h // nh

  # embedding_lookup (use_one_hot_embeddings=False on CPU/GPU)
  out = tf.nn.embedding_lookup(v[emb_scope + "/word_embeddings"], input_ids)
  # embedding_postprocessor
  flat_tt = tf.reshape(token_type_ids, [-1])
  one_hot = tf.one_hot(flat_tt, depth=cfg["type_vocab_size"])
  tt_emb = tf.reshape(tf.matmul(one_hot, v[emb_scope + "/token_type_embeddings"]),
                      [b, t, width])
  out = out + tt_emb
  pos = tf.slice(v[emb_scope + "/position_embeddings"], [0, 0], [t, -1])
  out = out + tf.reshape(pos, [1, t, width])
  out = layer_norm(out, v, emb_scope + "/LayerNorm")
  if width != h:
    out = dense(out, v, scope + "/embeddings_project")
  hidden_states = [out]

  # create_attention_mask_from_input_mask
  to_mask = tf.cast(tf.reshape(input_mask, [b, 1, t]), tf.float32)
  mask = tf.ones([b, t, 1], tf.float32) * to_mask  # [B, F, T]
  adder = (1.0 - tf.expand_dims(mask, 1)) * -10000.0  # [B, 1, F, T]

  prev = tf.reshape(out, [-1, h])
  for l in range(cfg["num_hidden_layers"]):
    p = "%s/encoder/layer_%d/" % (scope, l)
    q = dense(prev, v, p + "attention/self/query")
    k = dense(prev, v, p + "attention/self/key")
    val = dense(prev, v, p + "attention/self/value")
    q = tf.transpose(tf.reshape(q, [b, t, nh, d]), [0, 2, 1, 3])
    k = tf.transpose(tf.reshape(k, [b, t, nh, d]), [0, 2, 1, 3])
    scores = tf.matmul(q, k, transpose_b=True)
    scores = tf.multiply(scores, 1.0 / math.sqrt(float(d)))
    scores += adder
    probs = tf.nn.softmax(scores)
    val = tf.transpose(tf.reshape(val, [b, t, nh, d]), [0, 2, 1, 3])
    ctx = tf.matmul(probs, val)
    ctx = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b * t, nh * d])
    attn = dense(ctx, v, p + "attention/output/dense")
    attn = layer_norm(attn + prev, v, p + "attention/output/LayerNorm")
    inter = dense(attn, v, p + "intermediate/dense", act=gelu)
    o = dense(inter, v, p + "output/dense")
    prev = layer_norm(o + attn, v, p + "output/LayerNorm")
    hidden_states.append(tf.reshape(prev, [b, t, h]))
  return hidden_states


def forward(fx, v, input_ids, token_type_ids, input_mask):
  """Returns {disc_logits [B,T], disc_hidden [L+1], gen_logits [B,T,V],
  gen_hidden [Lg+1]}."""
  dcfg, gcfg = spec.resolve(fx)
  untied = fx.hparams["untied_generator_embeddings"]
  gen_emb = "generator/embeddings" if untied else "electra/embeddings"

  # Generator + generator_predictions (run_pretraining._get_masked_lm_output,
  # here applied to every position instead of the gathered masked ones).
  gh = bert_model(v, gcfg, gen_emb, "generator", input_ids, token_type_ids,
                  input_mask)
  table = v[gen_emb + "/word_embeddings"]
  b, t = input_ids.shape.as_list()
  x = dense(gh[-1], v, "generator_predictions/dense", act=gelu)
  x = layer_norm(x, v, "generator_predictions/LayerNorm")
  x = tf.reshape(x, [b * t, gcfg["embedding_size"]])
  logits = tf.matmul(x, table, transpose_b=True)
  logits = tf.nn.bias_add(logits, v["generator_predictions/output_bias"])
  gen_logits = tf.reshape(logits, [b, t, gcfg["vocab_size"]])

  # Discriminator + discriminator_predictions
  dh = bert_model(v, dcfg, "electra/embeddings", "electra", input_ids,
                  token_type_ids, input_mask)
  y = dense(dh[-1], v, "discriminator_predictions/dense", act=gelu)
  disc_logits = tf.squeeze(dense(y, v, "discriminator_predictions/dense_1"), -1)

  return {"disc_logits": disc_logits, "disc_hidden": dh,
          "gen_logits": gen_logits, "gen_hidden": gh}
