from django.core.checks import run_checks
from django.test import override_settings

REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}
}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def ids(**settings: object) -> set[str]:
    with override_settings(**settings):
        return {m.id for m in run_checks(include_deployment_checks=True)}


def test_deploy_check_warns_when_the_cache_is_per_process() -> None:
    assert "factcheck.W001" in ids(DEBUG=False, CACHES=LOCMEM)


def test_deploy_check_is_quiet_with_a_shared_cache_or_in_development() -> None:
    assert "factcheck.W001" not in ids(DEBUG=False, CACHES=REDIS)
    assert "factcheck.W001" not in ids(DEBUG=True, CACHES=LOCMEM)
