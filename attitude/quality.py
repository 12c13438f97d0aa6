"""Item quality: the measurable rules of ITEM-WRITING.md, shared by quizzes and role-plays.

Plain data and no Django, so the YAML content checkers, the editor pages and the suite share
one definition.
"""

# The keys of attitude.models.CriticalReason (a test keeps the two equal).
CRITICAL_REASONS = ("lie", "insult", "discrimination", "data_leak", "unsafe_advice", "no_consent")


def critical_reason_problems(critical, reason):
    """A stated reason is one of CRITICAL_REASONS and only on a critical option or choice.
    (That every critical one states its reason is reported by `decision_problems`, so today's
    content can still be loaded while it is being rewritten.)"""
    if not reason:
        return []
    if reason not in CRITICAL_REASONS:
        return [f"critical_reason must be one of {list(CRITICAL_REASONS)}"]
    if not critical:
        return ["critical_reason is only for a critical option"]
    return []
