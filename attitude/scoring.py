"""How one decision becomes attitude evidence, for quizzes and scenarios alike.

A decision is a question, or a customer line of a role-play, with the options (or choices) it
offers. Each option may weight some dimensions, −2…+2.

- A dimension is *measured* at a decision when at least one offered option carries a weight
  on it. There, an offered option without a weight on it counts as neutral, 0 (so a single
  −2 beside unweighted options is evidence against whoever picks it).
- The chosen weight w on a measured dimension is normalised by the range offered at that same
  decision, s = (w − min) / (max − min), the zeros of unweighted options included, so every
  decision counts equally whatever path or question led there.
- A measured dimension on which every offered option is equal (max == min) tells nothing
  about the agent: it gives no evidence.
"""

NEUTRAL = 0


def measured(offered):
    """The dimensions some offered option weights, sorted."""
    return sorted({slug for weights in offered for slug in (weights or {})})


def weight_of(weights, slug):
    """The weight an option carries on a measured dimension: its own, or neutral 0."""
    return (weights or {}).get(slug, NEUTRAL)


def weight_ranges(offered):
    """Per measured dimension, (lowest, highest) weight among the offered options' weight
    dicts, an unweighted option counting 0; dimensions on which every option is equal are left
    out (they give no evidence)."""
    ranges = {}
    for slug in measured(offered):
        values = [weight_of(weights, slug) for weights in offered]
        if max(values) > min(values):
            ranges[slug] = (min(values), max(values))
    return ranges


def normalised(offered, chosen):
    """{dimension: s} for the chosen options (their mean weight when several are chosen, an
    unweighted one counting 0), on every dimension that gives evidence at this decision; no
    choice, no evidence."""
    if not chosen:
        return {}
    scores = {}
    for slug, (low, high) in weight_ranges(offered).items():
        mean = sum(weight_of(weights, slug) for weights in chosen) / len(chosen)
        scores[slug] = (mean - low) / (high - low)
    return scores
