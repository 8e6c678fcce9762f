"""System check: fee notices need the city's account (name and IBAN) in production."""

from django.conf import settings
from django.core.checks import Error, register

from .girocode import payee_problems


@register()
def payee_check(app_configs, **kwargs) -> list[Error]:
    problems = payee_problems(
        name=settings.RATHAUS_PAYEE_NAME,
        iban=settings.RATHAUS_PAYEE_IBAN,
        bic=settings.RATHAUS_PAYEE_BIC,
    )
    return [
        Error(
            f"The city's account for fees is not configured: {problem}.",
            hint="Set RATHAUS_PAYEE_NAME and RATHAUS_PAYEE_IBAN (RATHAUS_PAYEE_BIC is optional);"
            " see docs/configuration.md.",
            id="payments.E001",
        )
        for problem in problems
    ]
