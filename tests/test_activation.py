"""Socket activation (watcher/activation.py): a listening socket handed over at descriptor 3
is taken by the process that LISTEN_PID names, and by no other."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from tests.support.daemon import start_activated
from watcher.activation import inherited_socket
from watcher.errors import ConfigError

# Takes the socket, reports what it found, then answers one connection on it.
CHILD = """
import os
from watcher.activation import inherited_socket
listener = inherited_socket()
print(listener.getsockname()[1], "LISTEN_PID" in os.environ, listener.get_inheritable(),
      flush=True)
connection, _ = listener.accept()
connection.sendall(b"served by the child")
connection.close()
"""


def test_nothing_passed_is_none():
    assert inherited_socket({}, pid=42) is None


def test_a_socket_passed_to_another_process_is_left_alone():
    environ = {"LISTEN_PID": "41", "LISTEN_FDS": "1"}
    assert inherited_socket(environ, pid=42) is None
    assert environ == {"LISTEN_PID": "41", "LISTEN_FDS": "1"}


def test_more_than_one_socket_is_a_config_error():
    environ = {"LISTEN_PID": "42", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "a:b"}
    with pytest.raises(ConfigError, match="LISTEN_FDS is '2'"):
        inherited_socket(environ, pid=42)
    assert environ == {}  # taken out all the same: no child may claim them


def test_the_named_process_serves_on_the_socket_it_was_given(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
    child, port = start_activated([sys.executable, "-c", CHILD], cwd=tmp_path, env=env)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.settimeout(30)
            assert client.recv(100) == b"served by the child"
        stdout, stderr = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, stderr
    # its own port, the variables gone from its environment, not passed on to its children
    assert stdout.split() == [str(port), "False", "False"]
