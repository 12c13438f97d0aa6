"""How one decision becomes attitude evidence, for quizzes and scenarios alike.

Each option (or choice) at a decision may weight some dimensions, −2…+2; unset means not
measured. The chosen weight w on a dimension is normalised by the range offered at that same
decision, s = (w − min) / (max − min), so every decision counts equally whatever path or
question led there.
"""


def weight_ranges(offered):
    """Per dimension, (lowest, highest) weight among the offered options' weight dicts;
    dimensions whose weights do not vary at this decision are left out (nothing to tell)."""
    ranges = {}
    for weights in offered:
        for slug, weight in (weights or {}).items():
            low, high = ranges.get(slug, (weight, weight))
            ranges[slug] = (min(low, weight), max(high, weight))
    return {slug: span for slug, span in sorted(ranges.items()) if span[1] > span[0]}


def normalised(offered, chosen):
    """{dimension: s} for the chosen options (their mean weight when several are chosen);
    a dimension none of the chosen options weights is not measured."""
    scores = {}
    for slug, (low, high) in weight_ranges(offered).items():
        weights = [w[slug] for w in chosen if slug in (w or {})]
        if weights:
            scores[slug] = (sum(weights) / len(weights) - low) / (high - low)
    return scores
