from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from devsky import events
        from integrations import exposition, webhooks

        events.add_sink(webhooks.on_event)  # every published event may go out to webhook subscribers
        exposition.register()
