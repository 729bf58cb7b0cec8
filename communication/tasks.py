import smtplib

from celery import shared_task

from communication.services import meeting_reminders_send


@shared_task(
    name="communication.send_meeting_reminders",
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=30,
    max_retries=3,
)
def send_meeting_reminders() -> int:
    return meeting_reminders_send()
