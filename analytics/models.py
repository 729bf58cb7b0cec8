"""Models of analytics. Scheduled reports, subscriptions, orders, costs and ROI."""
