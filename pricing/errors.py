"""Pricing refusals. Each message names the rule, the numbers and the limit."""
from marketplace.errors import DomainError


class GuidePriceAboveLimit(DomainError):
    code = "guide_price_above_limit"


class ContractPriceAboveGuide(DomainError):
    code = "contract_price_above_guide"


class NoGuidePrice(DomainError):
    code = "no_guide_price"


class PriceRaiseDuringTerm(DomainError):
    code = "price_raise_during_term"


class PriceChangeNotPending(DomainError):
    code = "price_change_not_pending"


class ImportRejected(DomainError):
    code = "import_rejected"

    def __init__(self, message, *, row_errors: list[str]):
        super().__init__(message, params={"errors": "; ".join(row_errors)})
        self.row_errors = row_errors


class FinalPriceAboveContract(DomainError):
    code = "final_price_above_contract"


class CompanyCannotPrice(DomainError):
    code = "company_cannot_price"
