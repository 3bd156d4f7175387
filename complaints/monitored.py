"""Online complaints count towards the policy's monitored categories (see
overstone.monitored)."""

from complaints.selectors import complaint_counts_by_category
from overstone.monitored import register

register(complaint_counts_by_category)
