import io
import json

import numpy as np
import pytest

from classifiers import persistence
from classifiers.sample import Sample
from moderation.models import packaged_model_bytes

TEXTS = [Sample("Bonjour, article intéressant."), Sample("WIN $$$ at https://win.xyz !!!")]


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_round_trip_keeps_predictions_and_metadata(fitted, tmp_path):
    path = tmp_path / "m.npz"
    persistence.save(fitted, path, {"training": {"n": 494}, "note": "é"})
    loaded, metadata = persistence.load(path)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS), fitted.predict_proba(TEXTS))
    assert metadata["training"] == {"n": 494} and metadata["note"] == "é"
    assert metadata["versions"]["scikit-learn"]
    assert loaded.get_params() == fitted.get_params()
    loaded.partial_fit([TEXTS[1]], [1])  # a loaded model goes on learning


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_the_file_holds_only_numbers_and_text(fitted):
    data = persistence.to_bytes(fitted)
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        for name in arrays.files:
            assert arrays[name].dtype.kind in "iufU", name


def test_a_pickled_object_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, coef_index=np.array([object()], dtype=object), metadata=np.array("{}"))
    with pytest.raises(persistence.ModelFileError):
        persistence.load(path)


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04garbage"])
def test_garbage_is_refused(content):
    with pytest.raises(persistence.ModelFileError):
        persistence.load(content)


@pytest.mark.slow  # the `fitted` model: a full fit, 3 s
def test_a_foreign_format_is_refused(fitted):
    buffer = io.BytesIO()
    with np.load(io.BytesIO(persistence.to_bytes(fitted)), allow_pickle=False) as arrays:
        fields = {name: arrays[name] for name in arrays.files}
    fields["metadata"] = np.array(json.dumps({"format": "other/9"}))
    np.savez(buffer, **fields)
    with pytest.raises(persistence.ModelFileError, match="format"):
        persistence.load(buffer.getvalue())


def test_the_packaged_model_loads_and_scores_sensibly():
    model, metadata = persistence.load(packaged_model_bytes())
    assert metadata["training"]["n"] > 1000
    spam, ham = model.predict_proba([
        Sample("Casino en ligne : 200 tours gratuits sur https://bonus-casino.top",
               author="casino777", url="https://bonus-casino.top"),
        Sample("La ministre était déjà venue il y a six semaines, l’article le rappelle bien."),
    ])[:, 1]  # fmt: skip
    assert spam > 0.9 and ham < 0.1
