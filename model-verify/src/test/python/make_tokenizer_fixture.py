"""Writes a small BERT-style vocab.txt and the ids HF tokenizers (Rust) gives for a varied corpus.

Output: src/test/resources/tokenizer/vocab.txt and expected.json ([{"text", "pair"?, "tokens", "ids",
"type_ids"}]). The reference is tokenizers.BertWordPieceTokenizer (lowercase, strip accents, CJK spacing,
clean text; [PAD]/[UNK]/[CLS]/[SEP]/[MASK] as special added tokens), cross-checked against transformers'
BertTokenizer built from the same vocab.txt.

Run from anywhere: "$(testdata/bench/bench-python.sh)" model-verify/src/test/python/make_tokenizer_fixture.py
"""
import json
import string
from pathlib import Path

from tokenizers import BertWordPieceTokenizer
from transformers import BertTokenizer

OUT = Path(__file__).resolve().parents[1] / "resources" / "tokenizer"

WORDS = ["the", "hello", "world", "brown", "fox", "jump", "over", "lazy", "dog", "un", "##aff", "##able", "play",
         "pla", "##lay", "##ing", "##ed", "##s", "token", "##izer", "what", "is", "this", "it", "test", "cafe",
         "naive", "resume", "price", "off", "deal", "user", "don", "can", "istanbul", "stra", "##ße", "angstrom",
         "æ", "##r", "##ø", "σ", "ς", "##ι", "##σ", "##υ", "##φ", "##ο", "東", "京", "日", "本", "首", "都", "は",
         "の", "で", "##す", "hola", "que", "mask", "here", "and", "tabs", "new", "##line", "control", "chars",
         "space", "non", "breaking", "ideographic", "emoji", "a", "b", "c", "x", "fine", "##fine"]
# letters without q, so that any word with a q has an unmatched position and becomes [UNK]
LETTERS = [c for c in string.ascii_lowercase if c != "q"]
PUNCTUATION = list(string.punctuation) + ["“", "”", "—", "…", "¡", "¿", "’"]

CORPUS = [
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "Héllo Wörld café naïve résumé",
    "ÅNGSTRÖM Ærø",
    "東京は日本の首都です",
    "unaffable playing played tokenizers",
    "a" * 100,
    "a" * 101,
    "b" * 99 + "é",
    "control\u0000chars\u0007here\u200b and\ttabs\nnewlines\r\n",
    "non\u00a0breaking\u3000ideographic\u2009space\u0085x\u000bx\u000cx",
    "the[MASK]is [MASK]. [mask] [CLS][SEP] [MASK][MASK]x[UNK]",
    "[PAD] padded [ MASK ]",
    "price: $5.00 (50% off) #deal @user a+b=c ~tilde^ `back` |pipe| \\slash/ <tag> {curly} [square]",
    "“smart quotes” — em dash… ¡hola! ¿qué? it’s",
    "emoji 😀 here 👍🏽",
    "İstanbul ΣΊΣΥΦΟΣ Straße",
    "",
    "   \t\n ",
    "ﬁne fine x\u0301x",
    "12,345.67 don't can't",
    "a\U0002B820b c\U0002B920d",
    "unassigned\u0378here private\ue000use soft\u00adhyphen zero\u200dwidth \ufffdreplacement",
    "x_y-z",
]
PAIRS = [
    ("What is this?", "It is a test."),
    ("the [MASK] dog", "東京"),
    ("", "only second"),
]


def write_vocab():
    specials = ["[PAD]", "[unused0]", "[unused1]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    digits = list(string.digits)
    tokens = specials + PUNCTUATION + digits + ["##" + d for d in digits] + LETTERS + ["##" + c for c in LETTERS]
    tokens += [w for w in WORDS if w not in tokens]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "vocab.txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8")


def main():
    write_vocab()
    vocab = str(OUT / "vocab.txt")
    fast = BertWordPieceTokenizer(vocab, lowercase=True)
    slow_api = BertTokenizer(vocab=vocab, do_lower_case=True)  # transformers v5: backed by tokenizers too
    cases = [(text, None) for text in CORPUS] + PAIRS
    expected = []
    for text, pair in cases:
        encoding = fast.encode(text) if pair is None else fast.encode(text, pair)
        check = slow_api(text, pair)
        assert check["input_ids"] == encoding.ids, (text, check["input_ids"], encoding.ids)
        case = {"text": text}
        if pair is not None:
            case["pair"] = pair
        case.update(tokens=encoding.tokens, ids=encoding.ids, type_ids=encoding.type_ids)
        expected.append(case)
    (OUT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(expected)} cases, vocabulary of {len(open(vocab, encoding='utf-8').read().splitlines())} tokens")


if __name__ == "__main__":
    main()
