from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def floor(request):
    """The floor: the least a Django view that writes can cost (one INSERT, one response)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (note) VALUES (%s)", ["x"])
    return HttpResponse("ok")


urlpatterns = [path("bench/floor/", floor), *site_urlpatterns]
