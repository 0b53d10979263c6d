"""Writes the ELECTRA *variant* fixtures with google-research/electra's own graph code.

    git clone https://github.com/google-research/electra <src> && git -C <src> checkout 8a46635
    "$(testdata/bench/bench-python.sh)" testdata/generate/make_variant_checkpoints.py --electra-src <src> [names]

Unlike make_checkpoints.py (which re-states the model in raw TF ops), every graph here is
built by the original code, imported from --electra-src (nothing of it is copied here):

  pretraining  run_pretraining.PretrainingModel(config, features, is_training)
               + model.optimization.create_optimizer(...)       (as run_pretraining's model_fn)
  fine-tuning  run_finetuning.FinetuningModel(config, tasks, is_training, features, steps)
               + model.optimization.create_optimizer(...)       (as run_finetuning's model_fn)

with configure_pretraining.PretrainingConfig / configure_finetuning.FinetuningConfig made from the
fixture's hparams (the JSON the original scripts take as --hparams) and the tasks from
finetune.task_builder.get_tasks (tokenizer over testdata/vocab.txt).

Per fixture:
  1. TRAIN graph (is_training=True) + AdamWeightDecayOptimizer -> every variable the original
     creates (model, `<var>/adam_m`, `<var>/adam_v`, `global_step`), in creation order.
  2. Each variable gets a deterministic value (numpy RandomState(seed), creation order, the value
     rules of tf_model.make_values), loaded with Variable.load (no new graph ops), and
     tf.compat.v1.train.Saver(sharded=True, save_relative_paths=True) - the saver an Estimator
     makes - writes model.ckpt-<global_step>.{index,data-00000-of-00001} + `checkpoint`
     (+ the .meta MetaGraphDef of the TRAIN graph, kept only for meta-heads).
  3. A fresh graph built by the same original code with is_training=False (dropout off)
     restores the written files and computes the reference outputs.  For pretraining, the two
     random helpers of the original (pretrain_helpers.mask, pretrain_helpers.sample_from_softmax)
     are replaced in that graph only by deterministic ones: "mask" every position without
     replacing any token, and "sample" the original token, so the generator head runs on every
     position of the given input and the discriminator reads the given input unchanged.
     Hidden states are read from the original's BertModel objects (get_embedding_output(),
     get_all_encoder_layers()); raw head outputs that the original does not return are fetched
     from its graph by op name (asserted).

TF 2.21 lacks three TF1 modules the original imports; install_tf1_compat() provides them:
  tensorflow.contrib.layers.layer_norm  -> this file's layer_norm (contrib's semantics: scope
                                           LayerNorm, beta then gamma, nn.moments +
                                           nn.batch_normalization, epsilon 1e-12)
  tf.compat.v1.layers                   -> tensorflow.python.layers (TF's own bundled legacy
                                           tf.layers, i.e. the same Dense layer)
  tf.compat.v1.estimator.SessionRunHook -> tf.compat.v1.train.SessionRunHook (import only)

Writes testdata/checkpoints/<name>/ for every fixture in FIXTURES: checkpoint files,
hparams.json (all but meta-heads) and reference.json.  Deterministic (sha256-identical reruns).
"""

import argparse
import collections
import hashlib
import json
import os
import shutil
import sys
import tempfile
import types

sys.dont_write_bytecode = True  # keep testdata/ free of __pycache__
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import spec  # noqa: E402  (vocabulary, input batch)
from make_checkpoints import f32, write_json  # noqa: E402  (same JSON style)
from tf_model import draw_value  # noqa: E402  (same value rules as the pretraining fixtures)

tf1 = tf.compat.v1
TESTDATA = os.path.dirname(HERE)
CKPT_ROOT = os.path.join(TESTDATA, "checkpoints")
VOCAB_FILE = os.path.join(TESTDATA, "vocab.txt")

ELECTRA_COMMIT = "8a46635"
# sha256 of the original files whose code builds the graphs (google-research/electra @ 8a46635).
ELECTRA_FILES = {
    "configure_finetuning.py":
        "504f1f64d0670bfdbb73895551a2a6b07963400300db7703ec56a2c890c66260",
    "configure_pretraining.py":
        "9b19ac0276c67b5232ef4df080c4334b2c221dc76de1e8cdfac513db26c017b2",
    "run_finetuning.py":
        "a9468b2ffc161f47bacd3b758291ad10a54a1164f46d5765a61fd023b594c3fb",
    "run_pretraining.py":
        "2b397c53af7092b2ed0832c8cebec80d0058e08985f516a77ea64b5181c1b11a",
    "model/modeling.py":
        "8fef544eb179d8c9d89095760f76038f8d488d16edf0cc004d406d8848c2bf73",
    "model/optimization.py":
        "a084a4f30856c0d523997ab982b9d8d13e1aa7d8a1ae744db410ab48bb7e82e3",
    "model/tokenization.py":
        "87596f12eee09e740a9b4e17d3254555d060f39cac3e138b1567537e1c6532dd",
    "pretrain/pretrain_data.py":
        "003cb0c095f0d2538515f3635c4a383b7ff2036197022e4efb0b9cc41dde56f5",
    "pretrain/pretrain_helpers.py":
        "b7e6a0ad31ef6189f68c91d39e951d11740158c0831e44001b41e0357c03b636",
    "util/training_utils.py":
        "5f421f15eb302ff04ce62a1d43c50bb02be250a0c681778a4f2b7d168e0be504",
    "finetune/task_builder.py":
        "41a4a712e4a762ac1dc0471cd97167e9ad98199037aa9fdeaea978f1ef9d776a",
    "finetune/classification/classification_tasks.py":
        "85979fe9cd5ed73d992862e0382b04a5b6c2ff92fff22eda485efa14c89326a2",
    "finetune/tagging/tagging_tasks.py":
        "179296440426f46dd86aa1fc171467cddde3df242cf9be3dac14f9576154697f",
    "finetune/qa/qa_tasks.py":
        "81fa1143525d591978f8847d3a9f53ba1cbfb13656cf89bfe62480caefc5ddb5",
}

# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------
P = 32  # max_position_embeddings (and max_seq_length) everywhere
MODEL_NAME = "fixture"  # the original's --model-name (only used for paths in a temp data dir)

Fixture = collections.namedtuple("Fixture", [
    "name",             # folder under checkpoints/
    "seed",             # numpy seed for every value of this fixture
    "kind",             # "pretrain" | "finetune"
    "hparams",          # the original's --hparams JSON
    "global_step",      # value of global_step (and the checkpoint's -N suffix)
    "num_train_steps",  # fine-tuning only: num_train_steps given to the model/optimizer
    "keep_meta",        # keep model.ckpt-N.meta
    "write_hparams",    # write hparams.json beside the checkpoint
    "note",
])


def _overrides(hidden=32, layers=2, heads=None, intermediate=None):
  o = {"hidden_size": hidden, "num_hidden_layers": layers}
  if heads is not None:
    o["num_attention_heads"] = heads
  if intermediate is not None:
    o["intermediate_size"] = intermediate
  o["max_position_embeddings"] = P
  return o


FIXTURES = [
    Fixture(
        name="finetune-glue", seed=3001, kind="finetune",
        hparams={
            "model_size": "small",  # explicit embedding_size wins over small's 128
            "task_names": ["mnli", "sts"],
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=2),
        },
        global_step=3000, num_train_steps=10000, keep_meta=False, write_hparams=True,
        note="two fine-tuning heads in one checkpoint: mnli (3-way classification) and sts "
             "(regression)"),
    Fixture(
        name="finetune-tagging", seed=3002, kind="finetune",
        hparams={
            "model_size": "base",
            "task_names": ["chunk"],
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(),
        },
        global_step=2500, num_train_steps=10000, keep_meta=False, write_hparams=True,
        note="chunk tagging head (9 BIOES labels from the original's label-mapping code)"),
    Fixture(
        name="finetune-squad", seed=3003, kind="finetune",
        hparams={
            "model_size": "small",
            "task_names": ["squad"],
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "joint_prediction": False,
            "answerable_classifier": False,
            "model_hparam_overrides": _overrides(heads=4),
        },
        global_step=4000, num_train_steps=10000, keep_meta=False, write_hparams=True,
        note="SQuAD head without joint prediction / answerable classifier: start dense, "
             "end dense_1"),
    Fixture(
        name="finetune-squad-joint", seed=3004, kind="finetune",
        hparams={
            "model_size": "small",
            "task_names": ["squad"],
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 8,
            "max_seq_length": P,
            "beam_size": 4,  # top_k(k=beam_size) needs k <= sequence length (12 here)
            "model_hparam_overrides": _overrides(hidden=16, heads=2),
        },
        global_step=4500, num_train_steps=10000, keep_meta=False, write_hparams=True,
        note="default SQuAD head (joint_prediction + answerable_classifier): qa_hidden [2H,512], "
             "dense_2 [2H,512] etc.; body H=16 to keep the 512-wide layers small"),
    Fixture(
        name="mlm-only", seed=3005, kind="pretrain",
        hparams={
            "model_size": "base",
            "electra_objective": False,
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=4),
        },
        global_step=1200, num_train_steps=None, keep_meta=False, write_hparams=True,
        note="BERT-style masked LM (electra_objective false): full-size electra/* body + "
             "generator_predictions/*, no discriminator"),
    Fixture(
        name="tied-generator", seed=3006, kind="pretrain",
        hparams={
            "model_size": "small",
            "untied_generator": False,
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=2),
        },
        global_step=1400, num_train_steps=None, keep_meta=False, write_hparams=True,
        note="untied_generator false: one electra/* body shared by generator and discriminator"),
    Fixture(
        name="electric", seed=3007, kind="pretrain",
        hparams={
            "model_size": "base",
            "electric_objective": True,
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 8,
            "generator_hidden_size": 0.5,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=4),
        },
        global_step=1600, num_train_steps=None, keep_meta=False, write_hparams=True,
        note="Electric: two-tower cloze generator generator_ltr/* + generator_rtl/* (Hg=16) "
             "and cloze_predictions/*"),
    Fixture(
        name="uniform-generator", seed=3008, kind="pretrain",
        hparams={
            "model_size": "base",
            "uniform_generator": True,
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 16,
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=2),
        },
        global_step=1800, num_train_steps=None, keep_meta=False, write_hparams=True,
        note="uniform_generator: no generator variables at all"),
    Fixture(
        name="meta-heads", seed=3009, kind="pretrain",
        hparams={
            "model_size": "base",
            "vocab_size": spec.VOCAB_SIZE,
            "embedding_size": 8,
            "generator_hidden_size": 0.5,
            "generator_layers": 0.5,  # Lg = 1: fewer graph nodes in the .meta
            "max_seq_length": P,
            "model_hparam_overrides": _overrides(heads=4),
        },
        global_step=2200, num_train_steps=None, keep_meta=True, write_hparams=False,
        note="default (untied generator) pretraining with 4 discriminator heads != "
             "max(1, 32 // 64); only the .meta tells the head count"),
]

# CoNLL-2000-style chunking snippet (word POS chunk); the original's
# TaggingTask._get_label_mapping turns its tags (BIOES) into the label mapping.
CHUNK_TRAIN = """\
the DT B-NP
quick JJ I-NP
brown JJ I-NP
fox NN I-NP
jumps VBZ B-VP
over IN B-PP
the DT B-NP
lazy JJ I-NP
dog NN I-NP
. . O

a DT B-NP
cat NN I-NP
sat VBD B-VP
on IN B-PP
the DT B-NP
mat NN I-NP
. . O

he PRP B-NP
was VBD B-VP
reading VBG I-VP

"""


# --------------------------------------------------------------------------
# TF1 compatibility for the original code under TF 2.21
# --------------------------------------------------------------------------
def layer_norm(inputs, begin_norm_axis=1, begin_params_axis=-1, scope=None, reuse=None,
               center=True, scale=True, activation_fn=None, trainable=True):
  """tf.contrib.layers.layer_norm semantics (the subset modeling.py uses)."""
  assert center and scale and activation_fn is None
  shape = inputs.shape
  rank = shape.ndims
  with tf1.variable_scope(scope, default_name="LayerNorm", values=[inputs], reuse=reuse):
    if begin_norm_axis < 0:
      begin_norm_axis += rank
    if begin_params_axis < 0:
      begin_params_axis += rank
    params_shape = shape[begin_params_axis:]
    dtype = inputs.dtype.base_dtype
    beta = tf1.get_variable("beta", shape=params_shape, dtype=dtype,
                            initializer=tf1.zeros_initializer(), trainable=trainable)
    gamma = tf1.get_variable("gamma", shape=params_shape, dtype=dtype,
                             initializer=tf1.ones_initializer(), trainable=trainable)
    mean, variance = tf1.nn.moments(inputs, list(range(begin_norm_axis, rank)),
                                    keep_dims=True)
    outputs = tf1.nn.batch_normalization(
        inputs, mean, variance, offset=beta, scale=gamma,
        variance_epsilon=1e-12 if dtype != tf.float16 else 1e-3)
    outputs.set_shape(shape)
    return outputs


def install_tf1_compat(electra_src):
  import tensorflow.compat.v1 as tfv1
  from tensorflow.python.layers import layers as legacy_layers
  tfv1.layers = legacy_layers
  tfv1.estimator = types.SimpleNamespace(SessionRunHook=tfv1.train.SessionRunHook)
  contrib = types.ModuleType("tensorflow.contrib")
  contrib_layers = types.ModuleType("tensorflow.contrib.layers")
  contrib_layers.layer_norm = layer_norm
  contrib.layers = contrib_layers
  sys.modules["tensorflow.contrib"] = contrib
  sys.modules["tensorflow.contrib.layers"] = contrib_layers
  sys.path.insert(0, os.path.abspath(electra_src))


def check_electra_src(electra_src, allow_other):
  bad = []
  for rel, want in ELECTRA_FILES.items():
    path = os.path.join(electra_src, rel)
    if not os.path.isfile(path):
      bad.append(rel + " missing")
      continue
    with open(path, "rb") as f:
      got = hashlib.sha256(f.read()).hexdigest()
    if want and got != want:
      bad.append(rel + " differs")
  if bad and not allow_other:
    sys.exit("--electra-src is not google-research/electra @ %s: %s (use --allow-other-source "
             "to run anyway)" % (ELECTRA_COMMIT, ", ".join(bad)))
  return bad


# Modules of the original, imported after install_tf1_compat().
E = types.SimpleNamespace()


def import_electra():
  import configure_finetuning
  import configure_pretraining
  import run_finetuning
  import run_pretraining
  from finetune import task_builder
  from model import modeling
  from model import optimization
  from pretrain import pretrain_data
  from pretrain import pretrain_helpers
  from util import training_utils
  E.__dict__.update(locals())


# --------------------------------------------------------------------------
# Inputs, values
# --------------------------------------------------------------------------
B, T = spec.BATCH, spec.SEQ_LEN


def shared_features():
  return {
      "input_ids": tf.constant(spec.INPUT_IDS, tf.int32),
      "input_mask": tf.constant(spec.ATTENTION_MASK, tf.int32),
      "segment_ids": tf.constant(spec.TOKEN_TYPE_IDS, tf.int32),
  }


def finetune_features(config, tasks):
  """The features dict run_finetuning's input_fn would give (batch 3, length 12): the task
  features named by each task's get_feature_specs(), zero labels, every position tagged."""
  feats = shared_features()
  feats["task_id"] = tf.zeros([B], tf.int32)
  for task in tasks:
    for fs in task.get_feature_specs():
      shape = [B] if not fs.shape else [B, T]
      if fs.name.endswith("_labeled_positions"):
        val = np.tile(np.arange(T, dtype=np.int32), (B, 1))
      elif fs.name.endswith("_labels_mask"):
        val = np.ones(shape, np.float32)
      else:
        val = np.zeros(shape, np.int32 if fs.is_int_feature else np.float32)
      feats[fs.name] = tf.constant(val)
  return feats


def var_name(v):
  return v.name.rsplit(":", 1)[0]


def session_config():
  # Single-threaded kernels; no grappler rewrites (the graphs run op by op as built).
  cfg = tf1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
  cfg.graph_options.rewrite_options.disable_meta_optimizer = True
  return cfg


# --------------------------------------------------------------------------
# Graph building with the original code
# --------------------------------------------------------------------------
def make_config(fx, data_dir):
  if fx.kind == "pretrain":
    return E.configure_pretraining.PretrainingConfig(MODEL_NAME, data_dir, **fx.hparams)
  return E.configure_finetuning.FinetuningConfig(MODEL_NAME, data_dir, **fx.hparams)


def build_train(fx, data_dir):
  """As the original's model_fn in TRAIN mode: model + create_optimizer."""
  config = make_config(fx, data_dir)
  if fx.kind == "pretrain":
    model = E.run_pretraining.PretrainingModel(config, shared_features(), True)
    E.optimization.create_optimizer(
        model.total_loss, config.learning_rate, config.num_train_steps,
        weight_decay_rate=config.weight_decay_rate,
        use_tpu=config.use_tpu,
        warmup_steps=config.num_warmup_steps,
        lr_decay_power=config.lr_decay_power)
  else:
    tasks = E.task_builder.get_tasks(config)
    model = E.run_finetuning.FinetuningModel(
        config, tasks, True, finetune_features(config, tasks), fx.num_train_steps)
    E.optimization.create_optimizer(
        model.loss, config.learning_rate, fx.num_train_steps,
        weight_decay_rate=config.weight_decay_rate,
        use_tpu=config.use_tpu,
        warmup_proportion=config.warmup_proportion,
        layerwise_lr_decay_power=config.layerwise_lr_decay,
        n_transformer_layers=model.bert_config.num_hidden_layers)


class _Patched(object):
  """Temporarily replaces attributes of the original's modules (reference graph only)."""

  def __init__(self, replacements):
    self._rep = replacements
    self._old = []

  def __enter__(self):
    for mod, attr, new in self._rep:
      self._old.append((mod, attr, getattr(mod, attr)))
      setattr(mod, attr, new)
    return self

  def __exit__(self, *exc):
    for mod, attr, old in reversed(self._old):
      setattr(mod, attr, old)


def build_reference(fx, data_dir):
  """Builds the is_training=False graph with the original code; returns
  (fetches {name: tensor}, bert_models [(scope, BertModel)], model, config)."""
  models = []
  base = E.modeling.BertModel

  class RecordingBertModel(base):
    def __init__(self, *args, **kwargs):
      super(RecordingBertModel, self).__init__(*args, **kwargs)
      models.append((kwargs.get("scope") or "electra", self))

  feats = shared_features()
  config = make_config(fx, data_dir)
  if fx.kind == "pretrain":
    ids = feats["input_ids"]

    def mask_every_position(config, inputs, mask_prob, **unused):
      positions = tf.tile(tf.range(T)[None], [B, 1])
      return E.pretrain_data.get_updated_inputs(
          inputs, masked_lm_positions=positions, masked_lm_ids=inputs.input_ids,
          masked_lm_weights=tf.ones([B, T], tf.float32))

    def sample_original_token(logits, disallow=None):
      return tf.one_hot(ids, logits.shape[-1])

    with _Patched([(E.modeling, "BertModel", RecordingBertModel),
                   (E.pretrain_helpers, "mask", mask_every_position),
                   (E.pretrain_helpers, "sample_from_softmax", sample_original_token)]):
      model = E.run_pretraining.PretrainingModel(config, feats, False)
  else:
    tasks = E.task_builder.get_tasks(config)
    with _Patched([(E.modeling, "BertModel", RecordingBertModel)]):
      model = E.run_finetuning.FinetuningModel(
          config, tasks, False, finetune_features(config, tasks), fx.num_train_steps)
  return model, models, config


def op_output(graph, name, op_type, input_prefix=None):
  op = graph.get_operation_by_name(name)
  assert op.type == op_type, (name, op.type)
  if input_prefix is not None:
    assert op.inputs[0].op.name.startswith(input_prefix), (name, op.inputs[0].op.name)
  return op.outputs[0]


def hidden_state_tensors(bert_model):
  layers = tf.unstack(bert_model.get_all_encoder_layers(), axis=0)
  return [bert_model.get_embedding_output()] + layers


def hf_config(bert_config, embedding_size):
  c = bert_config.to_dict() if hasattr(bert_config, "to_dict") else dict(bert_config)
  return collections.OrderedDict([
      ("vocab_size", c["vocab_size"]),
      ("embedding_size", embedding_size),
      ("hidden_size", c["hidden_size"]),
      ("num_hidden_layers", c["num_hidden_layers"]),
      ("num_attention_heads", c["num_attention_heads"]),
      ("intermediate_size", c["intermediate_size"]),
      ("max_position_embeddings", c["max_position_embeddings"]),
      ("type_vocab_size", c["type_vocab_size"]),
      ("hidden_act", c["hidden_act"]),
  ])


def reference_fetches(fx, graph, model, models, config):
  """Returns (fetches, configs, labels) for the fixture."""
  fetches = collections.OrderedDict()
  configs = collections.OrderedDict()
  labels = collections.OrderedDict()
  by_scope = collections.defaultdict(list)
  for scope, m in models:
    by_scope[scope].append(m)
  emb = config.embedding_size
  if fx.kind == "finetune":
    bert_config = model.bert_config
    configs["body"] = hf_config(bert_config, emb if emb is not None else bert_config.hidden_size)
    (body,) = by_scope["electra"]
    for name in config.task_names:
      out = model.outputs[name]
      if name == "mnli":
        fetches["mnli.logits"] = out["logits"]
      elif name == "sts":
        fetches["sts.predictions"] = out["predictions"]
      elif name == "chunk":
        fetches["chunk.logits"] = out["logits"]
      elif name == "squad" and not config.joint_prediction:
        scope = "task_specific/squad/"
        fetches["squad.start_logits"] = op_output(graph, scope + "Squeeze", "Squeeze",
                                                  scope + "dense/")
        fetches["squad.end_logits"] = op_output(graph, scope + "Squeeze_1", "Squeeze",
                                                scope + "dense_1/")
        fetches["squad.start_logits_adjusted"] = out["start_logits"]
        fetches["squad.end_logits_adjusted"] = out["end_logits"]
    fetches["body.hidden_states"] = hidden_state_tensors(body)
    return fetches, configs, labels

  bert_config = model._bert_config
  e = emb if emb is not None else bert_config.hidden_size
  configs["body"] = hf_config(bert_config, e)
  scope = "discriminator_predictions/"
  if config.electra_objective or config.electric_objective:
    raw = op_output(graph, scope + "Squeeze", "Squeeze", scope + "dense_1/")
    fetches["discriminator.logits"] = raw
    final = graph.get_operation_by_name(scope + "Sigmoid").inputs[0]
    if config.electric_objective:
      fetches["discriminator.electric_logits"] = final
    else:
      assert final is raw, final
  if not config.uniform_generator and not config.electric_objective:
    fetches["generator.logits"] = model.mlm_output.logits
  fetches["body.hidden_states"] = hidden_state_tensors(by_scope["electra"][-1])
  if len(by_scope["electra"]) == 2:  # tied generator: same body twice
    fetches["_tied_generator_hidden_states"] = hidden_state_tensors(by_scope["electra"][0])
  gen_config = None
  if (config.electra_objective or config.electric_objective) and config.untied_generator \
      and not config.uniform_generator:
    gen_config = E.run_pretraining.get_generator_config(config, bert_config)
    ge = gen_config.hidden_size if config.untied_generator_embeddings else e
    configs["generator"] = hf_config(gen_config, ge)
  if "generator" in by_scope:
    fetches["generator.hidden_states"] = hidden_state_tensors(by_scope["generator"][0])
  return fetches, configs, labels


# --------------------------------------------------------------------------
# Writing one fixture
# --------------------------------------------------------------------------
def prepare_data_dir(fx, root):
  """Temp data dir as the original expects it: <data>/vocab.txt (+ raw chunk data)."""
  d = os.path.join(root, fx.name)
  os.makedirs(d)
  shutil.copyfile(VOCAB_FILE, os.path.join(d, "vocab.txt"))
  if "chunk" in fx.hparams.get("task_names", []):
    raw = os.path.join(d, "finetuning_data", "chunk")
    os.makedirs(raw)
    with open(os.path.join(raw, "train.txt"), "w", newline="\n") as f:
      f.write(CHUNK_TRAIN)
  return d


def save_checkpoint(fx, data_dir, out_dir):
  g = tf.Graph()
  with g.as_default():
    build_train(fx, data_dir)
    variables = tf1.global_variables()
    saver = tf1.train.Saver(sharded=True, max_to_keep=5, save_relative_paths=True)
    rng = np.random.RandomState(fx.seed)
    values = collections.OrderedDict()
    for v in variables:
      name = var_name(v)
      if name == "global_step":
        values[name] = np.array(fx.global_step, np.int64)
      else:
        assert v.dtype.base_dtype == tf.float32, name
        values[name] = draw_value(name, v.shape.as_list(), rng)
    with tf1.Session(graph=g, config=session_config()) as sess:
      sess.run(tf1.global_variables_initializer())
      for v in variables:
        v.load(values[var_name(v)], sess)
      path = saver.save(sess, os.path.join(out_dir, "model.ckpt"), global_step=fx.global_step,
                        write_meta_graph=fx.keep_meta)
  assert os.path.basename(path) == "model.ckpt-%d" % fx.global_step, path
  return path, [var_name(v) for v in variables]


def compute_reference(fx, data_dir, prefix):
  g = tf.Graph()
  with g.as_default():
    model, models, config = build_reference(fx, data_dir)
    fetches, configs, labels = reference_fetches(fx, g, model, models, config)
    if fx.kind == "finetune":
      tasks = E.task_builder.get_tasks(config)
      for task in tasks:
        if task.name == "mnli":
          labels["mnli"] = list(task._label_list)
        elif task.name == "chunk":
          mapping = task._get_label_mapping()
          inv = sorted(mapping.items(), key=lambda kv: kv[1])
          assert [i for _, i in inv] == list(range(len(inv)))
          labels["chunk"] = [k for k, _ in inv]
    restored = tf1.global_variables()
    saver = tf1.train.Saver()
    with tf1.Session(graph=g, config=session_config()) as sess:
      saver.restore(sess, prefix)
      res = sess.run(fetches)
      step = [v for v in restored if var_name(v) == "global_step"]
      if step:
        assert sess.run(step[0]) == fx.global_step
  if "_tied_generator_hidden_states" in res:
    for a, b in zip(res.pop("_tied_generator_hidden_states"), res["body.hidden_states"]):
      assert np.array_equal(a, b)
  return res, configs, labels, sorted(var_name(v) for v in restored)


def meta_head_nodes(meta_path):
  """Const nodes in the .meta carrying [batch, seq, heads, head_size] for layer 0 of each
  tower (the Reshape of the query in transpose_for_scores)."""
  mg = tf1.MetaGraphDef()
  with open(meta_path, "rb") as f:
    mg.ParseFromString(f.read())
  out = collections.OrderedDict()
  for node in mg.graph_def.node:
    for tower in ("electra", "generator"):
      for r in ("Reshape", "Reshape_1", "Reshape_2"):
        if node.name == "%s/encoder/layer_0/attention/self/%s/shape" % (tower, r):
          assert node.op == "Const"
          out[node.name] = tf.make_ndarray(node.attr["value"].tensor).tolist()
  return out


def checkpoint_summary(fx, prefix):
  reader = tf.train.load_checkpoint(prefix)
  dtypes = reader.get_variable_to_dtype_map()
  var_list = [[name, dtypes[name].name, list(shape)]
              for name, shape in tf.train.list_variables(prefix)]
  return collections.OrderedDict([
      ("prefix", os.path.basename(prefix)),
      ("num_shards", 1),
      ("global_step", fx.global_step),
      ("adam_slots", True),
      ("num_variables", len(var_list)),
      ("variables", var_list),
  ])


def build_fixture(fx, tmp_root):
  out_dir = os.path.join(CKPT_ROOT, fx.name)
  if os.path.isdir(out_dir):
    shutil.rmtree(out_dir)
  os.makedirs(out_dir)
  data_dir = prepare_data_dir(fx, tmp_root)

  prefix, created = save_checkpoint(fx, data_dir, out_dir)
  files = sorted(os.listdir(out_dir))
  want = ["checkpoint", "model.ckpt-%d.data-00000-of-00001" % fx.global_step,
          "model.ckpt-%d.index" % fx.global_step]
  if fx.keep_meta:
    want.append("model.ckpt-%d.meta" % fx.global_step)
  assert files == sorted(want), files
  if fx.write_hparams:
    with open(os.path.join(out_dir, "hparams.json"), "w", newline="\n") as f:
      f.write(json.dumps(fx.hparams, indent=2) + "\n")

  state = tf1.train.get_checkpoint_state(out_dir)
  assert os.path.basename(state.model_checkpoint_path) == os.path.basename(prefix)
  res, configs, labels, restored = compute_reference(fx, data_dir, prefix)
  summary = checkpoint_summary(fx, prefix)
  names = [v[0] for v in summary["variables"]]
  assert sorted(created) == names, "checkpoint holds other variables than the graph"
  assert set(restored) <= set(names)

  ref = collections.OrderedDict()
  ref["fixture"] = fx.name
  ref["kind"] = fx.kind
  ref["provenance"] = collections.OrderedDict([
      ("graph_code", "google-research/electra@%s" % ELECTRA_COMMIT),
      ("tensorflow", tf.__version__),
      ("train_graph", "run_pretraining.PretrainingModel + optimization.create_optimizer"
       if fx.kind == "pretrain" else
       "run_finetuning.FinetuningModel + optimization.create_optimizer"),
  ])
  if not fx.write_hparams:
    ref["generation_hparams"] = fx.hparams
  ref["config"] = configs
  if labels:
    ref["labels"] = labels
  ref["checkpoint"] = summary
  if fx.keep_meta:
    meta = prefix + ".meta"
    ref["meta_graph"] = collections.OrderedDict([
        ("file", os.path.basename(meta)),
        ("bytes", os.path.getsize(meta)),
        ("head_shape_nodes", meta_head_nodes(meta)),
    ])
  ref["inputs"] = collections.OrderedDict([
      ("input_ids", spec.INPUT_IDS),
      ("token_type_ids", spec.TOKEN_TYPE_IDS),
      ("attention_mask", spec.ATTENTION_MASK),
  ])
  outputs = collections.OrderedDict()
  for key, val in res.items():
    outputs[key] = [f32(h) for h in val] if isinstance(val, list) else f32(val)
  ref["outputs"] = outputs
  write_json(os.path.join(out_dir, "reference.json"), ref)

  sizes = collections.OrderedDict(
      (f, os.path.getsize(os.path.join(out_dir, f))) for f in sorted(os.listdir(out_dir)))
  print("%-21s vars=%3d total=%7d  %s" % (
      fx.name, summary["num_variables"], sum(sizes.values()),
      "  ".join("%s=%d" % kv for kv in sizes.items())))
  if fx.keep_meta:
    for k, v in ref["meta_graph"]["head_shape_nodes"].items():
      print("    %s = %s" % (k, v))


def main():
  ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
  ap.add_argument("--electra-src", required=True,
                  help="checkout of google-research/electra at %s" % ELECTRA_COMMIT)
  ap.add_argument("--allow-other-source", action="store_true",
                  help="run even if --electra-src differs from the expected commit's files")
  ap.add_argument("names", nargs="*", help="fixtures to write (default: all)")
  args = ap.parse_args()
  check_electra_src(args.electra_src, args.allow_other_source)
  install_tf1_compat(args.electra_src)
  import_electra()
  tf1.disable_eager_execution()
  tf1.logging.set_verbosity(tf1.logging.ERROR)
  known = [fx.name for fx in FIXTURES]
  for n in args.names:
    if n not in known:
      sys.exit("unknown fixture %s (known: %s)" % (n, ", ".join(known)))
  os.makedirs(CKPT_ROOT, exist_ok=True)
  tmp_root = tempfile.mkdtemp(prefix="electra-variants-")
  try:
    for fx in FIXTURES:
      if not args.names or fx.name in args.names:
        build_fixture(fx, tmp_root)
  finally:
    shutil.rmtree(tmp_root, ignore_errors=True)


if __name__ == "__main__":
  main()
