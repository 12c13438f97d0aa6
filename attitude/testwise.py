"""What a test-wise learner does without reading the situation, for the simulation that
keeps our quizzes and role-plays from rewarding it (quizzes/testwise.py, scenarios/testwise.py):
pick the longest option, pick the one with most concrete details (numbers and names), rate
responses by their rank on either, or guess at random.
"""

import re

HEURISTICS = ("longest", "details", "random")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_STOPS = frozenset('.!?¡¿«:"')


def details(text):
    """Numbers plus capitalised words that do not start a sentence: names, places, brands."""
    count = len(_NUMBER.findall(text))
    after_stop = True
    for match in re.finditer(r"[^\W\d_]+|[.!?¡¿«»:\"]", text):
        token = match.group()
        if not _WORD.fullmatch(token):
            after_stop = token in _STOPS
            continue
        if token[0].isupper() and not after_stop:
            count += 1
        after_stop = False
    return count


def cue(heuristic, text):
    """How much an option attracts this heuristic."""
    return len(text.strip()) if heuristic == "longest" else details(text)


def pick(heuristic, texts, rng):
    """The index a heuristic picks among texts shown in this order (the first on a tie)."""
    if heuristic == "random":
        return rng.randrange(len(texts))
    cues = [cue(heuristic, text) for text in texts]
    return cues.index(max(cues))


def rate(heuristic, texts, rng, scale=(1, 4)):
    """Ratings a heuristic gives responses shown in this order: by their rank on its cue,
    spread over the scale (the most attractive gets the top rating), or at random."""
    low, high = scale
    if heuristic == "random":
        return [rng.randint(low, high) for _ in texts]
    cues = [cue(heuristic, text) for text in texts]
    order = sorted(range(len(texts)), key=lambda n: cues[n])
    last = max(1, len(texts) - 1)
    ratings = [low] * len(texts)
    for rank, n in enumerate(order):
        ratings[n] = low + round((high - low) * rank / last)
    return ratings
