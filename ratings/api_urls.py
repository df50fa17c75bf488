"""REST API routes of the quality loop (included under /api/ by marketplace/urls.py)."""
from django.urls import path

from marketplace.api_urls import by_method
from ratings import api

urlpatterns = [
    # Residents: ratings and complaints about their jobs
    path(
        "requests/<int:pk>/rating/",
        by_method(get=api.RequestRatingRetrieveApi, post=api.RequestRatingGiveApi, put=api.RequestRatingEditApi),
        name="api-request-rating",
    ),
    path("requests/<int:pk>/complaints/", api.RequestComplaintFileApi.as_view(), name="api-request-complaints"),
    path("complaints/", api.ComplaintListApi.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", api.ComplaintRetrieveApi.as_view(), name="api-complaint"),
    path("complaints/<int:pk>/reopen/", api.ComplaintReopenApi.as_view(), name="api-complaint-reopen"),
    path("complaints/<int:pk>/respond/", api.ComplaintRespondApi.as_view(), name="api-complaint-respond"),
    # Company staff
    path("company/ratings/", api.CompanyRatingListApi.as_view(), name="api-company-ratings"),
    # Centre
    path("centre/callbacks/", api.CentreCallBackListApi.as_view(), name="api-centre-callbacks"),
    path("centre/callbacks/<int:pk>/attempts/", api.CentreCallBackAttemptApi.as_view(), name="api-centre-callback-attempts"),
    path(
        "centre/complaints/",
        by_method(get=api.CentreComplaintListApi, post=api.CentreComplaintFileApi),
        name="api-centre-complaints",
    ),
    path("centre/complaints/<int:pk>/", api.CentreComplaintRetrieveApi.as_view(), name="api-centre-complaint"),
    path("centre/complaints/<int:pk>/review/", api.CentreComplaintReviewApi.as_view(), name="api-centre-complaint-review"),
    path("centre/complaints/<int:pk>/decide/", api.CentreComplaintDecideApi.as_view(), name="api-centre-complaint-decide"),
    path("centre/removals/", api.CentreRemovalListApi.as_view(), name="api-centre-removals"),
    path("centre/removals/<int:pk>/reinstate/", api.CentreRemovalReinstateApi.as_view(), name="api-centre-removal-reinstate"),
    path("centre/renewals/", api.CentreRenewalListApi.as_view(), name="api-centre-renewals"),
    path("centre/renewals/<int:pk>/decide/", api.CentreRenewalDecideApi.as_view(), name="api-centre-renewal-decide"),
    path("centre/reports/", api.CentreMonthlyReportGenerateApi.as_view(), name="api-centre-reports"),
    path("centre/reports/<int:year>/<int:month>/", api.CentreMonthlyReportRetrieveApi.as_view(), name="api-centre-report"),
    # Public supervision
    path("companies/league/", api.CompanyLeagueListApi.as_view(), name="api-company-league"),
    path("companies/<int:pk>/rating-summary/", api.CompanyRatingSummaryApi.as_view(), name="api-company-rating-summary"),
]
