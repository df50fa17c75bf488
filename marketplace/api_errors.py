"""Turns domain refusals into 400 answers with a code and a message, never a 500."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "detail": str(exc.message), "params": _jsonable(exc.params)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"code": "invalid", "detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DRFValidationError):
        detail = exc.detail
        if isinstance(detail, dict) and "code" in detail and "detail" in detail:
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)  # already in our shape
        return Response({"code": "invalid", "detail": detail}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, AuthenticationFailed):
        # A bearer token was sent but is expired, revoked or forged. DRF would answer 403 (session
        # authentication comes first and names no scheme); app clients refresh their access token on 401.
        response = drf_exception_handler(exc, context)
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    return drf_exception_handler(exc, context)


def _jsonable(params: dict) -> dict:
    return {key: str(value) for key, value in params.items()}
