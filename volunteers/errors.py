"""Refusals of the volunteers app. Each has a stable code; the message says what to do instead."""
from marketplace.errors import DomainError


class VolunteerInvalid(DomainError):
    """Bad input about a person, a team or a membership."""

    code = "volunteer_invalid"


class DispatchRefused(DomainError):
    """A request cannot be offered to this team (not public-interest work, not waiting, already offered…)."""

    code = "team_dispatch_refused"


class AssignmentClosed(DomainError):
    """The offer was declined, withdrawn or already accepted; or the job is over."""

    code = "assignment_closed"


class NotTeamLead(DomainError):
    """Only a lead of the team may do this."""

    code = "not_team_lead"


class HoursInvalid(DomainError):
    """An amount of hours, a date or a check-in that cannot go into the ledger."""

    code = "hours_invalid"


class OwnHoursApproval(DomainError):
    """A member never approves (or declines) their own hours."""

    code = "own_hours"


class ApprovalRefused(DomainError):
    """The actor is neither the team lead, the resident served nor (for centre records) the centre."""

    code = "approval_refused"


class EntryLocked(DomainError):
    """The entry has been decided; an approved entry changes only by a correction."""

    code = "entry_locked"


class VisitInvalid(DomainError):
    code = "visit_invalid"


class CertificateRefused(DomainError):
    code = "certificate_refused"
