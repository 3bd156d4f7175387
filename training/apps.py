from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self):
        from pupils.parents import parent_accounts_provide
        from training.services.parents import parents_ensure

        # The pupil import's parents get their accounts and invitations from here.
        parent_accounts_provide(parents_ensure)
