from django.http import HttpResponse


def company_apply_view(request):
    return HttpResponse("TODO")


company_portal = centre_company_list = company_apply_view


def centre_company_detail(request, pk):
    return HttpResponse("TODO")
