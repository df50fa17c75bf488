"""User manager: a person is identified by email or by mobile phone (hotline callers have only a phone)."""
from django.contrib.auth.models import BaseUserManager


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email=None, password=None, *, phone=None, **extra_fields):
        if not email and not phone:
            raise ValueError("A user needs an email address or a phone number")
        from marketplace.phones import normalise_phone

        email = self.normalize_email(email) if email else None
        user = self.model(email=email, phone=normalise_phone(phone) if phone else None, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(email, password, **extra_fields)
