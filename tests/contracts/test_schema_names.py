"""Two API schemas with the same class name share one OpenAPI component, so one of them is
documented wrongly (the fuzzer found a profile field validated against another schema)."""

from collections import defaultdict

from ninja import Schema

import config.api  # noqa: F401 - imports every router, hence every schema


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_no_two_api_schemas_share_a_name():
    by_name = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith(("sdg87.", "config.")):
            by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    clashes = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
    assert not clashes, f"rename one of each: {clashes}"
