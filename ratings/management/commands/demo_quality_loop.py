"""``manage.py demo_quality_loop``: play the quality loop once on the demo city (after load_demo_city):
a job rated, called back, complained about and reviewed, and this month's report generated."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from marketplace.demo import demo_email
from ratings.demo import quality_loop_demo_run


class Command(BaseCommand):
    help = "Rate, call back, complain about and review one demo job; generate this month's report."

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            resident = User.objects.get(email=demo_email("resident"))
            agent = User.objects.get(email=demo_email("agent"))
        except User.DoesNotExist:
            raise CommandError("Load the demo city first: manage.py load_demo_city") from None
        try:
            result = quality_loop_demo_run(resident=resident, agent=agent)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        if not result.created:
            self.stdout.write(self.style.SUCCESS("Nothing to do: the quality loop demo has already run."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Request #{result.request.pk} rated {result.rating.overall}★, called back, complaint "
            f"#{result.complaint_id} upheld; monthly report rows: {result.report_rows}."
        ))
