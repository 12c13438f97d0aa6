"""Sessions with Redis in front of the database (SESSION_ENGINE when REDIS_URL is set).

The database stays the record: a session exists while its row does, and signing out deletes
the row first. Redis keeps a copy of each session's data, so a request reads it from there
instead of the database. A copy can outlive its row (a sign-out while Redis was unreachable
from that process leaves the copy behind, and it is there again when Redis comes back), so a
copy is never trusted alone: people.middleware.AuthenticationMiddleware fetches the signed-in
person in one query that also requires the session's row, which costs no more than the user
query every request makes anyway. A signed-out session is therefore dead in every process,
whatever Redis holds. While Redis is down the "sessions" cache (people.cache.SessionCache)
misses, never answering from a process's own memory, so every process reads the database.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "actitud.session."

    #: True once the data came from Redis rather than from the session's row.
    loaded_from_cache = False

    def load(self):
        data = self._cache.get(self.cache_key)
        if data is not None:
            self.loaded_from_cache = True
            return data
        self.loaded_from_cache = False
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        return data
