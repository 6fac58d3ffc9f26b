import pytest

from moderation import create_app
from moderation.config import SETTINGS, from_environ, markdown_table


def test_defaults_and_parsing():
    values = from_environ({"CAPTCHA_TTL": "120", "CAPTCHA_MULTIPLY": "yes"})
    assert values["CAPTCHA_TTL"] == 120 and values["CAPTCHA_MULTIPLY"] is True
    assert values["REDIS_URL"] is None and values["MAX_BODY_BYTES"] == 65536


def test_a_bad_value_names_the_variable():
    with pytest.raises(ValueError, match="CAPTCHA_TTL"):
        from_environ({"CAPTCHA_TTL": "ten"})


def test_every_setting_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert markdown_table() in readme
    assert all(f"`{setting.name}`" in readme for setting in SETTINGS)


def test_the_app_refuses_to_start_without_redis(monkeypatch, tmp_path):
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_a_secret_key_is_generated_once_and_kept(redis_server, tmp_path):
    config = {"REDIS_URL": redis_server.url, "INSTANCE_PATH": str(tmp_path)}
    first = create_app(config).config["SECRET_KEY"]
    assert len(first) >= 64
    assert create_app(config).config["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
