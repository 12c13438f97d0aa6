"""The cache backend used when REDIS_URL is set: Redis, and this process's memory while Redis
is refused or hangs.

A dead cache must not take the site down: Wagtail reads page URLs from the cache and allauth
keeps its sign-in rate limits there. Every operation goes to Redis first; when Redis fails
(refused, or silent past REDIS_TIMEOUT), the operation is answered from a per-process memory
cache instead, and for `RETRY_AFTER` seconds this process does not try Redis again, so a hung
Redis costs one timeout per process and minute rather than one per request. Rate limits keep
working meanwhile, counted per process (each of N workers allows the limit once: looser by N,
never open). Sessions use SessionCache below, which never answers from memory.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 60
FAILURES = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(BaseCache):
    """django-redis in front, a LocMemCache behind it while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(params)
        self.redis = RedisCache(server, params)
        self.memory = LocMemCache(f"fallback-{server}", {**params, "OPTIONS": {}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self):
        """Whether this process is using Redis right now (False during a back-off)."""
        return time.monotonic() >= self._down_until

    def ping(self):
        """Ask Redis itself, whatever the back-off says; True when it answers. For /health/."""
        try:
            self.redis.get("health:ping")
        except FAILURES:
            return False
        return True

    def _call(self, name, *args, **kwargs):
        if self.available:
            try:
                return getattr(self.redis, name)(*args, **kwargs)
            except FAILURES as error:
                with self._lock:
                    self._down_until = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "Redis cache unavailable (%s); using this process's memory for %s s",
                    error,
                    RETRY_AFTER,
                )
        return getattr(self.memory, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None, **kwargs):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None, **kwargs):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None, **kwargs):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, **kwargs):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None, **kwargs):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None, **kwargs):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None, **kwargs):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None, **kwargs):
        return self._call("decr", key, delta=delta, version=version)

    def clear(self, **kwargs):
        self.memory.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self.redis.close()

    def __getattr__(self, name):
        # django-redis extras (ttl, lock, keys…) go to Redis as they are, without the fallback.
        if name in {"redis", "memory"}:
            raise AttributeError(name)
        return getattr(self.redis, name)


class SessionCache(ResilientRedisCache):
    """The sessions' cache (people.sessions): Redis, and a miss while Redis is unreachable,
    so the database answers; never this process's memory, which another process's sign-out
    could not reach. A copy this process failed to write or delete is deleted from Redis as
    soon as it answers again, before anything else is read, so data saved in the database
    meanwhile is not shadowed by an older copy."""

    WRITES = {"add", "set", "touch", "delete", "set_many", "delete_many"}

    def __init__(self, server, params):
        super().__init__(server, params)
        self.memory = DummyCache(f"sessions-{server}", {})
        self._unsynced = set()

    def _call(self, name, *args, **kwargs):
        if self._unsynced and self.available:
            try:
                self.redis.delete_many(list(self._unsynced))
                self._unsynced.clear()
            except FAILURES:
                with self._lock:
                    self._down_until = time.monotonic() + RETRY_AFTER
        result = super()._call(name, *args, **kwargs)
        if name in self.WRITES and not self.available:
            keys = args[0]
            self._unsynced.update(keys if isinstance(keys, list | tuple | dict) else [keys])
        return result
