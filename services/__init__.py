"""The platform's nameko services and the chassis they share (services.common)."""
