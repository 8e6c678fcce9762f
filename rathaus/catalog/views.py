from django.http import Http404
from django.shortcuts import render

from rathaus.accounts.models import LevelOfAssurance
from rathaus.accounts.selectors import login_assurance

from . import selectors


def service_list(request):
    query = request.GET.get("q", "").strip()[:100]
    services = selectors.services_listed(query=query)
    return render(request, "catalog/service_list.html", {"services": services, "query": query})


def service_detail(request, slug: str):
    service = selectors.service_active(slug=slug)
    if service is None:
        raise Http404
    version = service.current_version
    required = LevelOfAssurance(version.assurance)
    current = login_assurance(request=request)
    context = {
        "service": service,
        "definition": version.definition,
        "fee": version.spec.fee({}),
        "fee_rules": version.definition.get("fee", {}).get("rules", []),
        "required_level": required,
        "level_sufficient": current is not None and current >= required,
    }
    return render(request, "catalog/service_detail.html", context)
