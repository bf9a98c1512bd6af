"""Settings: defaults, the TOML file, environment overrides, masking and clear errors."""

from __future__ import annotations

import re

import pytest
import yaml

from watcher.errors import ConfigError
from watcher.settings import load_settings, masked_dump


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in list(__import__("os").environ):
        if key.startswith("WATCHER_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_file():
    settings = load_settings()
    assert settings.database.url == "sqlite:///data/watcher.db"
    assert str(settings.sources.file) == "config/feeds.yaml"
    assert settings.slack.token is None
    assert settings.email.security == "starttls"


def test_file_then_environment(monkeypatch, tmp_path):
    path = tmp_path / "custom.toml"
    path.write_text(
        '[slack]\nchannel = "#from-file"\n[email]\nto = ["a@example.com"]\n[http]\nport = 9000\n'
    )
    monkeypatch.setenv("WATCHER_CONFIG", str(path))
    monkeypatch.setenv("WATCHER_HTTP__PORT", "9100")
    settings = load_settings()
    assert settings.slack.channel == "#from-file"
    assert settings.email.to == ["a@example.com"]
    assert settings.http.port == 9100


def test_default_file_location_is_read(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "watcher.toml").write_text('[rules]\ndir = "my-rules"\n')
    assert str(load_settings().rules.dir) == "my-rules"


def test_secrets_are_masked(monkeypatch):
    monkeypatch.setenv("WATCHER_SLACK__TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("WATCHER_EMAIL__PASSWORD", "hunter2")
    settings = load_settings()
    dumped = str(masked_dump(settings))
    assert "xoxb-very-secret" not in dumped and "hunter2" not in dumped
    assert settings.slack.token.get_secret_value() == "xoxb-very-secret"


def test_bad_environment_value_names_key_and_variable(monkeypatch):
    monkeypatch.setenv("WATCHER_HTTP__PORT", "eighty")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "http.port" in str(caught.value)
    assert "WATCHER_HTTP__PORT" in str(caught.value)


def test_bad_file_value_names_key_and_file(monkeypatch, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[email]\nsecurity = "carrier-pigeon"\n')
    monkeypatch.setenv("WATCHER_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "email.security" in str(caught.value) and "bad.toml" in str(caught.value)


def test_unknown_key_is_an_error(monkeypatch, tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('[slack]\nchanel = "#x"\n')
    monkeypatch.setenv("WATCHER_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "slack.chanel" in str(caught.value)


def test_broken_toml_names_file(monkeypatch, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[slack\n")
    monkeypatch.setenv("WATCHER_CONFIG", str(path))
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_settings()


def test_the_endpoints_listen_on_this_machine_only_by_default():
    """The web view is read without credentials: nothing is open to the network unless
    asked for."""
    assert load_settings().http.host == "127.0.0.1"


def test_the_container_asks_for_every_interface(monkeypatch):
    """The image and the compose file set http.host to 0.0.0.0 (a published port must reach
    the daemon), and the image's HEALTHCHECK asks 127.0.0.1, which that includes."""
    from tests.conftest import PROJECT

    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert re.search(r"^ENV WATCHER_HTTP__HOST=0\.0\.0\.0$", dockerfile, re.MULTILINE)
    assert "http://127.0.0.1:{port}/healthz" in dockerfile
    compose = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())
    for name in ("watcher-1", "watcher-2"):
        environment = compose["services"][name]["environment"]
        monkeypatch.setenv("WATCHER_HTTP__HOST", environment["WATCHER_HTTP__HOST"])
        assert load_settings().http.host == "0.0.0.0"
