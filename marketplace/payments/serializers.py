"""Output shapes of the payments API (inputs live beside each APIView in api.py)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.api import money_field


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request_id = serializers.IntegerField()
    reference = serializers.CharField()
    method = serializers.CharField()
    method_label = serializers.CharField(source="get_method_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    amount = money_field()
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    flagged = serializers.SerializerMethodField()

    def get_flagged(self, payment) -> bool:
        return payment.flagged_at is not None


class RefundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    payment_id = serializers.IntegerField()
    reference = serializers.CharField()
    amount = money_field()
    reason = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    requested_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    failure = serializers.CharField()


class JobPaymentSerializer(serializers.Serializer):
    """Where the job's payment stands, as every party sees it."""

    request_id = serializers.IntegerField()
    state = serializers.CharField(help_text=_("unpaid / pending / paid / partially_refunded / refunded"))
    price = money_field(allow_null=True, help_text=_("The job's final price."))
    net_paid = money_field(help_text=_("Charges minus refunds."))
    paid = PaymentSerializer(allow_null=True)
    open = PaymentSerializer(allow_null=True)
    refunds = RefundSerializer(many=True)


class PaymentStartedSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    client_params = serializers.DictField(
        help_text=_("JSAPI: the signed wx.requestPayment parameters; Native: code_url; Stripe: client_secret "
                    "and publishable_key."))
