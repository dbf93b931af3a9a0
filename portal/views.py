"""Site-wide views: health checks and error pages live here."""
