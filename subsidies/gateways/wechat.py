"""WeChat Pay merchant transfers (商家转账, ``POST /v3/transfer/batches``) through ``wechatpayv3``: one
batch of one detail per line, numbered with our payout reference. WeChat accepts the batch at once and
carries it out later, so a transfer starts "pending"; ``fetch`` queries the detail
(``GET /v3/transfer/batches/out-batch-no/{no}/details/out-detail-no/{no}``): SUCCESS → paid, FAIL → failed.
Responses are signature-checked by wechatpayv3 (platform certificate or platform public key).
"""
from __future__ import annotations

import datetime
import json
import logging
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpayv3 import WeChatPayType

from marketplace.payments.providers.wechat import (
    _WeChatPay,  # the payments app's client with a configurable host
)
from subsidies.errors import PayoutGatewayError
from subsidies.gateways import base

logger = logging.getLogger("subsidies.payouts")

# WeChat error codes that mean "refused, will not happen": anything else is treated as unknown.
DEFINITE_REFUSALS = {"PARAM_ERROR", "INVALID_REQUEST", "NOT_ENOUGH", "NO_AUTH", "ACCOUNT_ERROR", "OPENID_INVALID",
                     "NAME_NOT_CORRECT", "QUOTA_EXCEED"}


def _parse_time(value: str | None) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(value) if value else timezone.now()
    except ValueError:
        return timezone.now()


class WeChatTransferGateway(base.PayoutGateway):
    method = "wechat"

    def __init__(self, *, mchid: str, appid: str, apiv3_key: str, cert_serial_no: str, private_key: str,
                 api_base: str = "https://api.mch.weixin.qq.com", public_key: str | None = None,
                 public_key_id: str | None = None, cert_dir: str | None = None, notify_url: str | None = None):
        try:
            self.client = _WeChatPay(
                wechatpay_type=WeChatPayType.NATIVE, mchid=mchid, appid=appid, notify_url=notify_url,
                api_base=api_base, private_key=private_key, cert_serial_no=cert_serial_no, apiv3_key=apiv3_key,
                cert_dir=cert_dir, logger=logger, timeout=(5, 20), public_key=public_key, public_key_id=public_key_id,
            )
        except Exception as exc:  # the package raises bare Exceptions (bad key, no certificate)
            raise PayoutGatewayError(_("WeChat Pay is not available: %(error)s") % {"error": exc},
                                     params={"definite": False}) from exc

    @classmethod
    def from_settings(cls) -> WeChatTransferGateway:
        key = settings.WECHATPAY_PRIVATE_KEY or (
            Path(settings.WECHATPAY_PRIVATE_KEY_PATH).read_text() if Path(settings.WECHATPAY_PRIVATE_KEY_PATH).exists() else "")
        if not key:
            raise PayoutGatewayError(_("WeChat Pay is not configured (no merchant private key)."), params={"definite": False})
        return cls(mchid=settings.WECHATPAY_MCHID, appid=settings.WECHATPAY_APPID, apiv3_key=settings.WECHATPAY_APIV3_KEY,
                   cert_serial_no=settings.WECHATPAY_CERT_SERIAL_NO, private_key=key, api_base=settings.WECHATPAY_API_BASE,
                   public_key=settings.WECHATPAY_PUBLIC_KEY or None, public_key_id=settings.WECHATPAY_PUBLIC_KEY_ID or None,
                   cert_dir=settings.WECHATPAY_CERT_DIR or None)

    def _call(self, what: str, function, **kwargs) -> tuple[int, dict]:
        try:
            code, body = function(**kwargs)
        except Exception as exc:  # network errors and failed response signatures alike
            logger.warning("WeChat Pay %s failed: %s", what, exc)
            raise PayoutGatewayError(_("WeChat Pay could not be reached (%(what)s); the line was not paid.")
                                     % {"what": what}, params={"definite": False}) from exc
        if isinstance(body, str):
            try:
                body = json.loads(body) if body else {}
            except ValueError:
                body = {"raw": body}
        return code, body

    def transfer(self, *, reference: str, amount: Decimal, account, line) -> base.TransferResult:
        if account is None or not account.wechat_openid:
            raise PayoutGatewayError(_("%(company)s has no WeChat openid in its payout account.")
                                     % {"company": line.company_name}, params={"definite": True})
        fen = base.to_fen(amount)
        remark = f"{line.run.year}年度民生110服务补贴"
        detail = {"out_detail_no": reference, "transfer_amount": fen, "transfer_remark": remark,
                  "openid": account.wechat_openid}
        if account.account_name:
            detail["user_name"] = account.account_name  # wechatpayv3 encrypts it with the platform key
        code, body = self._call(_("the transfer"), self.client.transfer_batch, out_batch_no=reference,
                                batch_name=remark, batch_remark=remark, total_amount=fen, total_num=1,
                                transfer_detail_list=[detail])
        if code == 200 and body.get("out_batch_no") == reference:
            status = base.FAILED if body.get("batch_status") == "CLOSED" else base.PENDING
            return base.TransferResult(status=status, provider_reference=body.get("batch_id", ""),
                                       occurred_at=_parse_time(body.get("create_time")), raw=body,
                                       failure=_("WeChat Pay closed the batch.") if status == base.FAILED else "")
        definite = body.get("code") in DEFINITE_REFUSALS
        raise PayoutGatewayError(_("WeChat Pay refused the transfer: %(message)s") % {"message": body.get("message") or code},
                                 params={"definite": definite, "status": code, "code": body.get("code", "")})

    def fetch(self, *, reference: str, line) -> base.TransferResult:
        code, body = self._call(_("the transfer status"), self.client.transfer_query_out_detail_no,
                                out_detail_no=reference, out_batch_no=reference)
        if code != 200:
            raise PayoutGatewayError(_("WeChat Pay could not tell the transfer's status: %(message)s")
                                     % {"message": body.get("message") or code}, params={"definite": False})
        state = body.get("detail_status")
        if state == "SUCCESS":
            return base.TransferResult(status=base.PAID, provider_reference=body.get("detail_id", ""),
                                       occurred_at=_parse_time(body.get("update_time")), raw=body)
        if state == "FAIL":
            return base.TransferResult(status=base.FAILED, provider_reference=body.get("detail_id", ""),
                                       failure=body.get("fail_reason", "FAIL"), raw=body)
        return base.TransferResult(status=base.PENDING, provider_reference=body.get("detail_id", ""), raw=body)
