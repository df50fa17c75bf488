from django.http import HttpResponse


def guide_price_list(request):
    return HttpResponse("TODO")


guide_price_export_csv = guide_price_export_xlsx = price_change_list = guide_price_list


def price_change_decide(request, pk):
    return HttpResponse("TODO")
