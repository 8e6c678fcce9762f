"""Read-mostly admin: the register is filled by `registry_import`, not edited by hand.

Administrators may delete a record (an erasure request), but adding and changing happen in the
city's register and arrive with the next import.
"""

from django.contrib import admin

from .models import Address, Resident, Vehicle


class ReadMostlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(Address)
class AddressAdmin(ReadMostlyAdmin):
    list_display = ["street", "house_number", "postcode", "town", "district"]
    list_filter = ["district", "postcode"]
    search_fields = ["street", "postcode"]


class VehicleInline(admin.TabularInline):
    model = Vehicle
    extra = 0
    fields = ["plate", "make", "registered_since"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(ReadMostlyAdmin):
    list_display = ["register_id", "family_name", "given_names", "date_of_birth", "address"]
    list_select_related = ["address"]
    search_fields = ["register_id", "family_name", "given_names"]
    inlines = [VehicleInline]


@admin.register(Vehicle)
class VehicleAdmin(ReadMostlyAdmin):
    list_display = ["plate", "make", "holder", "registered_since"]
    list_select_related = ["holder"]
    search_fields = ["plate", "holder__register_id", "holder__family_name"]
