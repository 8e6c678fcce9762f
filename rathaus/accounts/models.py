from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class LevelOfAssurance(models.IntegerChoices):
    """How sure we are of who is logged in (eIDAS levels; German: Vertrauensniveau)."""

    BASIC = 1, _("basic")
    SUBSTANTIAL = 2, _("substantial")
    HIGH = 3, _("high")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: a citizen, or a member of staff with department memberships."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    register_id = models.CharField(
        _("resident register id"),
        max_length=30,
        blank=True,
        help_text=_("Links the account to the person in the resident register (once-only)."),
    )
    letters_by_post = models.BooleanField(
        _("letters by post as well"),
        default=False,
        help_text=_(
            "Documents always arrive in the postbox of the account; with this, they are also "
            "printed and posted to the address in the resident register."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Department(models.Model):
    """An organisational unit (Amt, Ressort) that owns services and processes their cases."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("The department's number, used in file references (for example 104)."),
    )
    email = models.EmailField(_("contact e-mail address"), blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("caseworker")
    LEAD = "lead", _("department lead")


class Membership(models.Model):
    """A member of staff's role in one department. Administrators are users with is_superuser."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="one_role_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.department} ({self.get_role_display()})"
