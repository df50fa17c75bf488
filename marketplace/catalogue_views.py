from django.http import HttpResponse


def catalogue_list(request):
    return HttpResponse("TODO")


def catalogue_item(request, pk):
    return HttpResponse("TODO")
