"""KPI catalog, metric samples, health, the decision engine and the orchestration configuration."""
