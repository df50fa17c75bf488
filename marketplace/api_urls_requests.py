"""REST API routes for service requests, offers and jobs, and the centre's verbs (under /api/)."""
from django.urls import path

from marketplace import api_requests as requests_api
from marketplace.api_urls import by_method
from matching import api as matching_api

urlpatterns = [
    # Residents
    path(
        "requests/",
        by_method(get=requests_api.RequestListApi, post=requests_api.RequestCreateApi),
        name="api-requests",
    ),
    path("requests/<int:pk>/", requests_api.RequestDetailApi.as_view(), name="api-request"),
    path("requests/<int:pk>/cancel/", requests_api.RequestCancelApi.as_view(), name="api-request-cancel"),
    # Company staff: offers
    path("company/offers/", matching_api.CompanyOfferListApi.as_view(), name="api-company-offers"),
    path("company/offers/<int:pk>/accept/", matching_api.CompanyOfferAcceptApi.as_view(), name="api-company-offer-accept"),
    path("company/offers/<int:pk>/decline/", matching_api.CompanyOfferDeclineApi.as_view(), name="api-company-offer-decline"),
    # Company staff: jobs
    path("company/jobs/", requests_api.CompanyJobListApi.as_view(), name="api-company-jobs"),
    path("company/jobs/<int:pk>/", requests_api.CompanyJobDetailApi.as_view(), name="api-company-job"),
    path("company/jobs/<int:pk>/set-off/", requests_api.CompanyJobSetOffApi.as_view(), name="api-company-job-set-off"),
    path("company/jobs/<int:pk>/arrive/", requests_api.CompanyJobArriveApi.as_view(), name="api-company-job-arrive"),
    path("company/jobs/<int:pk>/complete/", requests_api.CompanyJobCompleteApi.as_view(), name="api-company-job-complete"),
    # Centre agents
    path("centre/hotline/", requests_api.HotlineIntakeApi.as_view(), name="api-centre-hotline"),
    path("centre/supervise/", requests_api.SuperviseQueueApi.as_view(), name="api-centre-supervise"),
    path("centre/requests/<int:pk>/", requests_api.CentreRequestDetailApi.as_view(), name="api-centre-request"),
    path(
        "centre/requests/<int:pk>/handle-at-once/",
        requests_api.CentreRequestHandleAtOnceApi.as_view(),
        name="api-centre-request-handle-at-once",
    ),
    path(
        "centre/requests/<int:pk>/transfer/",
        requests_api.CentreRequestTransferApi.as_view(),
        name="api-centre-request-transfer",
    ),
    path(
        "centre/requests/<int:pk>/dispatch/",
        matching_api.CentreRequestDispatchApi.as_view(),
        name="api-centre-request-dispatch",
    ),
    path(
        "centre/requests/<int:pk>/restart-matching/",
        requests_api.CentreRequestRestartMatchingApi.as_view(),
        name="api-centre-request-restart-matching",
    ),
]
