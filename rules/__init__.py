"""Default rule files and session templates (data only), shipped with the package."""
