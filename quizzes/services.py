"""Writes for quizzes: starting, answering, checking and submitting attempts.

The attempt lives on the server: every answer is saved as the agent goes, the time limit is
enforced here, and submitting is idempotent (a double click, two tabs or a retry produce one
result).
"""

import json
import random
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from attitude.models import ServiceDimension
from attitude.services import Item, record_evidence, rewrite_evidence
from courses import lifecycle

from . import grading
from .models import Attempt, AttemptAnswer, Question, QuizPage


class QuizError(Exception):
    """Something the agent asked that the quiz does not allow; the message says what."""


class NoAttemptsLeft(QuizError):
    pass


class AttemptClosed(QuizError):
    pass


def _snapshot_question(question, *, shuffle_options, rng):
    options = [
        {
            "id": option.pk,
            "text": option.text,
            "correct": option.is_correct,
            "credit": None if option.credit is None else float(option.credit),
            "expert_rating": option.expert_rating,
            "critical": option.is_critical,
            "critical_reason": option.critical_reason,
            "feedback": option.feedback,
            "weights": dict(option.weights or {}),
        }
        for option in question.options.all()
    ]
    if shuffle_options and question.kind != Question.Kind.TRUE_FALSE:
        rng.shuffle(options)
    return {
        "id": question.pk,
        "key": question.key,
        "kind": question.kind,
        "situation": question.situation,
        "text": question.text,
        "explanation": question.explanation,
        "options": options,
    }


def build_snapshot(quiz, rng=None, seen=()):
    """The questions of a new attempt: the fixed ones, plus `draw_count` drawn at random from
    the quiz's category among the others, in order or shuffled as the quiz says. `seen` lists
    the questions of the agent's earlier attempts: the draw takes those seen least often
    first, so a retry gets other questions whenever the category has more than it draws."""
    rng = rng or random.SystemRandom()
    fixed = [item.question_id for item in quiz.fixed_questions.all()]
    drawn = []
    if quiz.draw_count and quiz.draw_category_id:
        pool = list(
            Question.objects.filter(category=quiz.draw_category_id)
            .exclude(pk__in=fixed)
            .values_list("pk", flat=True)
        )
        times_seen = Counter(seen)
        rng.shuffle(pool)
        pool.sort(key=lambda pk: times_seen[pk])  # stable: random among equally seen
        drawn = pool[: quiz.draw_count]
    ids = fixed + drawn
    questions = Question.objects.filter(pk__in=ids).prefetch_related("options")
    by_id = {question.pk: question for question in questions}
    ordered = [by_id[pk] for pk in ids if pk in by_id]
    if quiz.shuffle_questions:
        rng.shuffle(ordered)
    return {
        "questions": [
            _snapshot_question(q, shuffle_options=quiz.shuffle_options, rng=rng) for q in ordered
        ]
    }


def questions_seen(quiz, person):
    """The ids of the questions each of the person's attempts at the quiz showed, repeated
    once per attempt."""
    snapshots = Attempt.objects.filter(quiz=quiz, person=person).values_list("snapshot", flat=True)
    return [question["id"] for snapshot in snapshots for question in snapshot.get("questions", [])]


def attempts_left(quiz, person):
    return quiz.attempts_left(person)


def start_attempt(*, person, quiz, now=None):
    """Resume the agent's open attempt, or start a new one if attempts are left. Starting
    twice at once yields one attempt."""
    now = now or timezone.now()
    close_if_expired(person=person, quiz=quiz, now=now)
    current = Attempt.objects.open().filter(person=person, quiz=quiz).first()
    if current:
        return current
    if quiz.is_closed(now):
        raise AttemptClosed
    if attempts_left(quiz, person) == 0:
        raise NoAttemptsLeft
    snapshot = build_snapshot(quiz, seen=questions_seen(quiz, person) if quiz.draw_count else ())
    last = Attempt.objects.filter(person=person, quiz=quiz).aggregate(n=Max("number"))["n"] or 0
    limit = quiz.time_limit
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                person=person,
                quiz=quiz,
                number=last + 1,
                started_at=now,
                deadline=now + limit + Attempt.GRACE if limit else None,
                snapshot=snapshot,
            )
            lifecycle.start(
                person=person,
                step=quiz,
                key=f"{_name(attempt)}:started",
                registration=_registration(attempt),
                at=now,
                detail={"attempt_id": attempt.pk, "number": attempt.number},
            )
            return attempt
    except IntegrityError:
        return Attempt.objects.open().get(person=person, quiz=quiz)


def _name(attempt):
    """The prefix of the attempt's lifecycle event keys (courses.lifecycle)."""
    return f"quiz-attempt-{attempt.pk}"


def _registration(attempt):
    return lifecycle.registration_for("quiz-attempt", attempt.pk)


INTERACTIONS = {"multiple": "multiple-choice", "rating": "likert"}  # the others: "choice"


def answer_detail(attempt, question, response, result):
    """What the lifecycle's "answered" event says of one graded answer (courses.lifecycle.
    ActivityEvent): the question as the agent saw it, the options offered, the response (the
    chosen option ids; {option id: rating} for a rating question), the score, whether it
    succeeded (a knowledge question answered fully right; None for situational and rating
    questions, which have no single right answer; False after a critical choice), and the
    evidence it adds ({dimension slug: earned / possible})."""
    kind = question["kind"]
    knowledge = kind in {"single", "multiple", "true_false"}
    if result.critical:
        success = False
    else:
        success = result.score >= 1.0 if knowledge else None
    if kind == "rating":
        response = {
            str(oid): rating for oid, rating in grading.ratings_of(question, response).items()
        }
    else:
        response = sorted(grading.chosen_ids(question, response))
    return {
        "attempt_id": attempt.pk,
        "question_id": question["id"],
        "question": question["text"],
        "interaction": INTERACTIONS.get(kind, "choice"),
        "choices": [{"id": o["id"], "text": o["text"]} for o in question["options"]],
        "response": response,
        "score": result.score,
        "success": success,
        "critical": bool(result.critical),
        "evidence": {
            slug: earned / possible for slug, earned, possible in result.evidence if possible
        },
    }


def _question(attempt, question_id):
    for question in attempt.questions:
        if question["id"] == question_id:
            return question
    raise QuizError("not in this attempt")


def clean_response(question, raw):
    """Keep only what the question offers: chosen option ids, or ratings 1..4 by option."""
    if question["kind"] == "rating":
        return {str(oid): rating for oid, rating in grading.ratings_of(question, raw).items()}
    chosen = grading.chosen_ids(question, raw)
    if question["kind"] != "multiple" and len(chosen) > 1:
        raise QuizError("one option only")
    return sorted(chosen)


def _locked(attempt):
    """The attempt as it is now, its row locked until the transaction ends: saving, checking
    and submitting all take this lock, so an answer is either graded or refused, never
    written after grading (a no-op on SQLite, which lets one writer in at a time)."""
    return (
        Attempt.objects.select_for_update()
        .only("pk", "submitted_at", "deadline")
        .get(pk=attempt.pk)
    )


def _store_if_open(*, attempt_id, question_id, response, now, person_id=None):
    """Write one answer in one statement, only while the attempt is open: not submitted, its
    deadline not reached (and, with `person_id`, the person's own), and the answer not
    already checked. The statement takes the attempt's row lock first, as `_locked` does, so
    a save racing a submit is either in before grading or refused; on PostgreSQL a save that
    waited for a submit sees the submitted row and writes nothing. Returns the answer's id,
    or None when nothing was written (the caller finds out why on the locked path)."""
    attempts, answers = Attempt._meta.db_table, AttemptAnswer._meta.db_table
    postgresql = connection.vendor == "postgresql"
    owner = " AND person_id = %s" if person_id is not None else ""
    # Only table names (from the models) are interpolated; every value is a parameter.
    sql = (
        f"WITH open_attempt AS (SELECT id FROM {attempts}"  # noqa: S608
        " WHERE id = %s AND submitted_at IS NULL AND (deadline IS NULL OR deadline > %s)"
        f"{owner}{' FOR UPDATE' if postgresql else ''})"
        f" INSERT INTO {answers} (attempt_id, question_id, response, saved_at, checked, critical)"
        f" SELECT id, %s, {'%s::jsonb' if postgresql else '%s'}, %s, false, false"
        " FROM open_attempt WHERE true"
        " ON CONFLICT (attempt_id, question_id) DO UPDATE"
        " SET response = excluded.response, saved_at = excluded.saved_at"
        f" WHERE {answers}.checked = false RETURNING id"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [attempt_id, stamp, *([person_id] if person_id is not None else [])]
    params += [question_id, json.dumps(response), stamp]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def save_answer(*, attempt, question_id, response, now=None):
    """Save (or replace) the answer to one question of an open attempt. Once time is up the
    attempt is submitted with what was saved and the answer is refused; an answer arriving
    after the attempt was submitted is refused (AttemptClosed), never stored ungraded; a
    question already checked (immediate feedback) cannot be changed."""
    now = now or timezone.now()
    cleaned = clean_response(_question(attempt, question_id), response)
    return _save_cleaned(attempt=attempt, question_id=question_id, cleaned=cleaned, now=now)


def _save_cleaned(*, attempt, question_id, cleaned, now):
    pk = _store_if_open(attempt_id=attempt.pk, question_id=question_id, response=cleaned, now=now)
    if pk is not None:
        return AttemptAnswer(
            pk=pk, attempt_id=attempt.pk, question_id=question_id, response=cleaned, saved_at=now
        )
    return _save_or_refuse_locked(
        attempt=attempt, question_id=question_id, cleaned=cleaned, now=now
    )


def _save_or_refuse_locked(*, attempt, question_id, cleaned, now):
    """After the one-statement write wrote nothing: submitted, out of time or checked. Find
    out which under the lock (saving after all if the attempt is still open)."""
    with transaction.atomic():
        current = _locked(attempt)
        if current.is_submitted:
            raise AttemptClosed
        if not current.has_expired(now):
            answer, created = AttemptAnswer.objects.get_or_create(
                attempt=attempt, question_id=question_id, defaults={"response": cleaned}
            )
            if not created:
                if answer.checked:
                    raise QuizError("already checked")
                answer.response = cleaned
                answer.save(update_fields=["response", "saved_at"])
            return answer
    submit_attempt(attempt=attempt, auto=True, now=now)
    raise AttemptClosed


class NoSuchQuestion(QuizError):
    """The attempt has no question at that position."""


def autosave_answer(*, person, attempt_id, position, options=(), ratings=None, now=None):
    """The autosave's path: save the answer to the question at `position` (from 1) of the
    person's attempt, with save_answer's rules, reading only that question of the snapshot
    and writing in one statement. The answer comes as posted: `options` (ids) for a choice
    question, `ratings` (by option id) for a rating one. Raises Attempt.DoesNotExist for an
    attempt that is not the person's, NoSuchQuestion for a position it does not have."""
    now = now or timezone.now()
    if position < 1:
        raise NoSuchQuestion
    shown = KeyTransform(position - 1, KeyTransform("questions", "snapshot"))
    question = (
        Attempt.objects.filter(pk=attempt_id, person_id=person.pk)
        .values_list(shown, flat=True)
        .get()  # raises Attempt.DoesNotExist; by pk, so no ordering and no joins for one
    )
    if not question:
        raise NoSuchQuestion
    raw = (ratings or {}) if question["kind"] == "rating" else list(options)
    cleaned = clean_response(question, raw)
    pk = _store_if_open(
        attempt_id=attempt_id,
        question_id=question["id"],
        response=cleaned,
        now=now,
        person_id=person.pk,
    )
    if pk is not None:
        return now
    return _save_or_refuse_locked(
        attempt=Attempt.objects.get(pk=attempt_id),
        question_id=question["id"],
        cleaned=cleaned,
        now=now,
    ).saved_at


def check_answer(*, attempt, question_id, now=None):
    """Immediate feedback: score one saved answer of an open attempt and lock it."""
    with transaction.atomic():
        if _locked(attempt).is_submitted:
            raise AttemptClosed
        answer = AttemptAnswer.objects.filter(attempt=attempt, question_id=question_id).first()
        if answer is None:
            raise QuizError("nothing to check")
        result = grading.grade(_question(attempt, question_id), answer.response)
        AttemptAnswer.objects.filter(pk=answer.pk).update(
            checked=True, score=result.score, critical=result.critical
        )
    answer.refresh_from_db()
    return answer


def submit_attempt(*, attempt, auto=False, now=None, refresh_statistics=True):
    """Grade the attempt once. The quiz score is the mean of its questions' scores; it passes
    at or above the pass mark (QuizPage.passes). Every graded answer is reported to the
    course step's lifecycle (courses.lifecycle.progress), then the attempt's end
    (lifecycle.finish, passed or failed: passing completes the course step); every scored
    answer adds evidence to the agent's attitude profile. Only the first of concurrent
    submissions does anything: the others get the same, already graded attempt. Claiming the
    attempt takes its row lock, so answers being saved either finish before grading or are
    refused. A submission once the time limit has passed (the timer's own, in the grace
    period) is recorded as time running out, like one the server makes."""
    now = now or timezone.now()
    auto = auto or attempt.time_is_up(now)
    submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    with transaction.atomic():
        claimed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=submitted_at, auto_submitted=auto
        )
        if not claimed:
            attempt.refresh_from_db()
            return attempt
        quiz = QuizPage.objects.get(pk=attempt.quiz_id)
        person = attempt.person
        name, registration = _name(attempt), _registration(attempt)
        answers = {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}
        scores, items, critical = [], [], 0
        for question in attempt.questions:
            answer = answers.get(question["id"])
            response = answer.response if answer else []
            result = grading.grade(question, response)
            scores.append(result.score)
            critical += result.critical
            items.extend(Item(slug, earned, possible) for slug, earned, possible in result.evidence)
            if answer is None:
                answer = AttemptAnswer(attempt=attempt, question_id=question["id"], response=[])
            answer.score, answer.critical = result.score, result.critical
            answer.save()
            lifecycle.progress(
                person=person,
                step=quiz,
                key=f"{name}:answered:{question['id']}",
                registration=registration,
                at=submitted_at,
                detail=answer_detail(attempt, question, response, result),
            )
        score = sum(scores) / len(scores) if scores else 0.0
        passed = quiz.passes(score)
        Attempt.objects.filter(pk=attempt.pk).update(
            score=score, passed=passed, critical_count=critical
        )
        record_evidence(
            person=person,
            activity=quiz,
            source="quiz",
            reference=f"attempt-{attempt.pk}",
            items=items,
            critical_count=critical,
            announce=False,  # announced by the attempt's finished event
        )
        lifecycle.finish(
            person=person,
            step=quiz,
            key=f"{name}:finished",
            registration=registration,
            at=submitted_at,
            outcome=lifecycle.Outcome(
                status=lifecycle.Status.PASSED if passed else lifecycle.Status.FAILED,
                score=score,
                duration=submitted_at - attempt.started_at,
            ),
            detail={
                "attempt_id": attempt.pk,
                "number": attempt.number,
                "critical_count": critical,
                "auto_submitted": auto,
            },
        )
        if refresh_statistics:
            from .tasks import request_statistics_refresh

            # Last, in this transaction: it locks the quiz's statistics row until commit.
            request_statistics_refresh(quiz_id=quiz.pk)
    attempt.refresh_from_db()
    return attempt


def close_if_expired(*, person, quiz, now=None):
    """Submit the agent's open attempt if its time ran out, with what was saved."""
    for attempt in Attempt.objects.expired(now).filter(person=person, quiz=quiz):
        submit_attempt(attempt=attempt, auto=True, now=now)


def close_expired_attempts(now=None):
    """Submit every attempt whose time ran out (run by the scheduler); returns how many."""
    expired = list(Attempt.objects.expired(now))
    for attempt in expired:
        submit_attempt(attempt=attempt, auto=True, now=now)
    return len(expired)


def recompute_evidence():
    """Re-derive the attitude evidence of every submitted attempt from its snapshot and saved
    answers under today's scoring rule (attitude.scoring), so profiles and certificates follow
    a change of the rule; scores and results are not touched (they do not depend on weights).
    Idempotent: returns (attempts looked at, records changed)."""
    dimensions = dict(ServiceDimension.objects.values_list("slug", "pk"))
    seen = changed = 0
    attempts = Attempt.objects.submitted().prefetch_related("answers").order_by("pk")
    for attempt in attempts.iterator(chunk_size=200):
        answers = {a.question_id: a.response for a in attempt.answers.all()}
        items = [
            Item(slug, earned, possible)
            for question in attempt.questions
            for slug, earned, possible in grading.grade(
                question, answers.get(question["id"], [])
            ).evidence
        ]
        seen += 1
        changed += rewrite_evidence(
            source="quiz", reference=f"attempt-{attempt.pk}", items=items, dimensions=dimensions
        )
    return seen, changed
