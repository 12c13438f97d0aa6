"""Thin views behind the quiz page's routes: they read the form, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attitude.selectors import record_dimensions

from . import grading
from .models import Attempt, FeedbackMode, QuizPage
from .selectors import answers_by_question
from .services import (
    AttemptClosed,
    NoAttemptsLeft,
    NoSuchQuestion,
    QuizError,
    autosave_answer,
    check_answer,
    close_if_expired,
    save_answer,
    start_attempt,
    submit_attempt,
)


def _route(quiz, name, *args):
    return quiz.url + quiz.reverse_subpage(name, args=args)


def _open_attempt(request, quiz):
    close_if_expired(person=request.user, quiz=quiz)
    return Attempt.objects.open().filter(person=request.user, quiz=quiz).first()


def _to_latest_result(request, quiz):
    last = Attempt.objects.submitted().filter(person=request.user, quiz=quiz).last()
    if last is None:
        return redirect(quiz.url)
    if last.auto_submitted:
        messages.warning(
            request, _("Time ran out: your quiz was submitted with the answers saved.")
        )
    return redirect(_route(quiz, "result", last.number))


def _options_with_answer(shown, question, response):
    """The options as shown (with or without their key), each marked with whether the agent
    chose it or, in a rating question, the rating they gave."""
    chosen = grading.chosen_ids(question, response) if question["kind"] != "rating" else set()
    ratings = grading.ratings_of(question, response) if question["kind"] == "rating" else {}
    return [
        {**option, "chosen": option["id"] in chosen, "rating": ratings.get(option["id"])}
        for option in shown["options"]
    ]


def _response_from(request, question):
    """The response in the posted form: option ids, or ratings by option id."""
    if question["kind"] == "rating":
        return {
            str(option["id"]): request.POST.get(f"rating-{option['id']}")
            for option in question["options"]
            if request.POST.get(f"rating-{option['id']}")
        }
    values = request.POST.getlist("option")
    try:
        return [int(value) for value in values]
    except ValueError:
        return []


def _posted(request):
    """The answer as posted, in both shapes (the service keeps the one the question uses):
    option ids, and ratings by option id."""
    try:
        options = [int(value) for value in request.POST.getlist("option")]
    except ValueError:
        options = []
    ratings = {
        key.removeprefix("rating-"): value
        for key, value in request.POST.items()
        if key.startswith("rating-") and value
    }
    return {"options": options, "ratings": ratings}


def start(request, quiz):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        attempt = start_attempt(person=request.user, quiz=quiz)
    except NoAttemptsLeft:
        messages.error(request, _("You have used all the attempts this quiz allows."))
        return redirect(quiz.url)
    except AttemptClosed:
        messages.error(request, _("This quiz is closed."))
        return redirect(quiz.url)
    answered = answers_by_question(attempt)
    position = next(
        (i for i, q in enumerate(attempt.questions, 1) if q["id"] not in answered),
        len(attempt.questions) or 1,
    )
    return redirect(_route(quiz, "question", position))


def _refused(request):
    messages.warning(request, _("This attempt was already submitted: this answer was not saved."))


def question(request, quiz, position):
    attempt = _open_attempt(request, quiz)
    if attempt is None:
        if request.method == "POST":
            _refused(request)
        return _to_latest_result(request, quiz)
    questions = attempt.questions
    if not 1 <= position <= len(questions):
        raise Http404
    current = questions[position - 1]
    if request.method == "POST":
        action = request.POST.get("action", "next")
        try:
            save_answer(
                attempt=attempt,
                question_id=current["id"],
                response=_response_from(request, current),
            )
            if action == "check" and quiz.key_visible(attempt):
                check_answer(attempt=attempt, question_id=current["id"])
                return redirect(_route(quiz, "question", position))
        except AttemptClosed:
            _refused(request)
            return _to_latest_result(request, quiz)
        except QuizError:
            if action != "check":
                messages.error(request, _("That answer could not be saved; it is no longer open."))
            return redirect(_route(quiz, "question", position))
        if action == "submit":
            attempt = submit_attempt(attempt=attempt)
            return redirect(_route(quiz, "result", attempt.number))
        if action == "previous" and position > 1:
            return redirect(_route(quiz, "question", position - 1))
        if action.startswith("go-") and action[3:].isdigit():
            return redirect(_route(quiz, "question", int(action[3:])))
        if action == "review" or position == len(questions):
            return redirect(_route(quiz, "review"))
        return redirect(_route(quiz, "question", position + 1))
    answers = answers_by_question(attempt)
    saved = answers.get(current["id"])
    response = saved.response if saved else []
    checking = quiz.key_visible(attempt)  # immediate feedback, and no retry to answer from it
    checked = saved is not None and saved.checked and checking
    shown = current if checked else grading.public_question(current)
    return TemplateResponse(
        request,
        "quizzes/question.html",
        {
            "page": quiz,
            "quiz": quiz,
            "attempt": attempt,
            "position": position,
            "total": len(questions),
            "question": shown,
            "options": _options_with_answer(shown, current, response),
            "saved": saved,
            "checked": checked,
            "checking": checking,
            "locked": saved is not None and saved.checked,
            "unrated": grading.unrated(current, response) if saved and response else [],
            "navigation": [
                {
                    "position": i,
                    "answered": q["id"] in answers
                    and grading.is_answered(q, answers[q["id"]].response),
                    "current": i == position,
                }
                for i, q in enumerate(questions, 1)
            ],
            "rating_scale": range(grading.RATING_MIN, grading.RATING_MAX + 1),
            "autosave_url": autosave_url(attempt, position),
            "time_left": attempt.time_left(),
        },
    )


def _closed(request, quiz):
    """The autosave's answer once the attempt was submitted: 409, saying so, with the way to
    the result."""
    last = Attempt.objects.submitted().filter(person=request.user, quiz=quiz).last()
    return JsonResponse(
        {
            "saved": False,
            "closed": True,
            "message": _("This attempt was already submitted: this answer was not saved."),
            "redirect": _route(quiz, "result", last.number) if last else quiz.url,
            "link": _("See the result") if last else _("Back to the quiz"),
        },
        status=409,
    )


def autosave_url(attempt, position):
    """Where the question page's script saves the answer at `position` of `attempt`."""
    return reverse("quizzes:autosave", args=[attempt.pk, position])


def autosave(request, quiz, position):
    """The quiz page's own autosave route (older pages and tabs): the open attempt's."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    attempt = Attempt.objects.open().filter(person=request.user, quiz=quiz).only("pk").first()
    if attempt is None:
        close_if_expired(person=request.user, quiz=quiz)
        return _closed(request, quiz)
    return save_for_attempt(request, attempt.pk, position)


@require_POST
def save_for_attempt(request, attempt_id, position):
    """Save one answer without leaving the page (the JavaScript enhancement). A plain URL,
    outside Wagtail's page routing: the attempt names the quiz, and the one write refuses
    what is not open (answered 409 with the way to the result)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        saved_at = autosave_answer(
            person=request.user,
            attempt_id=attempt_id,
            position=position,
            **_posted(request),
        )
    except Attempt.DoesNotExist:
        raise Http404 from None
    except NoSuchQuestion:
        return HttpResponseBadRequest()
    except AttemptClosed:
        quiz = QuizPage.objects.get(attempts=attempt_id)
        return _closed(request, quiz)
    except QuizError:
        return JsonResponse({"saved": False}, status=400)
    return JsonResponse({"saved": True, "saved_at": saved_at.isoformat()})


def review(request, quiz):
    attempt = _open_attempt(request, quiz)
    if attempt is None:
        return _to_latest_result(request, quiz)
    answers = answers_by_question(attempt)
    rows = []
    for i, q in enumerate(attempt.questions, 1):
        response = answers[q["id"]].response if q["id"] in answers else []
        rows.append(
            {
                "position": i,
                "situation": q.get("situation", ""),
                "text": q["text"],
                "answered": grading.is_answered(q, response),
                "unrated": len(grading.unrated(q, response)) if response else 0,
                "rows": len(q["options"]),
            }
        )
    return TemplateResponse(
        request,
        "quizzes/review.html",
        {
            "page": quiz,
            "quiz": quiz,
            "attempt": attempt,
            "rows": rows,
            "unanswered": sum(1 for row in rows if not row["answered"]),
            "time_left": attempt.time_left(),
        },
    )


def submit(request, quiz):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    attempt = _open_attempt(request, quiz)
    if attempt is None:
        return _to_latest_result(request, quiz)
    attempt = submit_attempt(attempt=attempt)
    return redirect(_route(quiz, "result", attempt.number))


def _key_held(quiz):
    """Why the result shows no key yet, and when it will (the rule is QuizPage.key_visible)."""
    if quiz.feedback_mode == FeedbackMode.AFTER_CLOSE or (quiz.closes_at and not quiz.max_attempts):
        return _("Feedback on each question will be shown once the quiz closes.")
    if quiz.max_attempts and quiz.closes_at:
        return _(
            "Feedback on each question will be shown after your last attempt or once the quiz "
            "closes."
        )
    if quiz.max_attempts:
        return _("Feedback on each question will be shown after your last attempt.")
    return _(
        "This quiz counts for certification: feedback on each question is not shown while you "
        "can try again. Your score and your attitude profile show how you did."
    )


def result(request, quiz, number):
    """The agent's own result; feedback shows when the quiz's setting allows it."""
    attempt = Attempt.objects.filter(person=request.user, quiz=quiz, number=number).first()
    if attempt is None:
        raise Http404
    if not attempt.is_submitted:
        return redirect(_route(quiz, "question", 1))
    answers = answers_by_question(attempt)
    feedback = quiz.key_visible(attempt)
    review = []
    for position, question in enumerate(attempt.questions, 1):
        answer = answers.get(question["id"])
        response = answer.response if answer else []
        shown = question if feedback else grading.public_question(question)
        critical = bool(answer and answer.critical)
        review.append(
            {
                "position": position,
                "anchor": f"question-{position}",
                "to_look_at": critical or not answer or answer.score is None or answer.score < 1,
                "question": shown,
                "score": None if answer is None else answer.score,
                "percent": round(100 * answer.score) if answer and answer.score is not None else 0,
                "critical": critical,
                "options": _options_with_answer(shown, question, response),
            }
        )
    return TemplateResponse(
        request,
        "quizzes/result.html",
        {
            "page": quiz,
            "quiz": quiz,
            "attempt": attempt,
            "review": review,
            "look_at": [item for item in review if item["to_look_at"]],
            "feedback": feedback,
            "key_held": "" if feedback else _key_held(quiz),
            "course": quiz.course,
            "dimensions": record_dimensions(source="quiz", reference=f"attempt-{attempt.pk}"),
            "can_retry": not quiz.is_closed() and quiz.attempts_left(request.user) != 0,
        },
    )
