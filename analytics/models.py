"""Scheduled reports, subscriptions, orders, costs and ROI."""
