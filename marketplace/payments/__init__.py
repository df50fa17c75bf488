"""Residents pay companies for completed jobs: WeChat Pay, Stripe (cards) or cash on site, with verified,
idempotent provider notifications, refunds and a daily reconciliation. See docs/payments.md."""
