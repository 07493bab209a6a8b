"""Ombuds Desktop: offline preparation of DHS Form 7001 packets for the CIS Ombudsman."""

__version__ = "0.1.0"
