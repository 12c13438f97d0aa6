"""Real failing infrastructure on loopback, for the fault tests: a port nobody listens on, a
server that accepts connections and never answers, and a minimal working SMTP server."""

import contextlib
import socket
import socketserver
import threading

REFUSED_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused


@contextlib.contextmanager
def silent_server():
    """Accept every TCP connection on a free loopback port and never send a byte: a hung
    database, Redis or mail server. Yields the port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)  # kept open, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        listener.close()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 prueba ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 prueba")
            elif verb == "MAIL":
                sender, recipients = command, []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                    data.append(chunk)
                self.server.messages.append(
                    {"from": sender, "to": recipients, "data": b"".join(data).decode()}
                )
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP and the rest
                self.reply("250 OK")


@contextlib.contextmanager
def smtp_server():
    """A working mail server on a free loopback port. Yields (port, messages received)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.messages
    finally:
        server.shutdown()
        server.server_close()


def redis_cache(location, timeout=0.5):
    """CACHES as config/settings/base.py builds them for REDIS_URL=`location`."""
    return {
        "default": {
            "BACKEND": "people.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": timeout,
                "SOCKET_TIMEOUT": timeout,
            },
            "KEY_PREFIX": "prueba",
        }
    }


def redis_queue(settings, location, timeout=0.5):
    """Point the task queue at RQ on `location`, as TASK_QUEUE=redis does."""
    url = f"{location}?socket_connect_timeout={timeout}&socket_timeout={timeout}"
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def run_rq_worker():
    """Run every job waiting in the RQ queue, in this process (so in the test's transaction)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)
    return queue
