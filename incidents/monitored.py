"""Incidents count towards the policy's monitored categories (see overstone.monitored)."""

from incidents.selectors import incident_counts_by_category
from overstone.monitored import register

register(incident_counts_by_category)
