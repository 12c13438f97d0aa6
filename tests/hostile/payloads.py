"""The hostile-input list (payloads.yaml), loaded once for every test that feeds it."""

from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).with_name("payloads.yaml")


@cache
def load():
    return yaml.safe_load(FILE.read_text(encoding="utf-8"))


def formula():
    return list(load()["formula"])


def text():
    """Every text payload: formula, XSS, NUL, Unicode, overlong and date-like strings."""
    data = load()
    overlong = [n * "A" for n in data["overlong_lengths"]] + [
        n * "é" for n in data["overlong_lengths"]
    ]
    return [
        *data["formula"],
        *data["xss"],
        *data["nul"],
        *data["unicode"],
        *data["dates"],
        *overlong,
    ]


def dates():
    return list(load()["dates"])
