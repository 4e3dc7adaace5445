from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _start_editions(sender, using="default", **kwargs):
    # Guidance loaded before editions existed becomes edition 1, with its draft, on the first
    # migrate after the upgrade (a no-op afterwards); new guidance gets them from load_thresholds.
    from .editions import start_all

    start_all(using)


class GuidanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guidance"
    verbose_name = "Threshold guidance"

    def ready(self):
        post_migrate.connect(_start_editions, sender=self, dispatch_uid="guidance-start-editions")
