"""Independent checks of the variant fixtures written by make_variant_checkpoints.py.

    "$(testdata/bench/bench-python.sh)" testdata/generate/check_variants.py [names]

Reads only the written files (checkpoint bundle via tf.train.load_checkpoint, `checkpoint`,
hparams.json or reference.json's generation_hparams, reference.json, the .meta of meta-heads)
and re-states google-research/electra's rules itself (it imports neither the original code nor
the generator):
  1. `checkpoint` resolves to the prefix; exactly the expected files are present (a .meta only
     for meta-heads, no hparams.json there);
  2. the configs in reference.json follow from the hparams (get_bert_config /
     get_generator_config / embedding_size rules);
  3. the variable list is exactly what the variant creates (names, dtypes, shapes; model
     variables, `<var>/adam_m`, `<var>/adam_v`, int64 `global_step`; no strays), slots differ
     from their variables, adam_v > 0, no LayerNorm gamma == 1, no zero beta/bias, no two
     same-shaped tensors equal;
  4. a float64 numpy re-implementation of every recorded head and of the hidden states
     reproduces reference.json within TOL;
  5. the classification head identity the converter uses (HF ElectraClassificationHead with
     dense rows +w_j/-w_j, out_proj +1/-1, bias b) gives the original's logits;
  6. meta-heads: the .meta's Reshape/shape Consts carry [batch, seq, heads, head_size] for
     both towers, equal to the recorded config.
Exits non-zero on any failure.
"""

import json
import math
import os
import sys

sys.dont_write_bytecode = True
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from check_reference import NpWeights  # noqa: E402  (a checkpoint's variables as float64)

HERE = os.path.dirname(os.path.abspath(__file__))
CKPT_ROOT = os.path.join(os.path.dirname(HERE), "checkpoints")
TOL = 1e-5
NAMES = ["finetune-glue", "finetune-tagging", "finetune-squad", "finetune-squad-joint",
         "mlm-only", "tied-generator", "electric", "uniform-generator", "meta-heads"]
CLASSIFICATION = {"mnli": 3, "cola": 2, "mrpc": 2, "sst": 2, "rte": 2, "qnli": 2, "qqp": 2}
REGRESSION = ("sts",)
TAGGING = ("chunk",)
QA = ("squad", "squadv1", "newsqa", "naturalqs", "triviaqa", "searchqa")


# --------------------------------------------------------------------------
# Config rules (second statement of util/training_utils.py, configure_*.py,
# run_pretraining.get_generator_config)
# --------------------------------------------------------------------------
def body_config(hp):
  h, l = {"small": (256, 12), "base": (768, 12), "large": (1024, 24)}[hp.get("model_size", "small")]
  c = {"hidden_size": h, "num_hidden_layers": l, "vocab_size": hp.get("vocab_size", 30522)}
  c.update(hp.get("model_hparam_overrides", {}))
  c["num_attention_heads"] = max(1, c["hidden_size"] // 64)
  c["intermediate_size"] = 4 * c["hidden_size"]
  c.update(hp.get("model_hparam_overrides", {}))
  full = {"max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu"}
  full.update(c)
  if "embedding_size" in hp:
    e = hp["embedding_size"]
  else:
    e = 128 if hp.get("model_size", "small") == "small" else None
  full["embedding_size"] = full["hidden_size"] if e is None else e
  return full


def generator_config(hp, body):
  g = dict(body)
  g["hidden_size"] = int(round(body["hidden_size"] * hp.get("generator_hidden_size", 0.25)))
  g["num_hidden_layers"] = int(round(body["num_hidden_layers"] * hp.get("generator_layers", 1.0)))
  g["intermediate_size"] = 4 * g["hidden_size"]
  g["num_attention_heads"] = max(1, g["hidden_size"] // 64)
  if hp.get("untied_generator_embeddings", False):
    g["embedding_size"] = g["hidden_size"]
  return g


KEYS = ["vocab_size", "embedding_size", "hidden_size", "num_hidden_layers",
        "num_attention_heads", "intermediate_size", "max_position_embeddings",
        "type_vocab_size", "hidden_act"]


def expected_configs(kind, hp):
  body = body_config(hp)
  out = {"body": {k: body[k] for k in KEYS}}
  if kind == "pretrain":
    electra = hp.get("electra_objective", True)
    electric = hp.get("electric_objective", False)
    if ((electra or electric) and hp.get("untied_generator", True)
        and not hp.get("uniform_generator", False)):
      g = generator_config(hp, body)
      out["generator"] = {k: g[k] for k in KEYS}
  return out


# --------------------------------------------------------------------------
# Variable names (second statement of modeling.py / run_*.py / the task heads)
# --------------------------------------------------------------------------
def v_dense(name, n_in, n_out):
  return [(name + "/kernel", [n_in, n_out]), (name + "/bias", [n_out])]


def v_ln(name, width):
  return [(name + "/beta", [width]), (name + "/gamma", [width])]


def v_embeddings(cfg):
  e = cfg["embedding_size"]
  return ([("electra/embeddings/word_embeddings", [cfg["vocab_size"], e]),
           ("electra/embeddings/token_type_embeddings", [cfg["type_vocab_size"], e]),
           ("electra/embeddings/position_embeddings", [cfg["max_position_embeddings"], e])]
          + v_ln("electra/embeddings/LayerNorm", e))


def v_tower(scope, cfg):
  h, i, e = cfg["hidden_size"], cfg["intermediate_size"], cfg["embedding_size"]
  out = v_dense(scope + "/embeddings_project", e, h) if e != h else []
  for l in range(cfg["num_hidden_layers"]):
    p = "%s/encoder/layer_%d/" % (scope, l)
    for n in ("query", "key", "value"):
      out += v_dense(p + "attention/self/" + n, h, h)
    out += v_dense(p + "attention/output/dense", h, h) + v_ln(p + "attention/output/LayerNorm", h)
    out += v_dense(p + "intermediate/dense", h, i) + v_dense(p + "output/dense", i, h)
    out += v_ln(p + "output/LayerNorm", h)
  return out


def v_token_logits(scope, n_in, cfg):
  e = cfg["embedding_size"]
  return (v_dense(scope + "/dense", n_in, e) + v_ln(scope + "/LayerNorm", e)
          + [(scope + "/output_bias", [cfg["vocab_size"]])])


def v_disc(cfg):
  h = cfg["hidden_size"]
  return v_dense("discriminator_predictions/dense", h, h) + \
      v_dense("discriminator_predictions/dense_1", h, 1)


def expected_model_variables(kind, hp, cfgs, labels):
  body = cfgs["body"]
  h = body["hidden_size"]
  out = v_embeddings(body) + v_tower("electra", body)
  if kind == "finetune":
    for t in hp["task_names"]:
      s = "task_specific/%s/" % t
      if t in CLASSIFICATION:
        assert len(labels[t]) == CLASSIFICATION[t]
        out += v_dense(s + "dense", h, CLASSIFICATION[t])
      elif t in REGRESSION:
        out += v_dense(s + "dense", h, 1)
      elif t in TAGGING:
        out += v_dense(s + "dense", h, len(labels[t]))
      elif t in QA:
        n = [0]

        def unnamed(n_in, n_out):
          name = s + ("dense" if n[0] == 0 else "dense_%d" % n[0])
          n[0] += 1
          return v_dense(name, n_in, n_out)
        out += unnamed(h, 1)  # start logits
        if hp.get("joint_prediction", True):
          out += v_dense(s + "qa_hidden", 2 * h, 512) + unnamed(512, 1)
        else:
          out += unnamed(h, 1)
        if hp.get("answerable_classifier", True):
          if hp.get("answerable_uses_start_logits", True):
            out += unnamed(2 * h, 512) + unnamed(512, 1)
          else:
            out += unnamed(h, 1)
      else:
        raise ValueError(t)
    return out
  electra = hp.get("electra_objective", True)
  electric = hp.get("electric_objective", False)
  if hp.get("uniform_generator", False):
    return out + v_disc(body)
  if not (electra or electric) or not hp.get("untied_generator", True):
    out += v_token_logits("generator_predictions", h, body)
    return out + (v_disc(body) if (electra or electric) else [])
  gen = cfgs["generator"]
  assert not hp.get("untied_generator_embeddings", False)
  if electric or hp.get("two_tower_generator", False):
    out += v_tower("generator_ltr", gen) + v_tower("generator_rtl", gen)
    out += v_token_logits("cloze_predictions", 2 * gen["hidden_size"], gen)
  else:
    out += v_tower("generator", gen)
    out += v_token_logits("generator_predictions", gen["hidden_size"], gen)
  return out + v_disc(body)


# --------------------------------------------------------------------------
# numpy model (float64)
# --------------------------------------------------------------------------
_erf = np.vectorize(math.erf)


def gelu(x):
  return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def f32(x):
  return np.asarray(x, np.float64).astype(np.float32)


def ln(x, w, scope):
  mu = x.mean(-1, keepdims=True)
  var = ((x - mu) ** 2).mean(-1, keepdims=True)
  return (x - mu) / np.sqrt(var + 1e-12) * w(scope + "/gamma") + w(scope + "/beta")


def dense(x, w, scope):
  return x @ w(scope + "/kernel") + w(scope + "/bias")


def tower(w, scope, heads, ids, tt, mask, causal=None):
  b, t = ids.shape
  x = (w("electra/embeddings/word_embeddings")[ids]
       + w("electra/embeddings/token_type_embeddings")[tt]
       + w("electra/embeddings/position_embeddings")[:t][None])
  x = ln(x, w, "electra/embeddings/LayerNorm")
  if w.has(scope + "/embeddings_project/kernel"):
    x = dense(x, w, scope + "/embeddings_project")
  hs = [x]
  h = x.shape[-1]
  d = h // heads
  allowed = np.broadcast_to(mask[:, None, :].astype(np.float64), (b, t, t)).copy()
  if causal == "ltr":
    allowed *= np.tril(np.ones((t, t)))
  elif causal == "rtl":
    allowed *= np.triu(np.ones((t, t)))
  adder = (1.0 - allowed[:, None]) * -10000.0
  l = 0
  while w.has("%s/encoder/layer_%d/output/dense/kernel" % (scope, l)):
    p = "%s/encoder/layer_%d/" % (scope, l)
    split = lambda y: y.reshape(b, t, heads, d).transpose(0, 2, 1, 3)
    q = split(dense(x, w, p + "attention/self/query"))
    k = split(dense(x, w, p + "attention/self/key"))
    v = split(dense(x, w, p + "attention/self/value"))
    # float32 rounding of `scores + adder` as TF does it: where every key of a query is masked
    # (rtl/ltr towers at padding positions) softmax runs on scores quantized to the ulp of
    # 10000 (~1e-3), which moves those outputs by up to ~1e-4 from the exact value.
    s = f32(f32(q @ k.transpose(0, 1, 3, 2) / math.sqrt(d)) + adder).astype(np.float64)
    s = np.exp(s - s.max(-1, keepdims=True))
    s /= s.sum(-1, keepdims=True)
    c = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, h)
    a = ln(dense(c, w, p + "attention/output/dense") + x, w, p + "attention/output/LayerNorm")
    x = ln(dense(gelu(dense(a, w, p + "intermediate/dense")), w, p + "output/dense") + a,
           w, p + "output/LayerNorm")
    hs.append(x)
    l += 1
  return hs


def token_logits(x, w, scope):
  y = ln(gelu(dense(x, w, scope + "/dense")), w, scope + "/LayerNorm")
  return y @ w("electra/embeddings/word_embeddings").T + w(scope + "/output_bias")


def log_softmax(x):
  m = x.max(-1, keepdims=True)
  return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def np_outputs(kind, hp, ref, w):
  inp = ref["inputs"]
  ids = np.asarray(inp["input_ids"])
  tt = np.asarray(inp["token_type_ids"])
  mask = np.asarray(inp["attention_mask"])
  cfgs = ref["config"]
  out = {}
  hs = tower(w, "electra", cfgs["body"]["num_attention_heads"], ids, tt, mask)
  out["body.hidden_states"] = hs
  seq = hs[-1]
  if kind == "finetune":
    for t in hp["task_names"]:
      s = "task_specific/%s/" % t
      if t in CLASSIFICATION:
        out[t + ".logits"] = dense(seq[:, 0], w, s + "dense")
      elif t in REGRESSION:
        out[t + ".predictions"] = dense(seq[:, 0], w, s + "dense")[:, 0]
      elif t in TAGGING:
        out[t + ".logits"] = dense(seq, w, s + "dense")
      elif t in QA and not hp.get("joint_prediction", True):
        start = dense(seq, w, s + "dense")[..., 0]
        end = dense(seq, w, s + "dense_1")[..., 0]
        answer_mask = mask * tt + np.eye(1, mask.shape[1], 0)
        out[t + ".start_logits"] = start
        out[t + ".end_logits"] = end
        out[t + ".start_logits_adjusted"] = start + 1000.0 * (answer_mask - 1)
        out[t + ".end_logits_adjusted"] = end + 1000.0 * (answer_mask - 1)
    return out
  electra = hp.get("electra_objective", True)
  electric = hp.get("electric_objective", False)
  if electra or electric:
    raw = dense(gelu(dense(seq, w, "discriminator_predictions/dense")), w,
                "discriminator_predictions/dense_1")[..., 0]
    out["discriminator.logits"] = raw
  if electric:
    g = cfgs["generator"]
    ltr = tower(w, "generator_ltr", g["num_attention_heads"], ids, tt, mask, "ltr")[-1]
    rtl = tower(w, "generator_rtl", g["num_attention_heads"], ids, tt, mask, "rtl")[-1]
    # position i sees ltr[i-1] and rtl[i+1] (wrapping around), as run_pretraining.roll
    cloze = np.concatenate([np.roll(ltr, 1, axis=1), np.roll(rtl, -1, axis=1)], -1)
    cl = token_logits(cloze, w, "cloze_predictions")
    log_q = np.take_along_axis(log_softmax(cl), ids[..., None], -1)[..., 0]
    p = hp.get("mask_prob", 0.15)
    out["discriminator.electric_logits"] = raw + log_q + math.log(p / (1 - p))
  elif not hp.get("uniform_generator", False):
    if "generator" in cfgs:
      gh = tower(w, "generator", cfgs["generator"]["num_attention_heads"], ids, tt, mask)
      out["generator.hidden_states"] = gh
      out["generator.logits"] = token_logits(gh[-1], w, "generator_predictions")
    else:
      out["generator.logits"] = token_logits(seq, w, "generator_predictions")
  return out


def max_diff(a, b):
  """(max |a - b|, max of |a - b| - one float32 ulp of b): the second is what must stay within
  TOL (a float32 result near 1000, such as the SQuAD logits after +1000*(mask-1), cannot be
  closer than half an ulp, 3e-5, to the float64 value)."""
  if isinstance(a, list):
    assert len(a) == len(b), (len(a), len(b))
    ds = [max_diff(x, y) for x, y in zip(a, b)]
    return max(d[0] for d in ds), max(d[1] for d in ds)
  a = np.asarray(a, np.float64)
  b = np.asarray(b, np.float64)
  assert a.shape == b.shape, (a.shape, b.shape)
  d = np.abs(a - b)
  ulp = np.spacing(np.abs(b).astype(np.float32)).astype(np.float64)
  return float(np.max(d)), float(np.max(d - ulp))


def classification_identity(w, task, hidden, ref_logits):
  """HF ElectraClassificationHead built from the original's dense [H, n]: returns max |diff|."""
  kernel = w("task_specific/%s/dense/kernel" % task)
  bias = w("task_specific/%s/dense/bias" % task)
  h, n = kernel.shape
  assert 2 * n <= h
  dense_w = np.zeros((h, h))  # torch Linear layout [out, in]
  out_w = np.zeros((n, h))
  for j in range(n):
    dense_w[2 * j] = kernel[:, j]
    dense_w[2 * j + 1] = -kernel[:, j]
    out_w[j, 2 * j] = 1.0
    out_w[j, 2 * j + 1] = -1.0
  x = hidden[:, 0]
  logits = gelu(x @ dense_w.T + np.zeros(h)) @ out_w.T + bias
  return max_diff(logits, ref_logits)


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------
def meta_head_shapes(path):
  mg = tf.compat.v1.MetaGraphDef()
  with open(path, "rb") as f:
    mg.ParseFromString(f.read())
  out = {}
  for node in mg.graph_def.node:
    for tower_scope in ("electra", "generator"):
      for r in ("Reshape", "Reshape_1", "Reshape_2"):
        if node.name == "%s/encoder/layer_0/attention/self/%s/shape" % (tower_scope, r):
          assert node.op == "Const", node.op
          out[node.name] = tf.make_ndarray(node.attr["value"].tensor).tolist()
  return out


def check(name):
  errors = []
  d = os.path.join(CKPT_ROOT, name)
  with open(os.path.join(d, "reference.json"), encoding="utf-8") as f:
    ref = json.load(f)
  kind = ref["kind"]
  meta = name == "meta-heads"
  if meta:
    hp = ref["generation_hparams"]
  else:
    with open(os.path.join(d, "hparams.json")) as f:
      hp = json.load(f)
  ck = ref["checkpoint"]
  prefix_name = ck["prefix"]
  want_files = {"checkpoint", "reference.json", prefix_name + ".index",
                prefix_name + ".data-00000-of-00001"}
  want_files |= {prefix_name + ".meta"} if meta else {"hparams.json"}
  if set(os.listdir(d)) != want_files:
    errors.append("files %s" % sorted(os.listdir(d)))
  st = tf.compat.v1.train.get_checkpoint_state(d)
  if st.model_checkpoint_path.rsplit("/", 1)[-1] != prefix_name:
    errors.append("`checkpoint` resolves to %s" % st.model_checkpoint_path)
  prefix = os.path.join(d, prefix_name)

  cfgs = expected_configs(kind, hp)
  if cfgs != ref["config"]:
    errors.append("config %s != expected %s" % (ref["config"], cfgs))
  labels = ref.get("labels", {})

  model_vars = expected_model_variables(kind, hp, cfgs, labels)
  want = {n: ("float32", s) for n, s in model_vars}
  for n, s in model_vars:
    want[n + "/adam_m"] = ("float32", s)
    want[n + "/adam_v"] = ("float32", s)
  want["global_step"] = ("int64", [])
  r = tf.train.load_checkpoint(prefix)
  dtypes = r.get_variable_to_dtype_map()
  got = {n: (dtypes[n].name, list(s)) for n, s in tf.train.list_variables(prefix)}
  for n in sorted(set(got) | set(want)):
    if got.get(n) != want.get(n):
      errors.append("variable %s: got %s want %s" % (n, got.get(n), want.get(n)))
  listed = {n: (dt, s) for n, dt, s in ck["variables"]}
  if listed != got or ck["num_variables"] != len(got):
    errors.append("reference.json variable list differs from the checkpoint")
  if int(r.get_tensor("global_step")) != ck["global_step"] or \
      prefix_name != "model.ckpt-%d" % ck["global_step"]:
    errors.append("global_step")
  seen = {}
  for n in sorted(got):
    if n == "global_step":
      continue
    a = r.get_tensor(n)
    leaf = n.rsplit("/", 1)[-1]
    if leaf in ("adam_m", "adam_v"):
      base = r.get_tensor(n.rsplit("/", 1)[0])
      if np.array_equal(a, base):
        errors.append("%s equals its variable" % n)
      if leaf == "adam_v" and not np.all(a > 0):
        errors.append("%s not > 0" % n)
    elif leaf == "gamma" and np.any(a == 1.0):
      errors.append("%s has entries == 1" % n)
    elif leaf in ("beta", "bias", "output_bias") and np.any(a == 0.0):
      errors.append("%s has zero entries" % n)
    key = (a.shape, a.tobytes())
    if key in seen:
      errors.append("%s equals %s" % (n, seen[key]))
    seen[key] = n

  w = NpWeights(prefix)
  mine = np_outputs(kind, hp, ref, w)
  diffs = {}
  if set(mine) != set(ref["outputs"]):
    errors.append("outputs %s != recomputed %s" % (sorted(ref["outputs"]), sorted(mine)))
  for k in sorted(set(mine) & set(ref["outputs"])):
    diffs[k], beyond_ulp = max_diff(mine[k], ref["outputs"][k])
    if beyond_ulp > TOL:
      errors.append("%s differs by %g" % (k, diffs[k]))
  ident = None
  for t in hp.get("task_names", []):
    if t in CLASSIFICATION:
      ident = classification_identity(w, t, mine["body.hidden_states"][-1],
                                      ref["outputs"][t + ".logits"])[0]
      if ident > TOL:
        errors.append("classification identity differs by %g" % ident)

  if meta:
    shapes = meta_head_shapes(prefix + ".meta")
    b, t = np.shape(ref["inputs"]["input_ids"])
    for tower_scope, c in (("electra", cfgs["body"]), ("generator", cfgs["generator"])):
      heads = c["num_attention_heads"]
      for rr in ("Reshape", "Reshape_1", "Reshape_2"):
        node = "%s/encoder/layer_0/attention/self/%s/shape" % (tower_scope, rr)
        if shapes.get(node) != [b, t, heads, c["hidden_size"] // heads]:
          errors.append("meta %s = %s" % (node, shapes.get(node)))
    if shapes != ref["meta_graph"]["head_shape_nodes"]:
      errors.append("meta_graph.head_shape_nodes differ from the .meta")
    if cfgs["body"]["num_attention_heads"] == max(1, cfgs["body"]["hidden_size"] // 64):
      errors.append("meta-heads uses the default head count")
  return errors, diffs, ident, len(got)


def main():
  names = sys.argv[1:] or NAMES
  ok = True
  for name in names:
    errors, diffs, ident, nvars = check(name)
    print("%-21s vars=%3d  %s%s%s" % (
        name, nvars, "  ".join("%s=%.2g" % kv for kv in sorted(diffs.items())),
        "  identity=%.2g" % ident if ident is not None else "",
        "  OK" if not errors else ""))
    for e in errors:
      print("   ERROR:", e)
    ok = ok and not errors
  sys.exit(0 if ok else 1)


if __name__ == "__main__":
  main()
