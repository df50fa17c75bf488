"""Web pages of the volunteer work (included at the site root): volunteers, team leads, the resident
served, the centre, and the public certificate check."""
from django.urls import path

from volunteers import views

urlpatterns = [
    # Volunteers
    path("volunteers/", views.volunteer_home, name="volunteer-home"),
    path("volunteers/jobs/<int:pk>/set-off/", views.volunteer_job_set_off, name="volunteer-job-set-off"),
    path("volunteers/jobs/<int:pk>/check-in/", views.volunteer_job_check_in, name="volunteer-job-check-in"),
    path("volunteers/jobs/<int:pk>/check-out/", views.volunteer_job_check_out, name="volunteer-job-check-out"),
    path("volunteers/jobs/<int:pk>/hours/", views.volunteer_job_log_hours, name="volunteer-job-log-hours"),
    path("volunteers/hours/", views.volunteer_hours, name="volunteer-hours"),
    path("volunteers/hours/<int:pk>/approve/", views.hours_entry_approve, name="hours-entry-approve"),
    path("volunteers/hours/<int:pk>/decline/", views.hours_entry_decline, name="hours-entry-decline"),
    path("volunteers/hours/<int:pk>/correct/", views.hours_entry_correct, name="hours-entry-correct"),
    path("volunteers/certificates/", views.volunteer_certificates, name="volunteer-certificates"),
    path("volunteers/certificates/<str:number>/pdf/", views.certificate_download, name="certificate-pdf"),
    path("volunteers/visits/", views.deputy_visits, name="deputy-visits"),
    path("volunteers/visits/<int:pk>/report/", views.deputy_visit_report, name="deputy-visit-report"),
    # The resident who was served
    path("volunteers/served/<int:request_pk>/", views.served_request_hours, name="served-request-hours"),
    # Team leads
    path("teams/", views.team_list, name="team-list"),
    path("teams/<int:pk>/", views.team_jobs, name="team-jobs"),
    path("teams/<int:pk>/jobs/<int:job_pk>/accept/", views.team_job_accept, name="team-job-accept"),
    path("teams/<int:pk>/jobs/<int:job_pk>/decline/", views.team_job_decline, name="team-job-decline"),
    path("teams/<int:pk>/jobs/<int:job_pk>/members/", views.team_job_members, name="team-job-members"),
    path("teams/<int:pk>/jobs/<int:job_pk>/complete/", views.team_job_complete, name="team-job-complete"),
    path("teams/<int:pk>/hours/", views.team_hours, name="team-hours"),
    path("teams/<int:pk>/progress/", views.team_progress, name="team-progress"),
    # The centre
    path("centre/volunteers/", views.centre_volunteers, name="centre-volunteers"),
    path("centre/volunteers/duty/", views.centre_duty, name="centre-volunteer-duty"),
    path("centre/volunteers/commendations/", views.centre_commendations, name="centre-volunteer-commendations"),
    path("centre/volunteers/requests/", views.centre_requests, name="centre-volunteer-requests"),
    path("centre/volunteers/requests/<int:pk>/dispatch/", views.centre_request_dispatch, name="centre-volunteer-request-dispatch"),
    path("centre/volunteers/hours/", views.centre_hours, name="centre-volunteer-hours"),
    path("centre/volunteers/visits/", views.centre_visits, name="centre-volunteer-visits"),
    path("centre/volunteers/activities/", views.centre_activities, name="centre-activities"),
    path("centre/volunteers/activities/<int:pk>/attendance/", views.centre_activity_attendance, name="centre-activity-attendance"),
    # Public
    path("certificates/verify/", views.certificate_verify, name="certificate-verify"),
    path("certificates/verify/<str:number>/", views.certificate_verify_number, name="certificate-verify-number"),
]
