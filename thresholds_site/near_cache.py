"""The pages a process served most recently, kept in its own memory in front of a shared cache
(settings CACHES["near"]; guidance/caching.py).

Django's local-memory cache pickles every value on the way in and out, and checks every key
character by character for memcached: for a 100 KB page, that was a third of a cached answer's
time in Python. Here entries are kept as they are given, in a least-recently-used table of
`MAX_ENTRIES`: only immutable values belong in it (the page cache's entries are tuples of bytes),
and its keys are the page cache's own (hex digests). Entries never expire: the page cache's keys
name the versions of what they show, so an entry is never stale, only no longer asked for.
"""

import threading

from cachetools import LRUCache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


class NearCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self._entries = LRUCache(maxsize=self._max_entries)
        # One table per process, shared by its threads (gunicorn's gthread workers).
        self._lock = threading.Lock()

    def get(self, key, default=None, version=None):
        with self._lock:
            return self._entries.get(key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock:
            self._entries[key] = value

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock:
            if key in self._entries:
                return False
            self._entries[key] = value
            return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock:
            return key in self._entries

    def delete(self, key, version=None):
        with self._lock:
            return self._entries.pop(key, None) is not None

    def has_key(self, key, version=None):
        with self._lock:
            return key in self._entries

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)
