"""Content functions kept in the data cache, declared from outside (``config/cache_map.py``).

A content app writes plain functions and methods (``HomePage``'s lead story, a sitemap's
article count, a search's window of matches); the map names the ones worth keeping, and at
start-up ``install()`` replaces each, on its own class or module, with a wrapper that asks the
data cache first. The entry's name is the dotted path plus the identity of the arguments (model
instances by label and primary key, plain values by ``repr``), or what the ``Memo``'s ``key``
function returns for them. Previews, the admin and a disabled cache call the function itself.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model

from . import datacache

MARK = "_caching_memo"
# Characters every cache backend accepts in a key (memcached refuses spaces and controls).
SAFE_KEY = re.compile(r"[\w.:,=()-]*")


@dataclass(frozen=True)
class Memo:
    """One memoised function: ``path`` is ``module.function`` or ``module.Class.method``."""

    path: str
    # Builds the entry's name from the call's arguments (``self`` included; None: not kept);
    # default: their identities.
    key: Callable[..., str] | None = None
    # A shorter lifetime than DATA_CACHE_SECONDS: seconds, or the name of a setting holding them
    # (0: not kept at all).
    seconds: int | str | None = None

    def lifetime(self) -> int | None:
        if isinstance(self.seconds, str):
            return int(getattr(settings, self.seconds))
        return self.seconds


def identity(value) -> str:
    """A stable text for an argument; TypeError for one that has none (a request, a queryset)."""
    if isinstance(value, Model):
        return f"{value._meta.label_lower}.{value.pk}"
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, tuple | list):
        return "(" + ",".join(identity(item) for item in value) + ")"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(identity(item) for item in value)) + "}"
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    raise TypeError(f"no cache identity for {type(value).__name__}: give the Memo a key function")


def entry_name(memo: Memo, args, kwargs) -> str | None:
    """The entry's name; None when the ``key`` function says this call is not to be kept."""
    if memo.key is not None:
        part = memo.key(*args, **kwargs)
        if part is None:
            return None
        part = str(part)
    else:
        part = ",".join(
            [identity(arg) for arg in args]
            + [f"{name}={identity(kwargs[name])}" for name in sorted(kwargs)]
        )
    if len(part) > 120 or not SAFE_KEY.fullmatch(part):
        part = hashlib.sha256(part.encode()).hexdigest()
    language = datacache.language_part()
    return f"memo:{memo.path}:{language}:{part}" if language else f"memo:{memo.path}:{part}"


def memoised(memo: Memo, function):
    def wrapper(*args, **kwargs):
        if not datacache.enabled() or datacache.bypassed():
            return function(*args, **kwargs)
        name = entry_name(memo, args, kwargs)
        seconds = memo.lifetime()
        if name is None or seconds == 0:
            return function(*args, **kwargs)
        return datacache.get_or_set(name, lambda: function(*args, **kwargs), seconds=seconds)

    wrapper.__wrapped__ = function
    wrapper.__name__ = function.__name__
    wrapper.__qualname__ = function.__qualname__
    wrapper.__doc__ = function.__doc__
    setattr(wrapper, MARK, memo)
    return wrapper


def resolve(path: str) -> tuple[object, str]:
    """(owner, attribute name) for a dotted path: the longest importable module, then attributes."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:-1]:
            owner = getattr(owner, name)
        if not hasattr(owner, parts[-1]):
            break
        return owner, parts[-1]
    raise ImproperlyConfigured(f"config/cache_map.py names {path!r}, which does not exist")


def install(memos) -> None:
    for memo in memos:
        owner, name = resolve(memo.path)
        if inspect.isclass(owner):
            raw = inspect.getattr_static(owner, name)
        else:
            raw = getattr(owner, name)
        if isinstance(raw, classmethod):
            function = raw.__func__
            if getattr(function, MARK, None):
                continue
            setattr(owner, name, classmethod(memoised(memo, function)))
        elif isinstance(raw, staticmethod):
            function = raw.__func__
            if getattr(function, MARK, None):
                continue
            setattr(owner, name, staticmethod(memoised(memo, function)))
        elif callable(raw):
            if getattr(raw, MARK, None):
                continue
            setattr(owner, name, memoised(memo, raw))
        else:
            raise ImproperlyConfigured(f"{memo.path} is not a function or method")
