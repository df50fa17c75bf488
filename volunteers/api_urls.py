"""REST API routes of the volunteer work (included under /api/). Names start with "api-"."""
from django.urls import path

from marketplace.api_urls import by_method
from volunteers import api

urlpatterns = [
    # The volunteer
    path("volunteers/me/progress/", api.VolunteerProgressApi.as_view(), name="api-volunteer-progress"),
    path("volunteers/me/jobs/", api.VolunteerJobListApi.as_view(), name="api-volunteer-jobs"),
    path("volunteers/me/jobs/<int:pk>/set-off/", api.VolunteerJobSetOffApi.as_view(), name="api-volunteer-job-set-off"),
    path("volunteers/me/jobs/<int:pk>/check-in/", api.VolunteerJobCheckInApi.as_view(), name="api-volunteer-job-check-in"),
    path("volunteers/me/jobs/<int:pk>/check-out/", api.VolunteerJobCheckOutApi.as_view(), name="api-volunteer-job-check-out"),
    path("volunteers/me/hours/", by_method(get=api.VolunteerHoursListApi, post=api.VolunteerHoursLogApi), name="api-volunteer-hours"),
    path(
        "volunteers/me/certificates/",
        by_method(get=api.VolunteerCertificateListApi, post=api.VolunteerCertificateIssueApi),
        name="api-volunteer-certificates",
    ),
    path("volunteers/me/visits/", by_method(get=api.DeputyVisitListApi, post=api.DeputyVisitRecordApi), name="api-deputy-visits"),
    path("volunteers/me/visits/<int:pk>/report/", api.DeputyVisitReportApi.as_view(), name="api-deputy-visit-report"),
    # Deciding and correcting hours
    path("volunteers/hours/<int:pk>/approve/", api.HoursEntryApproveApi.as_view(), name="api-hours-entry-approve"),
    path("volunteers/hours/<int:pk>/decline/", api.HoursEntryDeclineApi.as_view(), name="api-hours-entry-decline"),
    path("volunteers/hours/<int:pk>/corrections/", api.HoursEntryCorrectApi.as_view(), name="api-hours-entry-correct"),
    path("volunteers/served/<int:request_pk>/hours/", api.ServedRequestHoursApi.as_view(), name="api-served-request-hours"),
    # Team leads
    path("teams/", api.TeamLedListApi.as_view(), name="api-teams"),
    path("teams/<int:pk>/jobs/", api.TeamJobListApi.as_view(), name="api-team-jobs"),
    path("teams/<int:pk>/jobs/<int:job_pk>/accept/", api.TeamJobAcceptApi.as_view(), name="api-team-job-accept"),
    path("teams/<int:pk>/jobs/<int:job_pk>/decline/", api.TeamJobDeclineApi.as_view(), name="api-team-job-decline"),
    path("teams/<int:pk>/jobs/<int:job_pk>/members/", api.TeamJobMembersApi.as_view(), name="api-team-job-members"),
    path("teams/<int:pk>/jobs/<int:job_pk>/complete/", api.TeamJobCompleteApi.as_view(), name="api-team-job-complete"),
    path("teams/<int:pk>/hours/", by_method(get=api.TeamHoursListApi, post=api.TeamHoursRecordApi), name="api-team-hours"),
    path("teams/<int:pk>/progress/", api.TeamProgressApi.as_view(), name="api-team-progress"),
    # The centre
    path("centre/volunteers/progress/", api.CentreVolunteerProgressApi.as_view(), name="api-centre-volunteer-progress"),
    path("centre/volunteers/duty/", api.CentreDutyReportApi.as_view(), name="api-centre-volunteer-duty"),
    path("centre/volunteers/commendations/", api.CentreCommendationsApi.as_view(), name="api-centre-volunteer-commendations"),
    path("centre/volunteers/requests/", api.CentrePublicInterestRequestListApi.as_view(), name="api-centre-volunteer-requests"),
    path(
        "centre/volunteers/requests/<int:pk>/teams/",
        api.CentreRequestTeamsSuggestApi.as_view(),
        name="api-centre-volunteer-request-teams",
    ),
    path(
        "centre/volunteers/requests/<int:pk>/dispatch/",
        api.CentreRequestTeamDispatchApi.as_view(),
        name="api-centre-volunteer-request-dispatch",
    ),
    path("centre/volunteers/hours/", api.CentreHoursListApi.as_view(), name="api-centre-volunteer-hours"),
    path("centre/volunteers/visits/flagged/", api.CentreDistrictVisitsFlaggedApi.as_view(), name="api-centre-volunteer-visits-flagged"),
    path("centre/volunteers/activities/", api.CentreActivityCreateApi.as_view(), name="api-centre-activities"),
    path(
        "centre/volunteers/activities/<int:pk>/hours/",
        api.CentreActivityHoursRecordApi.as_view(),
        name="api-centre-activity-hours",
    ),
    # Certificates
    path("certificates/<str:number>/", api.CertificateVerifyApi.as_view(), name="api-certificate-verify"),
    path("certificates/<str:number>/pdf/", api.CertificatePdfApi.as_view(), name="api-certificate-pdf"),
]
