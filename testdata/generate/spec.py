"""Fixture definitions for the electra-convert test checkpoints.

Everything that describes *what* is generated lives here (vocabulary, input
batch, per-fixture Google-style hparams, the resolved model dimensions and the
ordered list of TF variables); make_checkpoints.py only does the TensorFlow
work.  The dimension rules follow google-research/electra:
  util/training_utils.py  get_bert_config
  run_pretraining.py      get_generator_config, PretrainingModel
  model/modeling.py       BertModel (variable scopes and names)
"""

import collections

# --------------------------------------------------------------------------
# Vocabulary: line i of vocab.txt is token id i.
# --------------------------------------------------------------------------
VOCAB = (
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    + [".", ",", "!", "?", "'"]
    + """the quick brown fox jumps jump over lazy dog a cat sat on mat and is
    was it in of to he she they we you i this that with for not are be have
    has had do don t s can my your what where who how hello world good new
    old big small red blue day night time run walk play read eat drink coffee
    tea cafe book house tree water sun moon an at by up down out""".split()
    + ["##s", "##ing", "##ed", "##ly", "##er", "##est"]
    + ["\u4e2d", "\u6587", "\u65e5"]  # CJK: zhong, wen, ri
)
assert len(VOCAB) == len(set(VOCAB)), "duplicate vocab entries"
TOKEN_TO_ID = {t: i for i, t in enumerate(VOCAB)}
VOCAB_SIZE = len(VOCAB)

# --------------------------------------------------------------------------
# Input batch (B=3, T=12), shared by all fixtures.
# --------------------------------------------------------------------------
_ROWS = [
    # row 0: full length, two segments
    ("[CLS] the quick brown fox jumps [SEP] over the lazy dog [SEP]",
     [0] * 7 + [1] * 5),
    # row 1: 9 real tokens + 3 padding positions (pad id 0, attention_mask 0)
    ("[CLS] a cat sat on the mat . [SEP] [PAD] [PAD] [PAD]",
     [0] * 12),
    # row 2: [MASK] ids, a ## piece, an accent-stripped word and CJK
    ("[CLS] the [MASK] fox jump ##ed [MASK] the cafe \u4e2d \u6587 [SEP]",
     [0] * 12),
]
BATCH = 3
SEQ_LEN = 12
INPUT_IDS = [[TOKEN_TO_ID[t] for t in text.split()] for text, _ in _ROWS]
TOKEN_TYPE_IDS = [tt for _, tt in _ROWS]
ATTENTION_MASK = [[0 if i == TOKEN_TO_ID["[PAD]"] else 1 for i in row]
                  for row in INPUT_IDS]
assert all(len(r) == SEQ_LEN for r in INPUT_IDS + TOKEN_TYPE_IDS)
assert len(INPUT_IDS) == BATCH

# --------------------------------------------------------------------------
# Fixtures.  `hparams` is exactly what is written to hparams.json (the JSON a
# user passes to google-research/electra run_pretraining.py --hparams).
# --------------------------------------------------------------------------
Fixture = collections.namedtuple("Fixture", [
    "name",         # folder under checkpoints/
    "seed",         # numpy seed for all values of this fixture
    "hparams",      # Google-style hparams (hparams.json)
    "prefix",       # checkpoint prefix (file basename without extension)
    "global_step",  # int or None (no global_step variable)
    "adam",         # write <var>/adam_m and <var>/adam_v slots
    "num_shards",   # 1, or 2 -> Saver(sharded=True) over /cpu:0 and /cpu:1
    "state",        # `checkpoint` state file: "saver" = as TF's Saver wrote
                    # it; "timestamps" = rewritten with (fixed) timestamp
                    # fields like TF2's CheckpointManager writes;
                    # "timestamps+missing-older" = also lists an older,
                    # absent checkpoint; "gs" = gs:// absolute paths
    "note",         # one-line description (README)
])

_P = 32  # max_position_embeddings for every fixture

FIXTURES = [
    Fixture(
        name="small", seed=1001,
        hparams={
            "model_size": "base",  # "small" would force embedding_size 128 (configure_pretraining.py)
            "vocab_size": VOCAB_SIZE,
            "embedding_size": 16,
            "generator_hidden_size": 0.75,
            "generator_layers": 1.0,
            "max_seq_length": _P,
            "untied_generator_embeddings": False,
            "model_hparam_overrides": {
                "hidden_size": 32,
                "num_hidden_layers": 2,
                "num_attention_heads": 4,
                "max_position_embeddings": _P,
            },
        },
        prefix="model.ckpt-1000", global_step=1000, adam=True, num_shards=1,
        state="timestamps",
        note="small-style: E<H and E!=Hg, so both electra/ and generator/ "
             "embeddings_project exist; tied electra/embeddings; 4 disc heads"),
    Fixture(
        name="base", seed=1002,
        hparams={
            "model_size": "base",
            "vocab_size": VOCAB_SIZE,
            "embedding_size": 32,
            "generator_hidden_size": 0.5,
            "generator_layers": 1.0,
            "max_seq_length": _P,
            "untied_generator_embeddings": False,
            "model_hparam_overrides": {
                "hidden_size": 32,
                "num_hidden_layers": 2,
                "max_position_embeddings": _P,
            },
        },
        prefix="model.ckpt-2000", global_step=2000, adam=True, num_shards=1,
        state="timestamps+missing-older",
        note="base-style: E==H (no electra/embeddings_project), generator "
             "still projected; `checkpoint` also lists a missing older ckpt"),
    Fixture(
        name="untied", seed=1003,
        hparams={
            "model_size": "base",  # "small" would force embedding_size 128 (configure_pretraining.py)
            "vocab_size": VOCAB_SIZE,
            "embedding_size": 8,
            "generator_hidden_size": 0.75,
            "generator_layers": 0.5,
            "max_seq_length": _P,
            "untied_generator_embeddings": True,
            "model_hparam_overrides": {
                "hidden_size": 16,
                "num_hidden_layers": 2,
                "intermediate_size": 32,
                "max_position_embeddings": _P,
            },
        },
        prefix="model.ckpt-800", global_step=800, adam=True, num_shards=1,
        state="saver",
        note="untied_generator_embeddings: generator/embeddings/* of width "
             "Hg, no generator projection; Lg=1 != L; disc I overridden "
             "(generator I stays 4*Hg)"),
    Fixture(
        name="sharded", seed=1004,
        hparams={
            "model_size": "base",  # "small" would force embedding_size 128 (configure_pretraining.py)
            "vocab_size": VOCAB_SIZE,
            "embedding_size": 8,
            "generator_hidden_size": 0.75,
            "generator_layers": 1.0,
            "max_seq_length": _P,
            "untied_generator_embeddings": False,
            "model_hparam_overrides": {
                "hidden_size": 16,
                "num_hidden_layers": 2,
                "num_attention_heads": 2,
                "max_position_embeddings": _P,
            },
        },
        prefix="model.ckpt-1500", global_step=1500, adam=True, num_shards=2,
        state="saver",
        note="small-style, 2 data shards (Saver(sharded=True) over /cpu:0 + "
             "/cpu:1, MergeV2Checkpoints); data order = creation order, "
             "not key order"),
    Fixture(
        name="released", seed=1005,
        hparams={
            "model_size": "base",  # "small" would force embedding_size 128 (configure_pretraining.py)
            "vocab_size": VOCAB_SIZE,
            "embedding_size": 8,
            "generator_hidden_size": 1.0,
            "generator_layers": 1.0,
            "max_seq_length": _P,
            "untied_generator_embeddings": False,
            "model_hparam_overrides": {
                "hidden_size": 16,
                "num_hidden_layers": 2,
                "num_attention_heads": 2,
                "max_position_embeddings": _P,
            },
        },
        prefix="electra_small", global_step=None, adam=False, num_shards=1,
        state="gs",
        note="released-style: no adam slots, no global_step, prefix "
             "electra_small, `checkpoint` names gs:// absolute paths; "
             "Hg==H (generator_hidden_size 1.0) but gen heads 1 != disc 2"),
]

GS_STATE_DIR = "gs://electra-data/models/electra_small"
# Fixed timestamp written into the `checkpoint` state files (TF's Saver
# writes wall-clock time there; a constant keeps the output deterministic).
STATE_TIMESTAMP = 1577836800.0  # 2020-01-01T00:00:00Z


# --------------------------------------------------------------------------
# Google dimension rules.
# --------------------------------------------------------------------------
def get_bert_config(hp):
  """util/training_utils.py get_bert_config (+ BertConfig defaults)."""
  size = hp["model_size"]
  if size == "large":
    args = {"hidden_size": 1024, "num_hidden_layers": 24}
  elif size == "base":
    args = {"hidden_size": 768, "num_hidden_layers": 12}
  elif size == "small":
    args = {"hidden_size": 256, "num_hidden_layers": 12}
  else:
    raise ValueError(size)
  args["vocab_size"] = hp["vocab_size"]
  args.update(hp.get("model_hparam_overrides", {}))
  args["num_attention_heads"] = max(1, args["hidden_size"] // 64)
  args["intermediate_size"] = 4 * args["hidden_size"]
  args.update(hp.get("model_hparam_overrides", {}))
  cfg = {"max_position_embeddings": 512, "type_vocab_size": 2}
  cfg.update(args)
  return cfg


def get_generator_config(hp, disc):
  """run_pretraining.py get_generator_config."""
  gen = dict(disc)
  gen["hidden_size"] = int(round(disc["hidden_size"] * hp["generator_hidden_size"]))
  gen["num_hidden_layers"] = int(round(disc["num_hidden_layers"] * hp["generator_layers"]))
  gen["intermediate_size"] = 4 * gen["hidden_size"]
  gen["num_attention_heads"] = max(1, gen["hidden_size"] // 64)
  return gen


def embedding_size(hp, disc):
  """configure_pretraining.py: None -> hidden size ('small' forces 128 unless
  embedding_size is passed explicitly, which all fixtures do)."""
  e = hp.get("embedding_size")
  return disc["hidden_size"] if e is None else e


CONFIG_KEYS = ["vocab_size", "embedding_size", "hidden_size",
               "num_hidden_layers", "num_attention_heads", "intermediate_size",
               "max_position_embeddings", "type_vocab_size"]


def resolve(fx):
  """Returns (disc_cfg, gen_cfg) dicts with CONFIG_KEYS, HF-style.

  gen_cfg["embedding_size"] is the width of the generator's embedding table
  (E when tied, Hg when untied)."""
  hp = fx.hparams
  d = get_bert_config(hp)
  g = get_generator_config(hp, d)
  e = embedding_size(hp, d)
  d["embedding_size"] = e
  g["embedding_size"] = g["hidden_size"] if hp["untied_generator_embeddings"] else e
  for c in (d, g):
    assert c["hidden_size"] % c["num_attention_heads"] == 0
  return ({k: d[k] for k in CONFIG_KEYS}, {k: g[k] for k in CONFIG_KEYS})


# --------------------------------------------------------------------------
# Variables, in the order google-research/electra creates them.
# --------------------------------------------------------------------------
def _embeddings(scope, cfg, width):
  # modeling.embedding_lookup, embedding_postprocessor, contrib layer_norm
  # (layer_norm creates beta before gamma).
  return [
      (scope + "/embeddings/word_embeddings", [cfg["vocab_size"], width]),
      (scope + "/embeddings/token_type_embeddings", [cfg["type_vocab_size"], width]),
      (scope + "/embeddings/position_embeddings", [cfg["max_position_embeddings"], width]),
      (scope + "/embeddings/LayerNorm/beta", [width]),
      (scope + "/embeddings/LayerNorm/gamma", [width]),
  ]


def _dense(name, n_in, n_out):
  return [(name + "/kernel", [n_in, n_out]), (name + "/bias", [n_out])]


def _encoder(scope, cfg):
  h, i = cfg["hidden_size"], cfg["intermediate_size"]
  out = []
  for l in range(cfg["num_hidden_layers"]):
    p = "%s/encoder/layer_%d/" % (scope, l)
    for qkv in ("query", "key", "value"):
      out += _dense(p + "attention/self/" + qkv, h, h)
    out += _dense(p + "attention/output/dense", h, h)
    out += [(p + "attention/output/LayerNorm/beta", [h]),
            (p + "attention/output/LayerNorm/gamma", [h])]
    out += _dense(p + "intermediate/dense", h, i)
    out += _dense(p + "output/dense", i, h)
    out += [(p + "output/LayerNorm/beta", [h]),
            (p + "output/LayerNorm/gamma", [h])]
  return out


def model_variables(fx):
  """[(name, shape)] of all trainable variables in creation order:
  generator tower, generator head, discriminator tower, discriminator head."""
  d, g = resolve(fx)
  untied = fx.hparams["untied_generator_embeddings"]
  e, eg = d["embedding_size"], g["embedding_size"]
  out = []
  # Generator (built first; with tied embeddings it creates electra/embeddings)
  out += _embeddings("generator" if untied else "electra", g, eg)
  if eg != g["hidden_size"]:
    out += _dense("generator/embeddings_project", eg, g["hidden_size"])
  out += _encoder("generator", g)
  out += _dense("generator_predictions/dense", g["hidden_size"], eg)
  out += [("generator_predictions/LayerNorm/beta", [eg]),
          ("generator_predictions/LayerNorm/gamma", [eg]),
          ("generator_predictions/output_bias", [g["vocab_size"]])]
  # Discriminator (reuses electra/embeddings when tied)
  if untied:
    out += _embeddings("electra", d, e)
  if e != d["hidden_size"]:
    out += _dense("electra/embeddings_project", e, d["hidden_size"])
  out += _encoder("electra", d)
  out += _dense("discriminator_predictions/dense", d["hidden_size"], d["hidden_size"])
  out += _dense("discriminator_predictions/dense_1", d["hidden_size"], 1)
  names = [n for n, _ in out]
  assert len(names) == len(set(names)), "duplicate variable"
  return out


def all_variables(fx):
  """[(name, shape, dtype)] of everything written to the checkpoint, in
  creation order (model vars, then global_step, then adam slots in the order
  AdamWeightDecayOptimizer creates them: per var adam_m, adam_v)."""
  mv = model_variables(fx)
  out = [(n, s, "float32") for n, s in mv]
  if fx.global_step is not None:
    out.append(("global_step", [], "int64"))
  if fx.adam:
    for n, s in mv:
      out.append((n + "/adam_m", s, "float32"))
      out.append((n + "/adam_v", s, "float32"))
  return out
