"""Independent checks of the generated fixtures.

    "$(testdata/bench/bench-python.sh)" testdata/generate/check_reference.py [--no-hf] [names]

For every fixture:
  1. the `checkpoint` state file resolves (by basename) to the prefix, the
     data files match the header's shard count;
  2. tf.train.list_variables matches the expected ELECTRA names/shapes/dtypes
     exactly (no stray variables such as beta1_power), adam slots present iff
     expected and different from their variable, LayerNorm gamma != 1,
     beta != 0, biases != 0;
  3. a float64 numpy re-implementation of google-research/electra's forward
     pass (weights read with tf.train.load_checkpoint, nothing shared with
     tf_model.py) reproduces reference.json;
  4. (unless --no-hf or transformers/torch are missing) HuggingFace
     ElectraForPreTraining / ElectraForMaskedLM, loaded with the TF->HF
     mapping of load_tf_weights_in_electra, reproduce reference.json.
Exits non-zero if any difference exceeds TOL.
"""

import json
import os
import sys

sys.dont_write_bytecode = True
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spec  # noqa: E402  (only for the expected variable list / hparams)

TESTDATA = os.path.dirname(HERE)
TOL = 1e-5


# --------------------------------------------------------------------------
# numpy model (float64)
# --------------------------------------------------------------------------
def np_gelu(x):
  from math import erf, sqrt
  verf = np.vectorize(erf)
  return 0.5 * x * (1.0 + verf(x / sqrt(2.0)))


def np_ln(x, g, b):
  mu = x.mean(-1, keepdims=True)
  var = ((x - mu) ** 2).mean(-1, keepdims=True)
  return (x - mu) / np.sqrt(var + 1e-12) * g + b


class NpWeights(object):
  def __init__(self, prefix):
    self.r = tf.train.load_checkpoint(prefix)

  def __call__(self, name):
    return self.r.get_tensor(name).astype(np.float64)

  def has(self, name):
    return self.r.has_tensor(name)


def np_dense(w, x, scope):
  return x @ w(scope + "/kernel") + w(scope + "/bias")


def np_bert(w, emb, scope, heads, ids, tt, mask):
  ids, tt, mask = np.asarray(ids), np.asarray(tt), np.asarray(mask)
  b, t = ids.shape
  x = (w(emb + "/word_embeddings")[ids] + w(emb + "/token_type_embeddings")[tt]
       + w(emb + "/position_embeddings")[:t][None])
  x = np_ln(x, w(emb + "/LayerNorm/gamma"), w(emb + "/LayerNorm/beta"))
  if w.has(scope + "/embeddings_project/kernel"):
    x = np_dense(w, x, scope + "/embeddings_project")
  hs = [x]
  h = x.shape[-1]
  d = h // heads
  adder = (1.0 - mask[:, None, None, :].astype(np.float64)) * -10000.0
  l = 0
  while w.has("%s/encoder/layer_%d/output/dense/kernel" % (scope, l)):
    p = "%s/encoder/layer_%d/" % (scope, l)
    split = lambda y: y.reshape(b, t, heads, d).transpose(0, 2, 1, 3)
    q = split(np_dense(w, x, p + "attention/self/query"))
    k = split(np_dense(w, x, p + "attention/self/key"))
    v = split(np_dense(w, x, p + "attention/self/value"))
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d) + adder
    s = np.exp(s - s.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    c = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h)
    a = np_ln(np_dense(w, c, p + "attention/output/dense") + x,
              w(p + "attention/output/LayerNorm/gamma"),
              w(p + "attention/output/LayerNorm/beta"))
    i = np_gelu(np_dense(w, a, p + "intermediate/dense"))
    x = np_ln(np_dense(w, i, p + "output/dense") + a,
              w(p + "output/LayerNorm/gamma"), w(p + "output/LayerNorm/beta"))
    hs.append(x)
    l += 1
  return hs


def np_forward(prefix, ref):
  w = NpWeights(prefix)
  inp = ref["inputs"]
  args = (inp["input_ids"], inp["token_type_ids"], inp["attention_mask"])
  cfg = ref["config"]
  gen_emb = ("generator/embeddings"
             if w.has("generator/embeddings/word_embeddings")
             else "electra/embeddings")
  gh = np_bert(w, gen_emb, "generator",
               cfg["generator"]["num_attention_heads"], *args)
  y = np_gelu(np_dense(w, gh[-1], "generator_predictions/dense"))
  y = np_ln(y, w("generator_predictions/LayerNorm/gamma"),
            w("generator_predictions/LayerNorm/beta"))
  gl = y @ w(gen_emb + "/word_embeddings").T + w("generator_predictions/output_bias")
  dh = np_bert(w, "electra/embeddings", "electra",
               cfg["discriminator"]["num_attention_heads"], *args)
  z = np_gelu(np_dense(w, dh[-1], "discriminator_predictions/dense"))
  dl = np_dense(w, z, "discriminator_predictions/dense_1")[..., 0]
  return {"disc_logits": dl, "disc_hidden": dh, "gen_logits": gl,
          "gen_hidden": gh}


# --------------------------------------------------------------------------
# HuggingFace model
# --------------------------------------------------------------------------
def hf_forward(prefix, ref):
  import torch
  import transformers

  r = tf.train.load_checkpoint(prefix)
  names = [n for n, _ in tf.train.list_variables(prefix)]

  def sd_for(tower, emb_scope, head):
    sd = {}
    for n in names:
      if n.endswith("/adam_m") or n.endswith("/adam_v") or n == "global_step":
        continue
      key = None
      if n.startswith(emb_scope + "/"):
        key = "electra.embeddings." + n[len(emb_scope) + 1:]
      elif n.startswith(tower + "/"):
        key = "electra." + n[len(tower) + 1:]
      elif n.startswith(head + "/"):
        key = head + "." + n[len(head) + 1:]
      if key is None:
        continue
      key = (key.replace("/", ".").replace("encoder.layer_", "encoder.layer.")
             .replace("dense_1", "dense_prediction").replace("gamma", "weight")
             .replace("beta", "bias").replace("kernel", "weight"))
      val = r.get_tensor(n)
      if n.endswith("/kernel"):
        val = val.T
      if n.endswith("_embeddings"):
        key += ".weight"
      if key == "generator_predictions.output_bias":
        key = "generator_lm_head.bias"
      sd[key] = torch.from_numpy(np.ascontiguousarray(val))
    return sd

  def config(c):
    return transformers.ElectraConfig(
        vocab_size=c["vocab_size"], embedding_size=c["embedding_size"],
        hidden_size=c["hidden_size"], num_hidden_layers=c["num_hidden_layers"],
        num_attention_heads=c["num_attention_heads"],
        intermediate_size=c["intermediate_size"], hidden_act="gelu",
        max_position_embeddings=c["max_position_embeddings"],
        type_vocab_size=c["type_vocab_size"], layer_norm_eps=1e-12,
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        attn_implementation="eager")

  inp = {k: torch.tensor(v) for k, v in ref["inputs"].items()}
  untied = "generator/embeddings/word_embeddings" in names

  disc = transformers.ElectraForPreTraining(config(ref["config"]["discriminator"]))
  sd = sd_for("electra", "electra/embeddings", "discriminator_predictions")
  missing, unexpected = disc.load_state_dict(sd, strict=False)
  assert not unexpected and all("position_ids" in m or "token_type_ids" in m
                                for m in missing), (missing, unexpected)
  gen = transformers.ElectraForMaskedLM(config(ref["config"]["generator"]))
  emb = "generator/embeddings" if untied else "electra/embeddings"
  sd = sd_for("generator", emb, "generator_predictions")
  sd["generator_lm_head.weight"] = sd["electra.embeddings.word_embeddings.weight"]
  missing, unexpected = gen.load_state_dict(sd, strict=False)
  assert not unexpected and all("position_ids" in m or "token_type_ids" in m
                                for m in missing), (missing, unexpected)
  disc.eval()
  gen.eval()
  with torch.no_grad():
    do = disc(**inp, output_hidden_states=True)
    go = gen(**inp, output_hidden_states=True)
  return {"disc_logits": do.logits.numpy(),
          "disc_hidden": [h.numpy() for h in do.hidden_states],
          "gen_logits": go.logits.numpy(),
          "gen_hidden": [h.numpy() for h in go.hidden_states]}


# --------------------------------------------------------------------------
# Structural checks
# --------------------------------------------------------------------------
def check_structure(fx, d):
  errors = []
  with open(os.path.join(d, "checkpoint")) as f:
    state = f.read()
  st = tf.compat.v1.train.get_checkpoint_state(d)
  base = st.model_checkpoint_path.rsplit("/", 1)[-1]
  if base != fx.prefix:
    errors.append("state file resolves to %r" % base)
  if fx.state == "gs" and "gs://" not in state:
    errors.append("state file lacks gs:// path")
  prefix = os.path.join(d, fx.prefix)
  shards = sorted(f for f in os.listdir(d) if f.startswith(fx.prefix + ".data-"))
  if shards != ["%s.data-%05d-of-%05d" % (fx.prefix, i, fx.num_shards)
                for i in range(fx.num_shards)]:
    errors.append("data files %s" % shards)
  with open(os.path.join(d, "hparams.json")) as f:
    if json.load(f) != fx.hparams:
      errors.append("hparams.json differs from spec")

  r = tf.train.load_checkpoint(prefix)
  dtypes = r.get_variable_to_dtype_map()
  got = {n: (list(s), dtypes[n].name) for n, s in tf.train.list_variables(prefix)}
  want = {n: (list(s), dt) for n, s, dt in spec.all_variables(fx)}
  for n in sorted(set(got) | set(want)):
    if got.get(n) != want.get(n):
      errors.append("variable %s: got %s want %s" % (n, got.get(n), want.get(n)))
  for n in got:
    leaf = n.split("/")[-1]
    if n == "global_step":
      continue
    a = r.get_tensor(n)
    if leaf in ("adam_m", "adam_v"):
      if np.array_equal(a, r.get_tensor(n.rsplit("/", 1)[0])):
        errors.append("%s equals its variable" % n)
    elif leaf == "gamma" and np.any(a == 1.0):
      errors.append("%s has entries == 1" % n)
    elif leaf in ("beta", "bias", "output_bias") and np.any(a == 0.0):
      errors.append("%s has zero entries" % n)
  if fx.global_step is not None and r.get_tensor("global_step") != fx.global_step:
    errors.append("global_step value")
  return prefix, errors, len(got)


def maxdiff(a, ref):
  worst = 0.0
  for key, path in (("disc_logits", ("discriminator", "logits")),
                    ("gen_logits", ("generator", "logits"))):
    worst = max(worst, float(np.max(np.abs(
        np.asarray(a[key], np.float64) - np.asarray(ref[path[0]][path[1]])))))
  for key, path in (("disc_hidden", "discriminator"),
                    ("gen_hidden", "generator")):
    hs = ref[path]["hidden_states"]
    assert len(hs) == len(a[key]), (key, len(hs), len(a[key]))
    for x, y in zip(a[key], hs):
      assert np.shape(x) == np.shape(y)
      worst = max(worst, float(np.max(np.abs(np.asarray(x, np.float64) -
                                             np.asarray(y)))))
  return worst


def main():
  args = [a for a in sys.argv[1:] if not a.startswith("--")]
  use_hf = "--no-hf" not in sys.argv
  if use_hf:
    try:
      import torch  # noqa: F401
      import transformers  # noqa: F401
    except ImportError:
      use_hf = False
  ok = True
  for fx in spec.FIXTURES:
    if args and fx.name not in args:
      continue
    d = os.path.join(TESTDATA, "checkpoints", fx.name)
    prefix, errors, nvars = check_structure(fx, d)
    with open(os.path.join(d, "reference.json"), encoding="utf-8") as f:
      ref = json.load(f)
    dnp = maxdiff(np_forward(prefix, ref), ref)
    msg = "%-9s vars=%3d  max|numpy-TF|=%.3g" % (fx.name, nvars, dnp)
    if dnp > TOL:
      errors.append("numpy differs by %g" % dnp)
    if use_hf:
      dhf = maxdiff(hf_forward(prefix, ref), ref)
      msg += "  max|HF-TF|=%.3g" % dhf
      if dhf > TOL:
        errors.append("HF differs by %g" % dhf)
    lg = np.asarray(ref["generator"]["logits"])
    ld = np.asarray(ref["discriminator"]["logits"])
    msg += "  |gen logits|<=%.2f |disc logits|<=%.2f" % (
        np.abs(lg).max(), np.abs(ld).max())
    print(msg + ("  OK" if not errors else ""))
    for e in errors:
      print("   ERROR:", e)
    ok = ok and not errors
  sys.exit(0 if ok else 1)


if __name__ == "__main__":
  main()
