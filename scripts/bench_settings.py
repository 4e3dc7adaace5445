"""The site's settings with a bare view added: the benchmark server of `make bench-throughput`
only (DJANGO_SETTINGS_MODULE=scripts.bench_settings). Never used by the site itself."""

from thresholds_site.settings import *  # noqa: F403

ROOT_URLCONF = "scripts.bench_urls"
