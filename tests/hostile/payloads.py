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


def for_forms(vendor):
    """The payloads a crawl posts to every form field. On PostgreSQL, all of text(): it is
    the database that refuses NUL and over-long text, and the one production runs. On
    SQLite, which stores any text as it comes, the date-like and number-like strings (where
    its integers and dates part from PostgreSQL's) and one payload of each other category,
    which reach the same application code on both."""
    if vendor == "postgresql":
        return text()
    data = load()
    return [
        data["formula"][0],
        data["xss"][0],
        data["nul"][0],
        data["unicode"][0],
        max(data["overlong_lengths"]) * "A",
        *data["dates"],
    ]


def dates():
    return list(load()["dates"])
