from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self):
        from django.db.models.signals import post_migrate

        from marketplace import checks  # noqa: F401  (registers system checks)
        from marketplace.roles import administrator_permissions_sync

        # After every app's permissions exist (each app's post_migrate creates its own), so not per sender.
        post_migrate.connect(administrator_permissions_sync, dispatch_uid="administrator_permissions_sync")
