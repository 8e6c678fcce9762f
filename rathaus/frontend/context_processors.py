from django.conf import settings


def site(request) -> dict:
    return {
        "city_name": settings.RATHAUS_CITY_NAME,
        "city_address": settings.RATHAUS_CITY_ADDRESS,
        "city_email": settings.RATHAUS_CITY_EMAIL,
        "city_phone": settings.RATHAUS_CITY_PHONE,
        "accessibility_email": settings.RATHAUS_ACCESSIBILITY_EMAIL,
        "privacy_officer_email": settings.RATHAUS_PRIVACY_OFFICER_EMAIL,
    }
