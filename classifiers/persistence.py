"""Model files: numbers and plain metadata in an ``.npz``, read without pickle.

A file holds the non-zero weights (indices + values), the intercept, the SGD
step counter, the estimator's parameters and a JSON metadata document
(library versions, training summary, evaluation figures).
"""

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import sklearn

from classifiers.model import SpamClassifier

# /3: links by kind, look-alike spellings folded, 20 form signals, a sigmoid
# calibration. Earlier files read their features differently and would score
# nonsense, so they are refused (see OutdatedModel).
FORMAT = "comment-spam-model/3"
_PARAMS = ("C", "max_iter", "char_ngram_range", "word_ngram_range", "n_char_features",
           "n_word_features", "balanced", "cv", "random_state")  # fmt: skip


class ModelFileError(ValueError):
    """Not a model file of ours, or a damaged one."""


class OutdatedModel(ModelFileError):
    """A model file of ours in an earlier format: it must be retrained."""


def to_bytes(model: SpamClassifier, metadata: dict[str, Any] | None = None) -> bytes:
    buffer = io.BytesIO()
    save(model, buffer, metadata)
    return buffer.getvalue()


def save(
    model: SpamClassifier,
    target: str | os.PathLike[str] | BinaryIO,
    metadata: dict[str, Any] | None = None,
) -> None:
    coef = model.sgd_.coef_[0]
    nonzero = np.flatnonzero(coef).astype(np.int32)
    document = {
        "format": FORMAT,
        "params": {name: getattr(model, name) for name in _PARAMS},
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
        **(metadata or {}),
    }
    arrays = {
        "coef_index": nonzero,
        "coef_value": coef[nonzero].astype(np.float64),
        "intercept": np.asarray(model.sgd_.intercept_, dtype=np.float64),
        "t": np.array([model.sgd_.t_], dtype=np.float64),
        "n_features": np.array([coef.shape[0]], dtype=np.int64),
        "calibration": np.asarray(model.calibration_, dtype=np.float64),
        "metadata": np.array(json.dumps(document, sort_keys=True)),
    }
    if isinstance(target, str | os.PathLike):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            np.savez_compressed(handle, **arrays)
    else:
        np.savez_compressed(target, **arrays)


def _check_format(metadata: np.ndarray) -> dict[str, Any]:
    try:
        document = json.loads(str(metadata))
    except ValueError as error:
        raise ModelFileError("metadata is not JSON") from error
    if not isinstance(document, dict):
        raise ModelFileError("metadata is not a JSON object")
    found = str(document.get("format"))
    if found != FORMAT:
        if found.startswith("comment-spam-model/"):
            raise OutdatedModel(f"model format {found} is outdated (now {FORMAT}): retrain it")
        raise ModelFileError(f"unknown model format {found!r}")
    return document


def load(source: str | os.PathLike[str] | BinaryIO | bytes) -> tuple[SpamClassifier, dict]:
    """The model and its metadata. Refuses pickled content and foreign files."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        with np.load(source, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"not a readable model file: {error}") from error
    if "metadata" not in arrays:
        raise ModelFileError("missing arrays: ['metadata']")
    document = _check_format(arrays["metadata"])  # an old file is told apart first
    required = {"coef_index", "coef_value", "intercept", "t", "n_features", "calibration"}
    if not required <= arrays.keys():
        raise ModelFileError(f"missing arrays: {sorted(required - arrays.keys())}")
    params = dict(document["params"])
    for name in ("char_ngram_range", "word_ngram_range"):
        params[name] = tuple(params[name])
    model = SpamClassifier(**params)
    n_features = int(arrays["n_features"][0])
    if n_features != model.settings_.n_features:
        raise ModelFileError("weights do not match the feature settings")
    coef = np.zeros((1, n_features))
    coef[0, arrays["coef_index"]] = arrays["coef_value"]
    sgd = model._new_sgd(n_samples=int(document.get("training", {}).get("n", 1)))
    sgd.coef_ = coef
    sgd.intercept_ = arrays["intercept"].astype(np.float64)
    sgd.classes_ = np.array([0, 1])
    sgd.t_ = float(arrays["t"][0])
    sgd.n_features_in_ = n_features
    model.sgd_ = sgd
    slope, intercept = (float(value) for value in arrays["calibration"][:2])
    model.calibration_ = (slope, intercept)
    model._featuriser()
    model._learned()
    return model, document
