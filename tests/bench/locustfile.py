"""The load of `make bench`, run by locust (headless) in its own virtualenv and process, never
inside the site's. tests/bench/run.py starts it once per measurement with BENCH_PHASE set:

- single: one user, BENCH_ROUNDS interleaved rounds; in each round every endpoint is requested
  right after the floor view, so each page's ratio to the floor comes from the same minutes;
- throughput: BENCH_USERS users requesting BENCH_TARGET (a name from the fixtures' URLs, or a
  peer's URL) as fast as they are answered, for the --run-time locust is given;
- mixed: the 8:00 shift start: agents sign in through the form, then read lessons and answer
  a quiz (autosaves), while one supervisor and one HR person browse.

Every request's time (in ms, unrounded, unlike locust's own percentiles), status, error and the
X-Bench-Queries / X-Bench-CPU-ms headers the bench middleware adds are written as JSON lines to
BENCH_SAMPLES when the run ends. Who signs in and where the pages are come from BENCH_FIXTURES,
written by run.py: session cookies made without hashing a password, except for the mixed
load's agents, whose sign-in is part of what is measured.
"""

import itertools
import json
import os
import re
import time
from http.cookiejar import Cookie

from locust import User, between, events, task
from locust.contrib.fasthttp import FastHttpSession

PHASE = os.environ.get("BENCH_PHASE", "single")
FIXTURES = json.loads(open(os.environ["BENCH_FIXTURES"]).read())
URLS = FIXTURES["urls"]
SAMPLES = []
WARMING = [False]  # while True, requests are not recorded (the first round warms each path)
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "60"))
STOPPING = [False]  # set when the run's time is up: requests still waiting are cut short
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AUTOSAVE = re.compile(r'data-autosave="([^"]+)"')
OPTION = re.compile(r'name="option" value="([^"]+)"')
CHOOSE_FORM = re.compile(r'<form method="post" action="([^"]+)" class="choices">')
CHOICE = re.compile(r'name="choice" value="([^"]+)"')


@events.request.add_listener
def record(request_type, name, response_time, response_length, response, exception, **kw):
    if name.startswith("_") or WARMING[0]:  # set-up steps, warm-up round
        return
    if STOPPING[0] and getattr(response, "status_code", 0) == 0:
        exception = "not answered when the run ended"  # an error, said as what it is
    headers = getattr(response, "headers", None) or {}
    SAMPLES.append(
        {
            "name": name,
            "t": time.time(),
            "ms": response_time,
            "status": getattr(response, "status_code", 0),
            "error": str(exception) if exception else None,
            "queries": headers.get("X-Bench-Queries"),
            "cpu_ms": headers.get("X-Bench-CPU-ms"),
            "bytes": response_length,
        }
    )


@events.test_stopping.add_listener
def stopping(**kw):
    STOPPING[0] = True


@events.quitting.add_listener
def write_samples(environment, **kw):
    with open(os.environ["BENCH_SAMPLES"], "w") as out:
        for sample in SAMPLES:
            out.write(json.dumps(sample) + "\n")


def session(user, cookie=None):
    """A client of its own (one cookie jar per person), signed in with a session cookie."""
    client = FastHttpSession(
        base_url=user.host,
        request_event=user.environment.events.request,
        user=user,
        # geventhttpclient's own default gives up after 5 s and tries again: a slow answer
        # must be measured as slow, once.
        connection_timeout=TIMEOUT,
        network_timeout=TIMEOUT,
        max_retries=0,
    )
    if cookie:
        name, value = cookie
        host = user.host.split("//", 1)[1].split(":")[0].split("/")[0]
        client.cookiejar.set_cookie(
            Cookie(
                0,
                name,
                value,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )
    return client


def expect(response, *codes):
    """Mark a response an error unless its status is one of codes (a redirect is not followed
    when the bench measures a POST alone)."""
    if response.status_code not in codes:
        error = getattr(response, "error", None)
        response.failure(f"HTTP {response.status_code}" + (f": {error!r}" if error else ""))
    else:
        response.success()
    return response


def get(client, url, name, ok=(200,)):
    with client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
        return expect(response, *ok)


def token_of(html):
    match = TOKEN.search(html)
    return match.group(1) if match else ""


class Quiz:
    """An open attempt of one agent: the question page, its autosave URL and an option."""

    def __init__(self, client, quiz_url):
        self.client = client
        self.quiz_url = quiz_url
        # Starting resumes the open attempt if there is one (the bench never submits it).
        page = client.get(quiz_url, name="_quiz overview").text
        response = client.post(
            quiz_url + "empezar/",
            data={"csrfmiddlewaretoken": token_of(page)},
            name="_start attempt",
            allow_redirects=False,
        )
        self.question_url = response.headers.get("Location", quiz_url + "pregunta/1/")
        page = client.get(self.question_url, name="_question").text
        self.autosave_url = AUTOSAVE.search(page).group(1)
        self.option = OPTION.search(page).group(1)
        self.token = token_of(page)

    def question(self, name="quiz question"):
        return get(self.client, self.question_url, name)

    def autosave(self, name="autosave"):
        with self.client.post(
            self.autosave_url,
            data={"option": self.option, "csrfmiddlewaretoken": self.token},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            return expect(response, 200)


class Scenario:
    """A run of one role-play: the play page, then the first choice offered, again and again
    (a finished run starts the next)."""

    def __init__(self, client, scenario_url):
        self.client = client
        self.url = scenario_url
        self.start()

    def start(self):
        page = self.client.get(self.url, name="_scenario overview").text
        self.client.post(
            self.url + "empezar/",
            data={"csrfmiddlewaretoken": token_of(page)},
            name="_start run",
            allow_redirects=False,
        )

    def play(self, name="scenario play"):
        response = get(self.client, self.url + "jugar/", name)
        self.page = response.text or ""
        return response

    def choose(self, name="scenario choice"):
        form, choice = CHOOSE_FORM.search(self.page), CHOICE.search(self.page)
        if not (form and choice):  # the run had ended: start the next one
            self.start()
            self.play(name="_play")
            form, choice = CHOOSE_FORM.search(self.page), CHOICE.search(self.page)
        with self.client.post(
            form.group(1),
            data={"choice": choice.group(1), "csrfmiddlewaretoken": token_of(self.page)},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            expect(response, 302)
        if "/resultado/" in response.headers.get("Location", ""):
            self.start()


class Submitter:
    """Submits attempts of one quiz, each by the next agent of a pool with attempts left
    (each agent of the pool has the quiz's three attempts)."""

    def __init__(self, user, quiz_url, cookies, per_agent=3):
        self.user, self.quiz_url = user, quiz_url
        self.turns = itertools.chain.from_iterable(
            itertools.repeat(cookie, per_agent) for cookie in cookies
        )

    def submit(self, name="quiz submit"):
        client = session(self.user, next(self.turns))
        page = client.get(self.quiz_url, name="_quiz overview").text
        client.post(
            self.quiz_url + "empezar/",
            data={"csrfmiddlewaretoken": token_of(page)},
            name="_start attempt",
            allow_redirects=False,
        )
        page = client.get(self.quiz_url + "revisar/", name="_review").text
        with client.post(
            self.quiz_url + "enviar/",
            data={"csrfmiddlewaretoken": token_of(page)},
            name=name,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            expect(response, 302)


def cookie(key):
    return (FIXTURES["session_cookie"], FIXTURES["sessions"][key])


class SingleUser(User):
    """One person at a time, interleaved with the floor: the ratios of the bench."""

    def on_start(self):
        self.agent = session(self, cookie("agent"))
        self.supervisor = session(self, cookie("supervisor"))
        self.hr = session(self, cookie("hr"))
        self.anonymous = session(self)
        self.quiz = Quiz(self.agent, URLS["quiz"])
        self.scenario = Scenario(self.agent, URLS["scenario"])
        self.submitter = Submitter(
            self,
            URLS["submit_quiz"],
            [(FIXTURES["session_cookie"], value) for value in FIXTURES["submitters"]],
        )
        self.peers = [session(self) for _ in FIXTURES["peers"]]
        self.steps = [
            ("Mi aprendizaje", lambda: get(self.agent, URLS["my_learning"], "Mi aprendizaje")),
            ("course outline", lambda: get(self.agent, URLS["course"], "course outline")),
            ("lesson", lambda: get(self.agent, URLS["lesson"], "lesson")),
            ("quiz question", self.quiz.question),
            ("autosave", self.quiz.autosave),
            ("scenario play", self.scenario.play),
            ("scenario choice", self.scenario.choose),
            ("quiz submit", self.submitter.submit),
            ("Mi equipo", lambda: get(self.supervisor, URLS["team"], "Mi equipo")),
            ("agent page", lambda: get(self.supervisor, URLS["agent_detail"], "agent page")),
            ("HR dashboard", lambda: get(self.hr, URLS["hr_dashboard"], "HR dashboard")),
            ("certificate list", lambda: get(self.hr, URLS["hr_certificates"], "certificate list")),
            (
                "certificate PDF",
                lambda: get(self.agent, URLS["certificate_pdf"], "certificate PDF"),
            ),
            ("verification", lambda: get(self.anonymous, URLS["verify"], "verification")),
        ]
        for (name, url), client in zip(FIXTURES["peers"], self.peers, strict=True):
            self.steps.append((name, lambda c=client, u=url, n=name: get(c, u, n)))
        self.rounds = int(os.environ.get("BENCH_ROUNDS", "20"))

    def floor(self):
        """The floor without a session (no per-person work at all), then signed in (the
        session and user look-ups every signed-in page pays)."""
        get(self.anonymous, URLS["floor"], "floor")
        get(self.agent, URLS["floor"], "floor (signed in)")

    @task
    def rounds_of_everything(self):
        WARMING[0] = True
        for _name, step in self.steps:
            self.floor()
            step()
        WARMING[0] = False
        for _ in range(self.rounds):
            for _name, step in self.steps:
                self.floor()
                step()
        self.environment.runner.quit()


class Throughput(User):
    """BENCH_USERS people requesting one page as fast as it is answered."""

    def on_start(self):
        target = os.environ["BENCH_TARGET"]
        peers = dict(FIXTURES["peers"])
        if target in peers:
            self.client_, self.url = session(self), peers[target]
        elif target == "floor":
            self.client_, self.url = session(self), URLS["floor"]
        else:
            agents = FIXTURES["throughput_agents"]
            index = next(COUNTER) % len(agents)
            self.client_ = session(self, (FIXTURES["session_cookie"], agents[index]))
            self.url = URLS[target]
        self.name = target

    @task
    def hammer(self):
        get(self.client_, self.url, self.name)


COUNTER = itertools.count()


class Agent(User):
    """An agent at 8:00: signs in through the form, then reads and answers."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        agents = FIXTURES["mixed_agents"]
        email = agents[next(COUNTER) % len(agents)]
        self.client_ = session(self)
        page = self.client_.get(URLS["login"], name="_sign-in form").text
        with self.client_.post(
            URLS["login"],
            data={
                "login": email,
                "password": FIXTURES["password"],
                "csrfmiddlewaretoken": token_of(page),
            },
            name="sign-in",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            expect(response, 302)
        self.quiz = Quiz(self.client_, URLS["quiz"])

    @task(3)
    def lesson(self):
        get(self.client_, URLS["lesson"], "lesson")

    @task(1)
    def outline(self):
        get(self.client_, URLS["course"], "course outline")

    @task(1)
    def my_learning(self):
        get(self.client_, URLS["my_learning"], "Mi aprendizaje")

    @task(2)
    def question(self):
        self.quiz.question()

    @task(4)
    def autosave(self):
        self.quiz.autosave()


class Supervisor(User):
    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client_ = session(self, cookie("supervisor"))

    @task(3)
    def team(self):
        get(self.client_, URLS["team"], "Mi equipo")

    @task(1)
    def agent(self):
        get(self.client_, URLS["agent_detail"], "agent page")


class HR(User):
    fixed_count = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client_ = session(self, cookie("hr"))

    @task(2)
    def dashboard(self):
        get(self.client_, URLS["hr_dashboard"], "HR dashboard")

    @task(1)
    def certificates(self):
        get(self.client_, URLS["hr_certificates"], "certificate list")


# Locust runs every User class it finds in this module unless told which: only the phase's.
_PHASES = {"single": [SingleUser], "throughput": [Throughput], "mixed": [Supervisor, HR, Agent]}
for _name, _cls in list(globals().items()):
    if isinstance(_cls, type) and issubclass(_cls, User) and _cls is not User:
        _cls.abstract = _cls not in _PHASES[PHASE]
