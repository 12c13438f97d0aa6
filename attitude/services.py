"""The evidence API: how quizzes and scenarios feed the attitude profile.

An activity hands over, for one completed attempt, the list of scored answers as
(dimension key, earned, possible) plus how many critical choices were made. Nothing here
knows about quizzes or scenarios.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Evidence, EvidenceRecord, SelfRating, ServiceDimension

# Sent with `person_id` when the evidence of an existing record was rewritten (rescoring), so
# what depends on the profile (certification) can check again.
evidence_rewritten = Signal()
# Sent after commit, once, with `person_id` and `record`, when evidence was recorded outside
# a course step's lifecycle (record_evidence(announce=True)); evidence recorded by a quiz
# attempt or a role-play run is announced by that activity's `lifecycle.activity_finished`.
evidence_recorded = Signal()


@dataclass(frozen=True)
class Item:
    dimension: str  # a ServiceDimension slug
    earned: float
    possible: float = 1.0


def record_evidence(*, person, activity, source, reference, items, critical_count=0, announce=True):
    """Record the evidence of one completed attempt. Only the latest completed attempt of each
    activity counts, so recording one retires the person's previous record for that activity.
    Recording the same attempt twice changes nothing. Items on unknown dimensions, or with
    nothing possible, are ignored. A new record is announced (`evidence_recorded`, after
    commit) unless `announce` is False: the quiz and role-play services pass False, because
    the lifecycle event that finishes the attempt or run announces it (one announcement per
    submission)."""
    dimensions = dict(ServiceDimension.objects.values_list("slug", "pk"))
    try:
        with transaction.atomic():
            EvidenceRecord.objects.filter(person=person, activity=activity, is_latest=True).update(
                is_latest=False
            )
            record = EvidenceRecord.objects.create(
                person=person,
                activity=activity,
                source=source,
                reference=str(reference),
                critical_count=critical_count,
            )
            Evidence.objects.bulk_create(_rows(record, items, dimensions))
            if announce:
                transaction.on_commit(
                    lambda: evidence_recorded.send(
                        sender=EvidenceRecord, person_id=record.person_id, record=record
                    )
                )
    except IntegrityError:
        # The same attempt was recorded already (a double submission): keep the first.
        return EvidenceRecord.objects.get(source=source, reference=str(reference))
    return record


def _rows(record, items, dimensions):
    return [
        Evidence(
            record=record,
            dimension_id=dimensions[item.dimension],
            earned=max(0.0, min(item.earned, item.possible)),
            possible=item.possible,
        )
        for item in items
        if item.dimension in dimensions and item.possible > 0
    ]


def _content(rows):
    return sorted((row.dimension_id, round(row.earned, 9), round(row.possible, 9)) for row in rows)


@transaction.atomic
def rewrite_evidence(*, source, reference, items, dimensions=None):
    """Replace the evidence of an attempt already recorded by `items`, when the scoring rule
    changed what its answers say: the record (and whether it counts) stays, only its items
    change. Returns True if anything changed; rewriting the same items again changes nothing.
    An attempt never recorded is left alone (False)."""
    dimensions = dimensions or dict(ServiceDimension.objects.values_list("slug", "pk"))
    record = (
        EvidenceRecord.objects.select_for_update()
        .filter(source=source, reference=str(reference))
        .first()
    )
    if record is None:
        return False
    rows = _rows(record, items, dimensions)
    if _content(rows) == _content(record.items.all()):
        return False
    record.items.all().delete()
    Evidence.objects.bulk_create(rows)
    evidence_rewritten.send(sender=EvidenceRecord, person_id=record.person_id)
    return True


@transaction.atomic
def save_self_assessment(*, person, ratings):
    """Store an agent's self-ratings, {dimension slug: 1..5}; a new answer replaces the old
    one. Ratings outside 1..5 or on unknown dimensions are refused with ValueError."""
    dimensions = dict(ServiceDimension.objects.values_list("slug", "pk"))
    for slug, rating in ratings.items():
        if slug not in dimensions or rating not in SelfRating.SCALE:
            raise ValueError(f"{slug}: {rating}")
    for slug, rating in ratings.items():
        SelfRating.objects.update_or_create(
            person=person, dimension_id=dimensions[slug], defaults={"rating": rating}
        )


def mark_key_reviewed(*, item, reviewer, now=None):
    """Record that `reviewer` reviewed the key of a question or role-play (attitude.models.
    KeyReview) now, without a new revision of its content."""
    now = now or timezone.now()
    type(item).objects.filter(pk=item.pk).update(reviewed_by=reviewer, reviewed_on=now)
    item.reviewed_by, item.reviewed_on = reviewer, now
    return item
