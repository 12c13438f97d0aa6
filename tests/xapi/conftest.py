"""A real LRS for the xAPI tests: Ralph (ralph-malph, in its own virtualenv .venv-ralph, see
`make ralph`), started once per test session (once per xdist worker) on a free loopback port,
with HTTP Basic credentials written to its own auth file, and its file-system backend in a
temporary folder. Each test starts with an empty LRS (`lrs` empties the statements file) and
the site configured to send to it."""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from pathlib import Path

from django.conf import settings

import pytest

from tests.quizzes.conftest import category, question_factory, questions, quiz, quiz_factory  # noqa: F401
from tests.scenarios.conftest import personality, scenario, scenario_factory  # noqa: F401

HERE = Path(__file__).resolve().parent
RALPH_VENV = Path(os.environ.get("RALPH_VENV", Path(settings.BASE_DIR) / ".venv-ralph"))
KEY = "actitud"
SECRET = "secreto-de-prueba"  # a throwaway credential of the test LRS


class Ralph:
    """Ralph's LRS in a child process, listening on a socket this process opens and hands it:
    stopping it closes the port (connections are refused), starting it again listens on the
    same address."""

    def __init__(self, root):
        self.root = root
        self.data = root / "data"
        self.data.mkdir()
        self.socket = None
        self.port = 0
        self.listen()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.process = None
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(root / "app"),
            "RALPH_AUTH_FILE": str(root / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.data),
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    @property
    def python(self):
        return RALPH_VENV / "bin" / "python"

    def create_credentials(self):
        subprocess.run(
            [RALPH_VENV / "bin" / "ralph", "auth", "--username", KEY, "--password", SECRET,
             "--scope", "all", "--agent-ifi-mbox", "mailto:lrs@actitud.es", "--write-to-disk"],
            env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def listen(self):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", self.port))  # 0 the first time: a free port
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def start(self):
        if self.socket is None:
            self.listen()
        fd = self.socket.fileno()
        self.process = subprocess.Popen(
            [self.python, HERE / "ralph_lrs.py", "serve", str(fd)],
            pass_fds=[fd],
            env=self.env,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped at start (exit {self.process.returncode})")
            try:
                self.get("statements", limit=1)
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError("Ralph did not answer within 30 seconds")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def clear(self):
        for path in self.data.iterdir():
            path.unlink()

    def get(self, path, **params):
        url = self.endpoint + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return self.get_url(url)

    def get_url(self, url):
        request = urllib.request.Request(
            url,
            headers={
                "X-Experience-API-Version": "1.0.3",
                "Authorization": "Basic " + b64encode(f"{KEY}:{SECRET}".encode()).decode(),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def statements(self, *, verb=None, **params):
        """Every statement the LRS holds that matches the xAPI query `params` (all pages).
        Ralph 5.1.0's file-system backend compares the `verb` parameter (parsed as its IRI
        model) with the statements' verb ids (strings) and so never matches: the verb is
        filtered here, on what the LRS returned for the other parameters."""
        if "agent" in params and not isinstance(params["agent"], str):
            params["agent"] = json.dumps(params["agent"])
        page = self.get("statements", **params)
        found = page["statements"]
        while page.get("more"):
            page = self.get_url(urllib.parse.urljoin(self.endpoint, page["more"]))
            found += page["statements"]
        if verb is not None:
            found = [statement for statement in found if statement["verb"]["id"] == verb]
        return found

    def validate(self, statements):
        """Ralph's strict xAPI models' verdict on the statements: a list of error texts."""
        lines = "\n".join(json.dumps(statement) for statement in statements)
        result = subprocess.run(
            [self.python, HERE / "ralph_lrs.py", "validate"],
            input=lines, env=self.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    if not (RALPH_VENV / "bin" / "ralph").exists():
        pytest.fail(f"Ralph is not installed in {RALPH_VENV}: run `make ralph`", pytrace=False)
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    server.create_credentials()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def lrs(ralph, settings):
    """Ralph, emptied, running, and configured as the site's LRS."""
    if ralph.process is None:
        ralph.start()
    ralph.clear()
    settings.XAPI_LRS_ENDPOINT = ralph.endpoint
    settings.XAPI_LRS_KEY = KEY
    settings.XAPI_LRS_SECRET = SECRET
    settings.XAPI_LRS_TIMEOUT = 2
    yield ralph
    if ralph.process is None:  # a test that stopped it leaves it running for the next
        ralph.start()


@pytest.fixture
def silent_endpoint():
    """The endpoint of an LRS that accepts connections and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        yield f"http://127.0.0.1:{silent.getsockname()[1]}/xAPI/"


def free_port_endpoint():
    """The endpoint of an LRS that is not there: a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/xAPI/"
